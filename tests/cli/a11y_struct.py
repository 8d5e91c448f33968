#!/usr/bin/env python3
"""tests/cli/a11y_struct.py FILE [PASSWORD] | --serve - what a tagged PDF tells an assistive reader.

Reads the file with an independent reader, qpdf (`qpdf --json`, version 2, streams
decoded), and prints one `key=value` line per fact that tests/cli/a11y.sh checks: the
catalog's language and flags, the structure elements by type, those of them that lack
what PDF/UA asks (Alt on a Figure, Scope on a TH, LBody in an LI, text in a Link: marked
content that shows a string), the
languages marked on elements, link annotations without /Contents, pages with
annotations but no /Tabs /S, and how many text-showing and painting operators of the
page content are outside every marked-content sequence (neither in the structure tree
nor an artifact), and how many marked-content ids in the page content the page's
ParentTree entry does not lead to an element (`mcids_unreached`: content a reader
finds in no element). `reports` gives the element types of each report in the file (a
merged file holds one per student; each starts with its H1), `;` between reports.
"""
import json
import re
import subprocess
import sys
import tempfile
import base64


def load(path, password):
    cmd = ["qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized"]
    if password:
        cmd.append("--password=" + password)
    # Through a temporary file, not a pipe: qpdf writes its JSON in small pieces, and
    # reading a 2.5 MB answer from a pipe took 5,000 polls and reads (0.4 s of CPU).
    with tempfile.TemporaryFile() as out:
        subprocess.run(cmd + [path], check=True, stdout=out)
        out.seek(0)
        return json.load(out)


TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s()<>\[\]{}/%]*"
                   rb"|%[^\r\n]*|[^\s()<>\[\]{}/%]+")
PAINT = {b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s",
         b"Do", b"sh"}
TEXT = {b"Tj", b"TJ", b"'", b'"'}


def outside(content):
    """(text ops, paint ops) outside every marked-content sequence; artifact sequences;
    images (Do) drawn inside an artifact sequence; the marked-content ids whose sequence
    shows a non-empty string (what a reader can read out of that content)."""
    depth = text = paint = artifacts = images = 0
    in_artifact = 0   # the depth at which the artifact sequence began, 0 outside
    last_name = None
    mcids = []        # the marked-content id of each open sequence (None: none)
    mcid = None       # the id in the properties being read
    shown = False     # a non-empty string since the last operator
    with_text = set()
    for tok in TOKEN.findall(content):
        if tok.startswith(b"/"):
            last_name = tok
            continue
        c = tok[:1]
        if c in b"(<[" and tok not in (b"<<", b"["):
            shown = shown or tok not in (b"()", b"<>")
            continue
        if last_name == b"/MCID" and tok.isdigit():
            mcid = int(tok)
            last_name = None
            continue
        if tok in (b"BDC", b"BMC"):
            if depth == 0 and last_name == b"/Artifact":
                artifacts += 1
                in_artifact = 1
            depth += 1
            mcids.append(mcid if tok == b"BDC" else None)
            mcid = None
        elif tok == b"EMC":
            depth -= 1
            if mcids:
                mcids.pop()
            if depth == 0:
                in_artifact = 0
        elif depth == 0 and tok in PAINT:
            paint += 1
            text += tok in TEXT
        elif tok == b"Do" and in_artifact:
            images += 1
        if tok in TEXT and shown:
            with_text.update(m for m in mcids if m is not None)
        if c not in b"0123456789.-+]>":
            shown = False
    return text, paint, artifacts, images, with_text


