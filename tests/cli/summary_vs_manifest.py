#!/usr/bin/env python3
"""summary_vs_manifest.py SUMMARY.json MANIFEST.csv: the summary's rows and counts say
what the manifest says (same rows, same order, same values; empty cells are null)."""
import csv
import json
import sys

summary = json.load(open(sys.argv[1], encoding="utf-8"))
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
assert len(rows) == len(summary["rows"]) == summary["counts"]["rows"], "row counts differ"
def unguarded(value):
    """The manifest keeps a cell from running as a spreadsheet formula with a leading
    apostrophe; the JSON summary holds the value itself."""
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r") else value


for m, s in zip(rows, summary["rows"]):
    for key, value in m.items():
        value = unguarded(value)
        want = None if value == "" else int(value) if key in ("row", "line", "pages", "bytes") else value
        assert s[key] == want, f"row {m['row']}: {key} is {s[key]!r} in the summary, {want!r} in the manifest"
c = summary["counts"]
for status in ("ok", "skipped", "failed", "interrupted"):
    n = sum(r["status"] == status for r in rows)
    assert c["written" if status == "ok" else status] == n, f"{status}: {n} in the manifest"
assert summary["status"] == ("some_failed" if c["failed"] else "ok")
