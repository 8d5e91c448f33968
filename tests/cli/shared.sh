#!/usr/bin/env bash
# tests/cli/shared.sh - personalised reports from shared pages (src/layout/layout.h,
# templates; src/render/pdf_assemble.h) look exactly like the same reports laid out
# whole (CAREERPDF_WHOLE=1), page by page and word by word, for every kind of row:
# ratings or none, Hindi, Arabic (mirrored), CJK and emoji names, a note too long for
# its box (laid out whole instead), Letter paper and grey.
. "$(dirname "$0")/lib.sh" shared

roster=$tmp/roster.csv
{
    echo 'name,career,grade,school,counselor,note,lang,rate:programming-logic,rate:deep-learning-frameworks,rate:communication-and-empathy'
    echo 'Ananya Iyer,ai-engineer,11,Westview High School,Ms. Rivera,"Built a line-following robot; ask about the summer lab.",,4,1,'
    echo 'Mateo García,ai-engineer,12,Westview High School,Ms. Rivera,,,,,'
    echo 'अनन्या अय्यर,ai-engineer,11,Westview High,Ms. Rivera,गणित में रुचि,hi,3,2,'
    echo 'أحمد علي,ai-engineer,11,Westview High,Mr. Okafor,يحب الروبوتات,ar,2,,'
    echo '王小明,nurse,10,Westview High,Mr. Okafor,,,,,4'
    echo 'Zoë 🌟 Martin,prompt-engineer,11,Westview High,Ms. Rivera,Likes 🎨 and writing,,,,'
    printf 'Long Note,data-scientist,11,Westview High,Ms. Rivera,"%s",,,,\n' \
        "$(for i in $(seq 1 40); do printf 'Talked about statistics, projects and internships again. '; done)"
} >"$roster"
rows=7
long_row=Long_Note-data-scientist.pdf

# make DIR [ARGS...]: the roster into DIR, assembled unless CAREERPDF_WHOLE is set (the
# test build: the product binary has no such switch). One worker: these runs compare
# what is written, and a second worker would lay out every template again.
make_all() {
    local dir=$1
    shift
    "$CAREERPDF_TESTING" --roster "${use_roster:-$roster}" --out-dir "$dir" --quiet -j 1 "$@" 2>"$tmp/err"
    rc=$?
}

