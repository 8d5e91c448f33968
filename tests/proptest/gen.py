#!/usr/bin/env python3
"""Valid careers derived from content/schema/career.yaml, for property tests.

The generator walks the schema itself (types, required, min/max, enum), so a new field
or a changed limit is exercised without touching this file. Each variant is a career
the schema and the cross-checks of `careerpdf --check` accept:

  max       every text at its maximum length, every list at its maximum count
  half      every text and list at half of its limit (the case of issue 16)
  min       optional sections left out, lists at their minimum, short texts
  longtok   texts that hold long unbreakable tokens (URLs, compound words)
  mixed     Latin, Devanagari and Arabic words mixed in every text
  rtl       the whole career in Arabic words (lang: ar)
  scale:P   every text and list at P % of its limit, every optional section in (the
            sizes between min and max that `make bench` times)
  random:N  seeded: texts at 5-100 % of their limits, lists of random allowed length,
            optional sections left out at random, now and then long tokens and scripts

usage: gen.py --schema content/schema/career.yaml --base content/careers/X.yaml \
              --variant max --id ID [--seed N] -o OUT.yaml [--words OUT.words]

--words writes the Latin words the career prints, one a line, so a check can tell
whether any of them was dropped from the output.
"""
import argparse
import math
import re
import random
import sys

import yaml

LATIN = ("tavo mirel kasun dorpe velin ostra punik halve serom tiber caldo nemur "
         "fosca lirat genor budal quemi zarta wilno ebrec sanop tuvek morin dasky "
         "plove renta civak holme asprin guldo").split()
DEVANAGARI = "विश्लेषण प्रशिक्षण अभियंता सूचना प्रणाली नवाचार विज्ञान परियोजना".split()
ARABIC = "الذكاء الاصطناعي هندسة البيانات تحليل النماذج التعلم المهارات".split()
# Long tokens without a break opportunity: what counsellors paste (addresses, compounds).
LONG = [
    "https://careers.example.org/guides/registered-nurse/2026/full-report?lang=en",
    "Donaudampfschifffahrtsgesellschaftskapitaensanwaerterin",
    "Elektroinstallationsmeisterpruefungsvorbereitungskurs",
    "ISO/IEC-27001:2022-LeadImplementer-Certification-Track",
]
CURRENCIES = ["USD", "INR", "EUR", "GBP", "JPY", "CNY", "CAD", "AUD", "SGD", "AED", "SAR"]


