#!/usr/bin/env bash
# tests/cli/a11y.sh - accessible PDFs (PDF/UA-1): what the files tell a screen reader,
# read back with independent readers: qpdf's JSON (tests/cli/a11y_struct.py: catalog,
# XMP, structure elements, annotations, page content outside the structure tree) and
# poppler (pdfinfo -struct-text: the text each structure element holds). For each
# layout, each bundled language, a roster report, a protected report and a merged
# roster.
. "$(dirname "$0")/lib.sh" a11y

facts() { python3 "$here/a11y_struct.py" "$@" >"$tmp/facts" 2>"$tmp/facts.err"; }
fact() { sed -n "s/^$1=//p" "$tmp/facts"; }
# expect_fact NAME KEY VALUE: the last facts() had KEY=VALUE (read by bash itself: a
# dozen facts a file, a sed for each would cost more than the file's reading)
expect_fact() {
    local got="" line
    while IFS= read -r line; do
        [[ $line == "$2="* ]] && got=${got:+$got$'\n'}${line#"$2="}
    done <"$tmp/facts"
    if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1" "$2 is '$got', expected '$3'"; fi
}
# the things every finished file has, in language LANG
expect_common() {
    local name=$1 lang=$2
    expect_fact "$name: catalog /Lang $lang" lang "$lang"
    expect_fact "$name: XMP dc:language $lang" xmp_language "$lang"
    expect_fact "$name: XMP pdfuaid:part 1" xmp_pdfua_part 1
    expect_fact "$name: /MarkInfo /Marked true" marked True
    expect_fact "$name: /ViewerPreferences /DisplayDocTitle true" display_doc_title True
    expect_fact "$name: every Figure has /Alt" figure_without_alt 0
    expect_fact "$name: every TH has a /Scope" th_without_scope 0
    expect_fact "$name: every LI has an LBody" li_without_lbody 0
    expect_fact "$name: every link annotation has /Contents" links_without_contents 0
    expect_fact "$name: pages with annotations have /Tabs /S" pages_without_tabs 0
    expect_fact "$name: no text outside the tree and outside artifacts" text_ops_outside 0
    expect_fact "$name: no drawing outside the tree and outside artifacts" paint_ops_outside 0
    local arts
    arts=$(fact artifact_sequences)
    check "$name: page furniture is marked as artifacts" "$arts artifact sequences" \
        test "${arts:-0}" -gt 0
}
# Link elements that hold no text, by poppler's reading of the structure tree
empty_links() {
    pdfinfo "$@" -struct-text 2>/dev/null | awk '
        /^ *Link/ { inlink = 1; text = 0; n++; next }
        inlink && /^ *"[^"]/ { text = 1 }
        inlink && /^ *(Object|"")/ { next }
        inlink && !/^ *"/ { if (!text) empty++; inlink = 0 }
        END { if (inlink && !text) empty++; print empty + 0 }'
}

# ---- the report in each bundled language ----------------------------------------------
for lang in en hi ar; do
    f=$tmp/report-$lang.pdf
    run --career ai-engineer --lang "$lang" -o "$f"
    expect_rc "report $lang: written" 0
    facts "$f"
    cp "$tmp/facts" "$tmp/facts-$lang"   # read once: qpdf --json of a report is slow
    expect_common "report $lang" "$lang"
    expect_fact "report $lang: TOC entries are TOCI > Reference > Link" toci_without_reference 0
    check "report $lang: XMP dc:title is the report's title" "$(fact xmp_title)" \
        test "$(fact xmp_title)" = "$(pdfinfo "$f" | sed -n 's/^Title: *//p')"
    n=$(empty_links "$f")
    check "report $lang: the contents links hold their visible text" \
        "$n empty Link elements" test "$n" = 0
    check "report $lang: stat cards read label and value apart (LI > Lbl + LBody)" \
        "$(fact types)" grep -q 'Lbl:4' "$tmp/facts"
done
cp "$tmp/facts-en" "$tmp/facts"
check "report en: the chart's text alternative gives every level's range" "$(fact alt)" \
    grep -q '^alt=Annual salary (USD): Entry Level AI Engineer \$95,000 – \$140,000; ' \
    "$tmp/facts"
cp "$tmp/facts-hi" "$tmp/facts"
check "report hi: the chart's text alternative is in Hindi" "$(fact alt)" \
    grep -q '^alt=सालाना वेतन' "$tmp/facts"
check "report hi: the Latin-only elements are marked English" "$(fact element_langs)" \
    test "$(fact element_langs)" = en