# same_pages NAME A.pdf B.pdf: every page of A has the same pixels as B at 40 dpi (the
# same drawing, so not even anti-aliasing may differ: a box 1 pt off fails), and the
# text is the same. The pages are compared as raw PPM (PNG's compression took 80 % of
# pdftoppm's time); a page that differs is rendered again as PNG for PNGDIFF to say where.
same_pages() {
    local name=$1 a=$2 b=$3 pa pb
    pa=$(pages_of "$a")
    pb=$(pages_of "$b")
    if [ -z "$pa" ] || [ "$pa" != "$pb" ]; then
        not_ok "$name" "pages: ${pa:-none} assembled, ${pb:-none} whole"
        return
    fi
    rm -f "$tmp"/pa-*.ppm "$tmp"/pb-*.ppm
    pdftoppm -r 40 "$a" "$tmp/pa" && pdftoppm -r 40 "$b" "$tmp/pb"
    page_sums "$tmp"/pa-*.ppm "$tmp"/pb-*.ppm
    for pg in "$tmp"/pa-*.ppm; do
        local n=${pg##*/pa-}
        if [ "${sums[$tmp/pa-$n]:-a}" != "${sums[$tmp/pb-$n]:-b}" ]; then
            n=${n%.ppm}
            not_ok "$name" "page $n differs: $(page_diff "$a" "$b" "$((10#$n))")"
            return
        fi
    done
    if ! diff <(pdftotext "$a" - 2>/dev/null) <(pdftotext "$b" - 2>/dev/null) >/dev/null; then
        not_ok "$name" "pdftotext differs"
        return
    fi
    ok "$name"
}
# page_sums FILE...: sums[FILE], the checksum of each file, from one md5sum
# (a cmp a page was a hundred processes a run)
declare -A sums
page_sums() {
    local h f
    sums=()
    while read -r h f; do sums[$f]=$h; done < <(md5sum "$@" 2>/dev/null)
}
# page_diff A.pdf B.pdf N: where page N of A and B differ, in PNGDIFF's words
page_diff() {
    local n=$3
    pdftoppm -r 40 -png -f "$n" -l "$n" -singlefile "$1" "$tmp/da" &&
        pdftoppm -r 40 -png -f "$n" -l "$n" -singlefile "$2" "$tmp/db" &&
        "$PNGDIFF" "$tmp/db.png" "$tmp/da.png" 2>&1
}

# qpdf's list of FILE's pages and the content streams each draws ("page N: OBJ" lines,
# then "content:" and one object a line): read with awk, not through --json and python
# (0.4 s a file against 0.03 s)
show_pages() { qpdf --show-pages "$1" 2>/dev/null; }
# slot_pages FILE: the pages that hold a student's drawing in an assembled file: the
# template's content before and after it, and the student's between (three streams)
slot_pages() {
    show_pages "$1" | awk '/^page / {if (n == 3) s++; n = 0; next} /^    [0-9]/ {n++}
                           END {if (n == 3) s++; print s + 0}'
}
# "PAGES STREAMS": the file's pages and the content streams they draw (a stream that
# several pages list is stored once)
content_streams() {
    show_pages "$1" | awk '/^page / {p++} /^    [0-9]/ {if (!($1 in seen)) c++; seen[$1] = 1}
                           END {print p + 0, c + 0}'
}

compare_runs() { # LABEL [ARGS...], the roster in $use_roster with $rows rows
    local label=$1
    shift
    make_all "$tmp/$label-a" "$@"
    expect_rc "$label: assembled run writes every row" 0
    CAREERPDF_WHOLE=1 make_all "$tmp/$label-b" "$@"
    expect_rc "$label: whole run writes every row" 0
    local n=0 assembled=0
    for f in "$tmp/$label-a"/*.pdf; do
        n=$((n + 1))
        local base=${f##*/}
        same_pages "$label: $base looks the same assembled and whole" "$f" "$tmp/$label-b/$base"
        [ "$base" != "$long_row" ] && [ "$(slot_pages "$f")" -gt 0 ] && assembled=$((assembled + 1))
    done
    check "$label: $rows reports" "$n reports" test "$n" -eq "$rows"
    check "$label: every row but the long note was assembled from shared pages" \
        "$assembled of $((rows - 1))" test "$assembled" -eq $((rows - 1))
    check "$label: the long note did not fit its box and was laid out whole" \
        "it has $(slot_pages "$tmp/$label-a/$long_row") pages with a student's drawing" \
        test "$(slot_pages "$tmp/$label-a/$long_row")" -eq 0
    check "$label: the manifests agree" "they differ" \
        diff <(cut -d, -f1-6,8 "$tmp/$label-a/manifest.csv") <(cut -d, -f1-6,8 "$tmp/$label-b/manifest.csv")
}

use_roster=$roster compare_runs a4
# Letter and grey change the page, not the assembling: make test compares a sample (a
# row with ratings, the mirrored Arabic one and the long note), make test-full every row.
awk -F, 'NR == 1 || /^Ananya Iyer,|^أحمد علي,|^Long Note,/' "$roster" >"$tmp/sample.csv"
if full; then
    use_roster=$roster compare_runs letter-grey --paper Letter --grayscale
else
    rows=3 use_roster=$tmp/sample.csv compare_runs letter-grey --paper Letter --grayscale
fi

# Readers accept the assembled files; fonts are embedded; bytes are reproducible.
bad=
for f in "$tmp/a4-a"/*.pdf; do
    qpdf --check "$f" >/dev/null 2>&1 || bad="$bad ${f##*/}"
done
check "qpdf --check passes on every assembled report" "failed:$bad" test -z "$bad"
bad=
for f in "$tmp/a4-a"/*.pdf; do
    pdffonts "$f" 2>/dev/null | awk 'NR > 2 && $(NF - 4) != "yes" {bad = 1} END {exit bad}' ||
        bad="$bad ${f##*/}"
