#!/usr/bin/env python3
"""layout_doc.py README SCHEMA - layouts/README.md and content/schema/layout.yaml say the
same thing: every option the schema accepts is documented in the README table of its
section, and every option a README table lists is in the schema. Prints one line per
difference and exits 1 when there is any."""
import re
import sys

import yaml


def sections(text):
    """{heading: [table, ...]}, a table being (header cell, [names of each row])."""
    out, heading, table = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^(#{2,3}) (.*)$", line)
        if m:
            heading, table = m.group(2).strip(), None
            out.setdefault(heading, [])
            continue
        if heading is None or not line.startswith("|"):
            table = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if table is None:
            table = (cells[0], [])
            out[heading].append(table)
        elif not re.match(r"^-+$", cells[0]):
            table[1].append(re.findall(r"`([a-z_0-9]+)`", cells[0]))
    return out


def names(table):
    return {n for row in table[1] for n in row}


def table(secs, heading, header):
    for t in secs.get(heading, []):
        if t[0] == header:
            return names(t)
    return None


def fields(node):
    return set((node or {}).get("fields", {}) or {})


def main():
    readme, schema = open(sys.argv[1]).read(), yaml.safe_load(open(sys.argv[2]))
    secs = sections(readme)
    problems = []

    def compare(where, documented, accepted):
        if documented is None:
            problems.append(f"{where}: no table in the README")
            return
        for n in sorted(accepted - documented):
            problems.append(f"{where}: '{n}' is in the schema but not in the README table")
        for n in sorted(documented - accepted):
            problems.append(f"{where}: '{n}' is in the README table but not in the schema")

    top = schema["fields"]
    compare("top-level options", table(secs, "Top-level options", "key"),
            set(top) - {"page", "theme"})
    compare("page", table(secs, "page", "key"), fields(top["page"]))
    theme = top["theme"]
    compare("theme", table(secs, "theme", "key"), fields(theme))
    compare("theme.colors", table(secs, "colors", "name"), fields(theme["fields"]["colors"]))
    compare("theme.styles", table(secs, "styles", "style"), fields(theme["fields"]["styles"]))
    compare("style settings", table(secs, "styles", "setting"),
            fields(schema["defs"]["style"]))

    block = schema["defs"]["block"]
    common = fields(block)
    # data, limit, shorten_to and space are described once for every block but taken
    # only by the kinds whose variant lists them.
    per_kind = {"data", "limit", "shorten_to", "space"}
    compare("options every block has", table(secs, "Options every block has", "option"),
            common | per_kind)
    variants = block["variants"]
    compare("block kinds", table(secs, "Block kinds", "kind"), set(variants))
    for kind, v in variants.items():
        own = fields(v)
        doc = table(secs, kind, "option")
        if doc is None:
            doc = set()
        for n in sorted((own - per_kind) - doc):
            problems.append(f"block kind {kind}: '{n}' is in the schema but not in its "
                            "README table")
        for n in sorted(doc - own - common):
            problems.append(f"block kind {kind}: '{n}' is in the README table but not in "
                            "the schema")
    table_cols = variants["table"]["fields"]["columns"]["items"]
    compare("table columns", table(secs, "table", "column key"), fields(table_cols))

    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