cp "$tmp/facts-ar" "$tmp/facts"
check "report ar: elements in Latin script are marked English" "$(fact element_langs)" \
    test "$(fact element_langs)" = en
n=$(pdfinfo -struct "$tmp/report-en.pdf" | grep -c '^ *Table')
check "a table continued on the next page stays one Table element" "$n Table elements" \
    test "$n" = "$(grep -o 'Table:[0-9]*' "$tmp/facts" | cut -d: -f2)"
check "the text poppler extracts is the same as before finishing (artifacts included)" \
    "footer missing" sh -c "pdftotext '$tmp/report-en.pdf' - | grep -q 'Page 1 of'"

# ---- other layouts ----------------------------------------------------------------------
run --career ai-engineer --layout handout -o "$tmp/handout.pdf"
expect_rc "handout: written" 0
facts "$tmp/handout.pdf"
expect_common handout en
run --career ai-engineer --layout poster --paper A2 -o "$tmp/poster.pdf"
expect_rc "poster: written" 0
facts "$tmp/poster.pdf"
expect_common poster en
mkdir -p "$tmp/layouts"
cp layouts/*.yaml "$tmp/layouts/"
qr_layout "$tmp/layouts"
run --layouts "$tmp/layouts" --career ai-engineer --layout qr -o "$tmp/qr.pdf"
expect_rc "qr layout: written" 0
facts "$tmp/qr.pdf"
expect_common "qr layout" en
expect_fact "qr layout: the QR code's text alternative is its address" alt \
    "https://example.org/guides/ai-engineer"

# ---- a roster report: shared pages finished once, the student's drawing in them --------
printf 'name,career,grade,school,counselor,note\nअनन्या अय्यर,ai-engineer,11,Westview High,Ms. Rivera,गणित में रुचि\nBen Li,ai-engineer,11,Westview High,Ms. Rivera,Robotics\n' \
    >"$tmp/r.csv"
run --roster "$tmp/r.csv" --out-dir "$tmp/roster" -j 1 -q
expect_rc "roster: written" 0
for f in "$tmp"/roster/*.pdf; do
    facts "$f"
    expect_common "roster $(basename "$f" .pdf)" en
done
check "roster: the student's name is in the tagged text" "name not found" \
    sh -c "pdfinfo -struct-text '$tmp/roster/अनन्या_अय्यर-ai-engineer.pdf' | grep -q 'अनन्या अय्यर'"

# ---- a protected report keeps all of it, and allows extraction for accessibility -----
run --career ai-engineer --password 'k7#Vq-2mRt' -o "$tmp/protected.pdf"
expect_rc "protected: written" 0
facts "$tmp/protected.pdf" 'k7#Vq-2mRt'
expect_common protected en
check "protected: extraction for accessibility is allowed (permission bit 10)" \
    "$(qpdf --password='k7#Vq-2mRt' --show-encryption "$tmp/protected.pdf" | head -5)" \
    sh -c "qpdf --password='k7#Vq-2mRt' --show-encryption '$tmp/protected.pdf' | \
           grep -q 'extract for accessibility: allowed'"

# ---- a merged roster --------------------------------------------------------------------
run --roster "$tmp/r.csv" --merge "$tmp/merged.pdf" -q
expect_rc "merged: written" 0
facts "$tmp/merged.pdf"
expect_common merged en

# ---- the handbook: contents and index as TOC elements, related careers linked ----------
run --all --merge "$tmp/handbook.pdf" -q
expect_rc "handbook: written" 0
facts "$tmp/handbook.pdf"
expect_common handbook en
expect_fact "handbook: contents and index entries are TOCI > Reference > Link" \
    toci_without_reference 0
pdfinfo -struct "$tmp/handbook.pdf" >"$tmp/struct" 2>&1
check "handbook: every TOCI is inside a TOC" "$(head -20 "$tmp/struct")" \
    sh -c "! awk '/^ *TOC\$/ {toc = 1} /^  [A-Z]/ && !/TOC/ {toc = 0} /TOCI/ && !toc {bad = 1} END {exit !bad}' '$tmp/struct'"
n=$(empty_links "$tmp/handbook.pdf")
check "handbook: every link holds its visible text" "$n empty Link elements" test "$n" = 0

# ---- same input, same bytes ---------------------------------------------------------------
run --career ai-engineer -o "$tmp/again.pdf"
check "finished files are byte-identical run to run" "they differ" \
    cmp -s "$tmp/again.pdf" "$tmp/report-en.pdf"

finish a11y