def facts_of(path, password):
    d = load(path, password)
    objs = {k[4:]: v for k, v in d["qpdf"][1].items() if k.startswith("obj:")}

    def get(ref):
        if isinstance(ref, str) and ref.endswith(" R"):
            o = objs.get(ref, {})
            return o.get("value", o.get("stream", {}).get("dict"))
        return ref

    def stream(ref):
        o = objs.get(ref, {}).get("stream", {})
        return base64.b64decode(o.get("data", "")) if "data" in o else b""

    root = get(d["qpdf"][1]["trailer"]["value"]["/Root"])
    facts = {
        "lang": root.get("/Lang", "none").removeprefix("u:"),
        "marked": root.get("/MarkInfo", {}).get("/Marked", False),
        "display_doc_title": get(root.get("/ViewerPreferences", {})).get(
            "/DisplayDocTitle", False),
    }
    xmp = stream(root["/Metadata"]).decode("utf-8", "replace") if "/Metadata" in root else ""
    facts["xmp_pdfua_part"] = (re.search(r"<pdfuaid:part>(\d)</pdfuaid:part>", xmp) or
                               [None, "none"])[1]
    facts["xmp_language"] = (re.search(r"<dc:language><rdf:Bag><rdf:li>([^<]*)<", xmp) or
                             [None, "none"])[1]
    facts["xmp_title"] = (re.search(r'<rdf:li xml:lang="x-default">([^<]*)<', xmp) or
                          [None, "none"])[1]

    counts, langs, alts, order = {}, [], [], []
    problems = {"figure_without_alt": 0, "th_without_scope": 0, "li_without_lbody": 0,
                "link_without_text": 0, "toci_without_reference": 0, "heading_skips": 0,
                "tables_with_repeated_header": 0}
    last_level = [0]

    def kids_of(e):
        k = e.get("/K", [])
        return k if isinstance(k, list) else [k]

    links = []   # each Link element's marked content: (page, MCID) pairs

    def walk(ref, depth=0, page=None):
        e = get(ref)
        if not isinstance(e, dict) or "/S" not in e or depth > 100:
            return
        page = e.get("/Pg", page)
        s = e["/S"][1:]
        counts[s] = counts.get(s, 0) + 1
        order.append(s)
        kids = [get(k) for k in kids_of(e)]
        roles = [k["/S"][1:] for k in kids if isinstance(k, dict) and "/S" in k]
        content = [k for k in kids if isinstance(k, int) or
                   (isinstance(k, dict) and k.get("/Type") == "/MCR")]
        if "/Lang" in e:
            langs.append(e["/Lang"].removeprefix("u:"))
        if s == "Figure":
            if "/Alt" in e:
                alts.append(e["/Alt"].removeprefix("u:"))
            else:
                problems["figure_without_alt"] += 1
        if s == "TH" and "/Scope" not in get(e.get("/A", {})):
            problems["th_without_scope"] += 1
        if s == "LI" and "LBody" not in roles:
            problems["li_without_lbody"] += 1
        if s == "Link":
            links.append([(k.get("/Pg", page), k.get("/MCID")) if isinstance(k, dict)
                          else (page, k) for k in content])
        if s == "TOCI" and "Reference" not in roles:
            problems["toci_without_reference"] += 1
        if re.fullmatch(r"H[1-6]", s):
            level = int(s[1])
            if level > last_level[0] + 1:
                problems["heading_skips"] += 1
            last_level[0] = level
        if s == "Table":
            rows = [get(k) for k in kids_of(e)]
            rows = [r for r in rows if isinstance(r, dict) and r.get("/S") == "/TR"]
            header_rows = 0
            for r in rows:
                cells = [get(k) for k in kids_of(r)]
                cells = [c for c in cells if isinstance(c, dict) and "/S" in c]
                header_rows += bool(cells) and all(c["/S"] == "/TH" for c in cells)
            problems["tables_with_repeated_header"] += header_rows > 1
        for k in kids_of(e):
            walk(k, depth + 1, page)

    tree = get(root.get("/StructTreeRoot", {}))
    for k in (tree.get("/K", []) if isinstance(tree.get("/K"), list) else [tree.get("/K")]):
        walk(k)

    # The ParentTree: which element each marked-content id of a page belongs to.
    parent_tree = {}

    def read_numbers(node, depth=0):
        node = get(node)
        if not isinstance(node, dict) or depth > 32:
            return
        nums = get(node.get("/Nums", []))
        for i in range(0, len(nums) - 1, 2):
            parent_tree.setdefault(nums[i], get(nums[i + 1]))
        for k in get(node.get("/Kids", [])):
            read_numbers(k, depth + 1)

    read_numbers(tree.get("/ParentTree"))
    unreached = 0
    with_text = {}   # page: the MCIDs whose content shows text
    no_contents = no_tabs = text_out = paint_out = artifacts = artifact_images = 0
    for page in d["pages"]:
        p = get(page["object"])
        elems = parent_tree.get(p.get("/StructParents"), [])
        elems = elems if isinstance(elems, list) else []
        annots = get(p.get("/Annots", []))
        for a in annots:
            a = get(a)
            if a.get("/Subtype") == "/Link" and not a.get("/Contents"):
                no_contents += 1
        if annots and p.get("/Tabs") != "/S":
            no_tabs += 1
        content = b"".join(stream(c) for c in page["contents"])
        for m in re.findall(rb"/MCID\s+(\d+)", content):
            m = int(m)
            unreached += m >= len(elems) or not isinstance(get(elems[m]), dict)
        t, pt, art, img, with_text[page["object"]] = outside(content)
        artifact_images += img
        text_out += t
        paint_out += pt
        artifacts += art

    # A Link element a reader finds no text in: no marked content, or none that shows a
    # string (poppler's reading of the tree, pdfinfo -struct-text, says the same).
    problems["link_without_text"] = sum(
        not any(m in with_text.get(pg, ()) for pg, m in marks) for marks in links)
    facts.update(problems)
    facts["types"] = ",".join(f"{k}:{v}" for k, v in sorted(counts.items()))
    reports = []
    for s in order:
        if s == "H1" or not reports:
            reports.append({})
        if s != "Document":
            reports[-1][s] = reports[-1].get(s, 0) + 1
    facts["reports"] = ";".join(",".join(f"{k}:{v}" for k, v in sorted(r.items()))
                                for r in reports if r)
    facts["element_langs"] = ",".join(sorted(set(langs))) or "none"
    facts["alt"] = " | ".join(alts) or "none"
    facts["links_without_contents"] = no_contents
    facts["pages_without_tabs"] = no_tabs
    facts["text_ops_outside"] = text_out
    facts["paint_ops_outside"] = paint_out
    facts["artifact_sequences"] = artifacts
    facts["artifact_images"] = artifact_images
    facts["mcids_unreached"] = unreached
    return facts


def main():
    if sys.argv[1:] == ["--serve"]:
        # For a suite that reads many files: one start (python3 and its imports cost 50 ms
        # of CPU), then a file a line ("FILE" or "FILE<TAB>PASSWORD") on standard input,
        # answered by its facts and a line "."; a file that cannot be read gets a line
        # "error=..." instead of its facts.
        for line in sys.stdin:
            path, _, password = line.rstrip("\n").partition("\t")
            try:
                facts = facts_of(path, password or None)
            except Exception as e:
                facts = {"error": f"{type(e).__name__}: {e}"}
            print("".join(f"{k}={v}\n" for k, v in facts.items()) + ".", flush=True)
        return
    facts = facts_of(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    for k, v in facts.items():
        print(f"{k}={v}")


main()