done
check "every font of every assembled report is embedded" "not embedded in:$bad" test -z "$bad"
# (The sample's rows in make test, every row in make test-full.)
if full; then make_all "$tmp/again"; else use_roster=$tmp/sample.csv make_all "$tmp/again"; fi
bad=
for f in "$tmp/again"/*.pdf; do
    cmp -s "$f" "$tmp/a4-a/${f##*/}" || bad="$bad ${f##*/}"
done
check "assembled reports are the same bytes on every run" "differ:$bad" \
    test -z "$bad" -a "$(ls "$tmp/again" | grep -c '\.pdf$')" -ge 3
check "the Arabic report is still tagged" "pdfinfo says not tagged" \
    sh -c "pdfinfo '$tmp/a4-a/أحمد_علي-ai-engineer.pdf' | grep -q 'Tagged: *yes'"
name="the student's box is in the structure tree (tagged text in reading order)"
if pdftotext "$tmp/a4-a/Ananya_Iyer-ai-engineer.pdf" - 2>/dev/null |
    grep -q 'Prepared for Ananya Iyer'; then ok "$name"; else not_ok "$name" "name not found"; fi

# --merge: the pages every student shares are stored once in the file; each student's
# pages look like their own report.
awk -F, 'NR == 1 || ($2 == "ai-engineer" && $7 == "")' "$roster" >"$tmp/same-career.csv"
for i in $(seq 1 20); do
    printf 'Student %d,ai-engineer,11,Westview High,Ms. Rivera,Keen on robots.,,%d,%d,\n' \
        "$i" $((i % 6)) $(((i * 5) % 6))
done >>"$tmp/same-career.csv"
"$CAREERPDF" --roster "$tmp/same-career.csv" --merge "$tmp/merged.pdf" --quiet 2>"$tmp/err"
rc=$?
expect_rc "merge: 22 students in one file" 0
# The first and the last student's reports on their own (the others would be made for
# nothing).
{ head -n 2 "$tmp/same-career.csv"; grep '^Student 20,' "$tmp/same-career.csv"; } >"$tmp/first.csv"
"$CAREERPDF" -j 1 --roster "$tmp/first.csv" --out-dir "$tmp/single" --quiet 2>"$tmp/err"
one=$(stat -c %s "$tmp/single/Ananya_Iyer-ai-engineer.pdf" 2>/dev/null || echo 0)
all=$(stat -c %s "$tmp/merged.pdf" 2>/dev/null || echo 0)
check "merge: 22 students take less room than 5 single reports ($all bytes, one is $one)" \
    "the shared pages are repeated" test "$all" -gt 0 -a "$all" -lt $((5 * one))
# Every page is drawn with its tags; what the students' pages have in common is stored
# once, as content streams their pages share (each page keeps its own structure).
read -r npages nstreams <<<"$(content_streams "$tmp/merged.pdf")"
check "merge: the drawing students share is stored once ($nstreams streams for $npages pages)" \
    "each page has its own" test "${nstreams:-0}" -gt 0 -a "${nstreams:-0}" -lt $((npages / 2))
check "merge: qpdf --check passes" "qpdf failed" qpdf --check "$tmp/merged.pdf"
name="merge: the first student's pages look like their own report"
bad=
# One pdftoppm per file for the seven pages (its names are padded to the file's page
# count: m-001.ppm in the merged file, s-1.ppm in the single one).
rm -rf "$tmp/pages" && mkdir -p "$tmp/pages"
pdftoppm -r 40 -f 1 -l 7 "$tmp/merged.pdf" "$tmp/pages/m"
pdftoppm -r 40 -f 1 -l 7 "$tmp/single/Ananya_Iyer-ai-engineer.pdf" "$tmp/pages/s"
mapfile -t pa < <(ls "$tmp/pages"/m-*.ppm 2>/dev/null)
mapfile -t pb < <(ls "$tmp/pages"/s-*.ppm 2>/dev/null)
page_sums "${pa[@]}" "${pb[@]}"
for p in 1 2 3 4 5 6 7; do
    [ "${sums[${pa[p - 1]:-none}]:-a}" = "${sums[${pb[p - 1]:-none}]:-b}" ] || bad="$bad $p"
done
if [ -z "$bad" ]; then ok "$name"; else not_ok "$name" "pages differ:$bad"; fi
# The last student's pages too: the finisher keeps the first student's drawing whole and
# rebuilds every later page from its own part around it. Each report starts on an odd
# page (a blank page after an odd count), as the manifest's page counts tell.
name="merge: the last student's pages look like their own report"
first=$(awk -F, 'NR > 1 && $3 != "Student 20" {p += $6 + $6 % 2}
                 $3 == "Student 20" {print p + 1; n = $6} END {print n}' \
            "$tmp/merged.manifest.csv" | tr '\n' ' ')
read -r from count <<<"$first"
rm -rf "$tmp/pages" && mkdir -p "$tmp/pages"
if [ -n "${count:-}" ] && [ "$count" -gt 0 ]; then
    pdftoppm -r 40 -f "$from" -l $((from + count - 1)) "$tmp/merged.pdf" "$tmp/pages/m"
    pdftoppm -r 40 "$tmp/single/Student_20-ai-engineer.pdf" "$tmp/pages/s"
fi
mapfile -t pa < <(ls "$tmp/pages"/m-*.ppm 2>/dev/null)
mapfile -t pb < <(ls "$tmp/pages"/s-*.ppm 2>/dev/null)
bad=
[ "${#pa[@]}" -eq "${count:-0}" ] && [ "${#pb[@]}" -eq "${count:-0}" ] && [ "${count:-0}" -gt 0 ] ||
    bad=" (pages: ${#pa[@]} in the merged file, ${#pb[@]} in their own, ${count:-none} listed)"
page_sums "${pa[@]}" "${pb[@]}"
for ((p = 0; p < ${#pb[@]}; p++)); do
    [ "${sums[${pa[p]:-none}]:-a}" = "${sums[${pb[p]}]:-b}" ] || bad="$bad $((p + 1))"
done
if [ -z "$bad" ]; then ok "$name"; else not_ok "$name" "pages differ:$bad"; fi
check "merge: every student's name is in the file" "a name is missing" \
    sh -c "pdftotext '$tmp/merged.pdf' - | grep -c 'Prepared for Student' | grep -qx 20"

# A layout without student blocks (the handout) is one file for everyone: written once,
# copied per student, the same bytes as laid out whole.
make_all "$tmp/handout-a" --layout handout
CAREERPDF_WHOLE=1 make_all "$tmp/handout-b" --layout handout
bad=
for f in "$tmp/handout-b"/*.pdf; do
    cmp -s "$f" "$tmp/handout-a/${f##*/}" || bad="$bad ${f##*/}"
done
check "handouts for a roster are the same bytes as handouts laid out whole" \
    "differ:$bad" test -z "$bad"

finish shared
