#!/usr/bin/env python3
"""Geometry check of a PDF from the word boxes of `pdftotext -bbox`.

usage: geom.py FILE.pdf [--margins TOP,BOTTOM,INNER,OUTER] [--words FILE.words]

Reports, one a line:
  overlap   two words whose boxes cross (after shrinking each box a little, so that
            neighbours on a line and lines set tight do not count)
  outside   a word beyond the page margins (the footer may use the bottom margin, the
            cover band the top one, but no word may cross the left or right margin)
  dropped   a word of --words (the Latin words the career prints) found nowhere in the
            text: a line cut off, an item left out
Exit status 0 when the PDF is clean, 1 otherwise; the last line counts each kind.
"""
import argparse
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/1999/xhtml}"


def pages(pdf):
    # -bbox, not -bbox-layout: the layout analysis joins a word broken over two lines
    # into one box spanning both, which would cross whatever stands beside it.
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True,
                         capture_output=True).stdout
    # pdftotext writes a word's text unescaped in rare cases; keep the parser calm.
    out = re.sub(rb"&(?!amp;|lt;|gt;|quot;|apos;|#)", b"&amp;", out)
    root = ET.fromstring(out)
    for page in root.iter(NS + "page"):
        w, h = float(page.get("width")), float(page.get("height"))
        words = [(float(x.get("xMin")), float(x.get("yMin")), float(x.get("xMax")),
                  float(x.get("yMax")), x.text or "") for x in page.iter(NS + "word")]
        lines = [words] if words else []
        yield w, h, lines


def shrink(b):
    x0, y0, x1, y1, t = b
    dy = (y1 - y0) * 0.3
    dx = min(1.0, (x1 - x0) * 0.1)
    return x0 + dx, y0 + dy, x1 - dx, y1 - dy, t


def cross(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    ap.add_argument("--margins", default="0,0,0,0", help="top,bottom,inner,outer in pt")
    ap.add_argument("--words")
    ap.add_argument("--unprinted", default="",
                    help="comma-separated data paths the layout does not print")
    ap.add_argument("--max", type=int, default=8, help="problems printed per kind")
    a = ap.parse_args()
    top, bottom, inner, outer = (float(v) for v in a.margins.split(","))
    found = {"overlap": [], "outside": [], "dropped": []}
    text = []
    for n, (w, h, lines) in enumerate(pages(a.pdf), 1):
        # A lone combining mark (an Arabic tanween) is a box of its own in pdftotext's
        # output, drawn over its letter: not a collision.
        boxes = [shrink(b) for line in lines for b in line
                 if not all(unicodedata.category(ch).startswith("M") for ch in b[4])]
        text.extend(b[4] for line in lines for b in line)
        # Sweep by x so that the pairwise test stays near linear on a full page.
        order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
        active = []
        for i in order:
            b = boxes[i]
            active = [j for j in active if boxes[j][2] > b[0]]
            for j in active:
                if cross(b, boxes[j]):
                    found["overlap"].append("p%d: '%s' over '%s' at %.0f,%.0f"
                                            % (n, b[4], boxes[j][4], b[0], b[1]))
            active.append(i)
        tol = 0.5
        for line in lines:
            for x0, y0, x1, y1, t in line:
                if x0 < inner - tol or x1 > w - outer + tol or y0 < -tol or \
                        y1 > h + tol or (y1 > h - bottom / 3 + tol):
                    found["outside"].append("p%d: '%s' at %.1f,%.1f-%.1f,%.1f (page %gx%g)"
                                            % (n, t, x0, y0, x1, y1, w, h))
    if a.words:
        # Words may be broken across lines or shortened with an ellipsis in a footer;
        # look for each in the text with the spaces taken out.
        # Pango marks a break inside a word with a hyphen: look past hyphens.
        flat = "".join(text).replace("-", "").replace("\u2010", "")
        skip = set(a.unprinted.split(","))
        for line in open(a.words, encoding="utf-8"):
            word, path = line.split()
            # A web address broken at '?' or '/' inside right-to-left text comes out
            # of pdftotext with its parts in visual order: look for each part.
            parts = [x for x in re.split(r"[/?=&]", word.replace("-", "")) if x]
            if path not in skip and word.replace("-", "") not in flat and \
                    not all(x in flat for x in parts):
                found["dropped"].append("'%s' (%s)" % (word, path))
    bad = False
    for kind, items in found.items():
        for item in items[:a.max]:
            print("%s %s" % (kind, item))
        bad |= bool(items)
    print("geometry: %d overlaps, %d outside, %d dropped"
          % (len(found["overlap"]), len(found["outside"]), len(found["dropped"])))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