class Gen:
    def __init__(self, variant, rng, icons, ids):
        self.variant = variant
        self.rng = rng
        self.icons = icons
        self.ids = ids
        self.words = {}
        self.counter = 0

    # --- choices that depend on the variant --------------------------------------------
    def include_optional(self):
        if self.variant == "min":
            return False
        if self.variant.startswith("random"):
            return self.rng.random() < 0.7
        return True

    def count(self, lo, hi):
        if self.variant in ("max", "longtok", "mixed", "rtl"):
            return hi
        if self.variant == "half":
            return max(lo, math.ceil(hi / 2))
        if self.variant == "min":
            return lo
        if self.variant.startswith("scale:"):
            return max(lo, math.ceil(hi * self.scale()))
        return self.rng.randint(lo, hi)

    def scale(self):
        return int(self.variant.split(":")[1]) / 100

    def length(self, lo, hi):
        if self.variant in ("max", "longtok", "mixed", "rtl"):
            return hi
        if self.variant == "half":
            return max(lo, hi // 2)
        if self.variant == "min":
            return max(lo, min(hi, 12))
        if self.variant.startswith("scale:"):
            return max(lo, int(hi * self.scale()))
        return max(lo, min(hi, int(hi * self.rng.uniform(0.05, 1.0))))

    def word(self, script):
        self.counter += 1
        if script == "deva":
            return self.rng.choice(DEVANAGARI)
        if script == "arab":
            return self.rng.choice(ARABIC)
        # Latin words carry a number so that every printed word can be looked for.
        w = self.rng.choice(LATIN) + str(self.counter % 97)
        return w

    def scripts(self):
        if self.variant == "mixed":
            return ["latin", "deva", "arab"]
        if self.variant == "rtl":
            return ["arab"]
        if self.variant.startswith("random") and self.rng.random() < 0.2:
            return ["latin", "deva", "arab"]
        return ["latin"]

    def long_token(self):
        if self.variant == "longtok":
            return True
        return self.variant.startswith("random") and self.rng.random() < 0.08

    # --- text --------------------------------------------------------------------------
    def text(self, lo, hi, path):
        n = self.length(lo, hi)
        scripts = self.scripts()
        parts, size = [], 0
        if self.long_token():
            tok = self.rng.choice(LONG)[:n]
            parts.append(tok)
            size = len(tok)
        while size < n:
            w = self.word(self.rng.choice(scripts))
            room = n - size - (1 if parts else 0)
            if room <= 0:
                break
            if len(w) > room:
                # Fill the last few characters with a Latin word cut to size.
                w = ("x" * room) if room < 3 else w[:room]
            parts.append(w)
            size += len(w) + (1 if len(parts) > 1 else 0)
        s = " ".join(parts)
        while len(s) < lo:
            s += "x"
        s = s[:hi]
        for w in s.split():
            if w.isascii() and len(w) > 1:
                self.words.setdefault(w, re.sub(r"\[\d+\]", "[]", path))
        return s

    # --- the schema walk ---------------------------------------------------------------
    def value(self, node, path):
        t = node.get("type")
        lo, hi = node.get("min"), node.get("max")
        if "enum" in node:
            return self.rng.choice(node["enum"])
        if t in ("string", "text"):
            return self.text(lo or 1, hi or 200, path)
        if t == "integer":
            lo, hi = lo if lo is not None else 0, hi if hi is not None else 1000
            return hi if self.variant == "max" else self.rng.randint(lo, hi)
        if t == "number":
            return self.rng.randint(0, 10 ** 6)
        if t == "rating":
            return 10 if self.variant == "max" else self.rng.randint(0, 20) / 2
        if t == "boolean":
            return self.rng.random() < 0.5
        if t == "date":
            return "2026-%02d" % self.rng.randint(1, 12)
        if t == "currency":
            return self.rng.choice(CURRENCIES)
        if t == "icon":
            return self.rng.choice(self.icons)
        if t == "id":
            return self.rng.choice(self.ids)
        if t == "list":
            n = self.count(lo or 0, hi if hi is not None else 8)
            return [self.value(node["items"], "%s[%d]" % (path, i)) for i in range(n)]
        if t == "map":
            out = {}
            for k, f in (node.get("fields") or {}).items():
                if not f.get("required") and not self.include_optional():
                    continue
                out[k] = self.value(f, path + "." + k if path else k)
            return out
        raise SystemExit("gen.py: unknown schema type %r at %s" % (t, path))

    # --- cross-field rules that the schema language cannot say -------------------------
    def money(self, m):
        if self.variant == "max":
            lo, hi = 10 ** 8, 10 ** 9 - 1
        else:
            lo = self.rng.randint(0, 10 ** 6)
            hi = lo + self.rng.randint(0, 10 ** 6)
        m["min"], m["max"] = lo, hi

    def fix(self, c, base, cid):
        c["id"] = cid
        c["lang"] = "ar" if self.variant == "rtl" else base.get("lang", "en")
        self.money(c["stats"]["salary"])
        sal = c["salary"]
        for key in ("levels", "regions"):
            for m in sal.get(key) or []:
                self.money(m)
        # The salary chart draws the levels on one axis: one currency for all of them.
        for m in sal["levels"]:
            m["currency"] = sal["levels"][0]["currency"]
        comp = c.get("comparison")
        if comp:
            n = len(comp["columns"])
            for r in comp["rows"]:
                for gone in r["values"][n:]:      # no longer printed: not looked for
                    for w in gone.split():
                        self.words.pop(w, None)
                r["values"] = (r["values"] * 3)[:n]
        # Point illustrative at parts that exist (leaf and parent paths both).
        paths = [p for p in ("salary", "salary.levels", "salary.regions", "growth_path",
                             "stats.salary", "certifications") if self.exists(c, p)]
        n = self.count(0, len(paths))
        c["illustrative"] = self.rng.sample(paths, n) if n else []
        if not c["illustrative"]:
            del c["illustrative"]
        return c

    @staticmethod
    def exists(c, path):
        for k in path.split("."):
            if not isinstance(c, dict) or k not in c:
                return False
            c = c[k]
        return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema", required=True)
    ap.add_argument("--icons", default="fonts/icons.yaml")
    ap.add_argument("--base", required=True, help="career whose lang and ids are kept")
    ap.add_argument("--ids", default="", help="comma-separated career ids to refer to")
    ap.add_argument("--variant", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--id", required=True)
    ap.add_argument("-o", required=True)
    ap.add_argument("--words")
    a = ap.parse_args()
    # libyaml's parser and emitter (PyYAML's C classes, same resolvers): the pure-Python
    # ones took half of a run's CPU.
    def load(path):
        return yaml.load(open(path, encoding="utf-8"), Loader=yaml.CSafeLoader)
    schema = load(a.schema)
    icons = sorted(load(a.icons)["icons"])
    base = load(a.base)
    ids = [i for i in a.ids.split(",") if i] or [base["id"]]
    rng = random.Random("%s:%s:%d" % (base["id"], a.variant, a.seed))
    g = Gen(a.variant, rng, icons, ids)
    career = g.fix(g.value(schema, ""), base, a.id)
    with open(a.o, "w", encoding="utf-8") as f:
        f.write("# generated by tests/proptest/gen.py --variant %s --seed %d --base %s\n"
                % (a.variant, a.seed, base["id"]))
        yaml.dump(career, f, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False,
                  width=10 ** 6)
    if a.words:
        with open(a.words, "w", encoding="utf-8") as f:
            for w, path in sorted(g.words.items()):
                f.write("%s\t%s\n" % (w, path))


if __name__ == "__main__":
    sys.exit(main())
