#!/usr/bin/env python3
"""Checks that the page numbers printed in a report's contents block are the pages its
sections start on (read from the PDF outline). Usage: contents_pages.py REPORT.pdf
Prints mismatches and exits 1 if there are any, 2 if nothing could be compared."""
import json
import re
import subprocess
import sys

pdf = sys.argv[1]
outline = json.loads(subprocess.run(["qpdf", "--json", "--json-key=outlines", pdf],
                                    capture_output=True, text=True, check=True).stdout)
pages = {}


def norm(text):
    """Text as pdftotext and the outline both give it: without bidi controls and
    spaces, and without alef and lam (pdftotext writes the lam-alef ligature as
    alef-lam)."""
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069\\sاألإآ]", "", text)


def walk(entries):
    for e in entries:
        pages[norm(e["title"])] = e.get("destpageposfrom1")
        walk(e.get("kids", []))

walk(outline["outlines"])
text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", pdf, "-"],
                      capture_output=True, text=True, check=True).stdout
printed = {}
for line in text.splitlines():
    # Two columns of "Title ..... N": split at runs of 2+ spaces.
    cells = [norm(c) for c in re.split(r"\s{2,}", line.strip()) if c]
    # Cells pair up as title, number; right-to-left pages put the number first.
    rtl = bool(cells) and cells[0].isdigit()
    for i in range(0, len(cells) - 1, 2):
        number, title = (cells[i], cells[i + 1]) if rtl else (cells[i + 1], cells[i])
        if number.isdigit() and title in pages:
            printed[title] = int(number)
bad = [f"{t}: printed {n}, starts on {pages[t]}" for t, n in printed.items() if pages[t] != n]
print("\n".join(bad) if bad else f"{len(printed)} entries match")
sys.exit(1 if bad else (0 if len(printed) >= 10 else 2))
