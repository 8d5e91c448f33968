#!/usr/bin/env bash
# tests/cli/run.sh - command-line tests that run the real binary.
#
#   CAREERPDF=./careerpdf PNGDIFF=build/tools/pngdiff tests/cli/run.sh
#
# Each test prints "ok - NAME" or "not ok - NAME: WHY"; the last line is
# "cli: N passed, N failed" and the exit status is non-zero when a test failed.
# Everything is written below one temporary folder that is removed on exit; failed golden
# comparisons leave their pictures in tests/out/ (ignored by git) for a look.
. "$(dirname "$0")/lib.sh" cli

is_pdf() { [ -s "$1" ] && [ "$(head -c 5 "$1")" = "%PDF-" ]; }
is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
png_width() { od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}'; }
# A folder holds nothing (no output file and no temporary file left behind).
empty_dir() { [ -z "$(ls -A "$1" 2>/dev/null)" ]; }

for tool in pdfinfo pdffonts pdftotext qpdf cmp od; do
    command -v "$tool" >/dev/null || not_ok "tool $tool" "not installed (make deps installs it)"
done
if [ ! -x "$CAREERPDF" ] && ! command -v "$CAREERPDF" >/dev/null; then
    not_ok "binary" "$CAREERPDF is not an executable (run make)"
    echo "cli: $passed passed, $failed failed"
    exit 1
fi

# ---- the report ------------------------------------------------------------------------
report=$tmp/report.pdf
run --career ai-engineer -o "$report"
expect_rc "report renders (exit 0)" 0
have_report=false
if is_pdf "$report"; then have_report=true; fi
check "report is a PDF file" "no PDF at -o path" $have_report
check "rendering writes nothing to stdout" "stdout: $(head -c 200 "$tmp/out")" test ! -s "$tmp/out"

if $have_report; then
    pages=$(pages_of "$report")
    check "report has 3-6 pages" "it has ${pages:-?} pages" \
        test "${pages:-0}" -ge 3 -a "${pages:-0}" -le 6

    qpdf --check "$report" >"$tmp/qpdf" 2>&1
    q=$?
    check "qpdf --check passes" "qpdf exit $q: $(grep -m2 -iE 'warn|error' "$tmp/qpdf")" \
        test "$q" -eq 0

    pdffonts "$report" >"$tmp/fonts" 2>&1
    # columns from the right: ... emb sub uni object-id generation
    bad_fonts=$(awk 'NR > 2 {
            name = $1; sub(/^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/, "", name)
            if ($(NF - 4) != "yes") print name " not embedded"
            if (name !~ /^(NotoSans[A-Za-z]*|FontAwesome)(-[A-Za-z]+)?$/) print name " not bundled"
        }' "$tmp/fonts" | sort -u | tr '\n' ',')
    nfonts=$(awk 'NR > 2' "$tmp/fonts" | wc -l)
    check "pdffonts: every font embedded and bundled (NotoSans*, FontAwesome)" \
        "${bad_fonts:-no fonts listed}" test -z "$bad_fonts" -a "$nfonts" -gt 0

    pdfinfo "$report" >"$tmp/info" 2>&1
    check "pdfinfo: Tagged: yes" "$(grep '^Tagged' "$tmp/info")" grep -q '^Tagged: *yes' "$tmp/info"
    missing_meta=""
    for key in Title Author Subject Keywords Creator; do
        grep -qE "^$key: +[^ ]" "$tmp/info" || missing_meta="$missing_meta $key"
    done
    check "metadata Title, Author, Subject, Keywords, Creator are set" "empty:$missing_meta" \
        test -z "$missing_meta"
    check "metadata title is the career's title" "$(grep '^Title' "$tmp/info")" \
        grep -q '^Title: *How to Become an AI Engineer in 2026$' "$tmp/info"
    a4_bad=$(pdfinfo -f 1 -l "${pages:-1}" "$report" 2>/dev/null |
        awk '/^Page +[0-9]+ size:/ { w = int($4 + 0.5); h = int($6 + 0.5)
             if (w != 595 || h != 842) print $2 ": " w "x" h }' | tr '\n' ' ')
    check "default paper is A4 (595x842 pt) on every page" "$a4_bad" test -z "$a4_bad"

    dests=$(pdfinfo -dests "$report" 2>/dev/null | awk 'NR > 1 && NF > 1' | wc -l)
    check "pdfinfo -dests lists named destinations" "found $dests" test "$dests" -gt 0

    qpdf --json --json-key=outlines "$report" >"$tmp/outlines.json" 2>&1
    entries=$(grep -c '"title":' "$tmp/outlines.json")
    check "outline has an entry per section (>= 15)" "found $entries" test "$entries" -ge 15
    missing_outline=""
    for t in "What is AI Engineering?" "AI Engineer salary in 2026" "Frequently asked questions"; do
        grep -qF "\"title\": \"$t\"" "$tmp/outlines.json" || missing_outline="$missing_outline '$t'"
    done
    check "outline names the sections" "missing:$missing_outline" test -z "$missing_outline"

    # /PageLabels with an empty /Nums array gives no labels at all; qpdf then reports only
    # the default {"/St": 1}. A real label has a style (/S) or a prefix (/P).
    qpdf --json --json-key=pagelabels "$report" >"$tmp/labels.json" 2>&1
    check "page labels are set (/S or /P in /PageLabels)" \
        "$(tr -d ' \n' <"$tmp/labels.json" | grep -o '"pagelabels":.*' | cut -c1-120)" \
        grep -qE '"/(S|P)"' "$tmp/labels.json"

    links=$(qpdf --qdf --object-streams=disable "$report" - 2>/dev/null | grep -ac '/Subtype /Link')
    check "report has clickable links (Link annotations)" "found $links" test "$links" -gt 0
fi

# ---- the report's text -------------------------------------------------------------------
# pdftotext without -layout, every run of white space made one space, so a phrase the
# layout wrapped onto two lines is still found.
text=$tmp/report.flat
if $have_report && pdftotext "$report" "$tmp/report.txt" 2>/dev/null; then
    tr -s '[:space:]' ' ' <"$tmp/report.txt" >"$text"
else
    : >"$text"
fi
# text_has NAME PHRASE...: every phrase is in the report's text (held by bash: some
# fifty phrases, no grep for each)
flat=$(<"$text")
text_has() {
    local name=$1 missing=""
    shift
    for phrase in "$@"; do
        [[ $flat == *"$phrase"* ]] || missing="$missing '$phrase'"
    done
    check "text: $name" "missing:$missing" test -z "$missing"
}
# YAML values of `  - KEY: VALUE` items in the top-level block SECTION of a career file
yaml_items() {
    awk -v section="$2" -v key="$3" '
        /^[^ #]/ { inside = ($0 ~ "^" section ":") }
        inside && $0 ~ "^  - " key ": " { sub("^  - " key ": ", ""); gsub(/^"|"$/, ""); print }
    ' "$1"
}

text_has "headline stats" '$95K' '$380K+' '10/10' '9.5/10' 'Excellent'
text_has "salary figures" '$95,000' '$140,000' '$220,000' '$380,000+'
text_has "salary levels" 'Entry Level AI Engineer' 'Mid Level AI Engineer' 'Senior AI Engineer'
mapfile -t steps < <(yaml_items content/careers/ai-engineer.yaml roadmap title)
check "roadmap titles read from the career file" "found ${#steps[@]} in content/careers/ai-engineer.yaml" \
    test "${#steps[@]}" -ge 3
[ "${#steps[@]}" -gt 0 ] && text_has "every roadmap step title" "${steps[@]}"
text_has "comparison header" 'Prompt Engineer vs AI Engineer'
text_has "comparison rows in reading order" 'Coding Low to Medium High' 'Math requirement Low High' \
    'AI knowledge High Very High' 'Entry barrier Lower Higher'
text_has "every FAQ question" 'Do I need coding to become an AI Engineer?' \
    'Can students become AI Engineers?' 'Is AI Engineering a good career in 2026?' \
    'Can AI Engineers work remotely?'
text_has "the 8 frameworks" 'PyTorch' 'Hugging Face' 'LangChain' 'LlamaIndex' \
    'Docker & Kubernetes' 'MLflow / Triton' 'Pinecone / Qdrant' 'FastAPI / gRPC'
text_has "the 8 industries" 'Cloud SaaS Platforms' 'Quantitative Finance' 'Autonomous Vehicles' \
    'Medical & Biotech' 'Cybersecurity Firms' 'Energy Grid Operations' 'Logistics' 'Game Development'
text_has "verdict labels" 'Demand' 'Salary potential' 'Remote work' 'Learning curve' 'Future growth'
text_has "core dimensions" 'MLOps Pipelines' 'LLM Fine-Tuning' 'Vector Database Development' \
    'Neural Architectures' 'API Infrastructure' 'Distributed Training'
text_has "cover" 'How to Become an AI Engineer in 2026' '12 min read' 'June 2026'
text_has "salary by region in local currency" '₹8,00,000' '£55,000'

order=$(awk '{
        s = tolower($0)
        a = index(s, "quick answer"); b = index(s, "what is ai engineering?")
        c = index(s, "frequently asked questions")
        print (a > 0 && b > a && c > b) ? "ok" : "positions " a ", " b ", " c
    }' "$text")
check "reading order: Quick answer, What is AI Engineering?, FAQ" "$order" test "$order" = ok

# ---- same input, same bytes; stdout -------------------------------------------------------
if $have_report; then
    run --career ai-engineer -o "$tmp/again.pdf"
    check "two runs give identical bytes" "$(cmp "$report" "$tmp/again.pdf" 2>&1)" \
        cmp -s "$report" "$tmp/again.pdf"
    "$CAREERPDF" --career ai-engineer -o - >"$tmp/stdout.pdf" 2>"$tmp/err"
    rc=$?
    expect_rc "-o - exits 0" 0
    check "-o - writes the same PDF to stdout" "$(cmp "$report" "$tmp/stdout.pdf" 2>&1)" \
        cmp -s "$report" "$tmp/stdout.pdf"
    run --career content/careers/ai-engineer.yaml -o "$tmp/by-path.pdf"
    expect_rc "--career accepts a path to the .yaml file" 0
fi

# Dates: one rule for every writer (src/render/pdf_date.h); a SOURCE_DATE_EPOCH that is
# not a number of seconds is refused, never read as 1969 or 1970.
printf 'name,career\nAsha Rao,ai-engineer\n' >"$tmp/date.csv"
for what in report haru merge; do
    case $what in
        report) args=(--career ai-engineer) ;;
        haru) args=(--career ai-engineer --backend haru) ;;
        merge) args=(--roster "$tmp/date.csv" --merge) ;;
    esac
    [ "$what" = merge ] || args+=(-o)
    SOURCE_DATE_EPOCH=-86400 run "${args[@]}" "$tmp/d.pdf"
    expect_rc "SOURCE_DATE_EPOCH=-86400 is refused ($what)" 2
done
check "...with a message saying what is expected" "$(first_err)" \
    grep -q "SOURCE_DATE_EPOCH: expected a whole number of seconds" "$tmp/err"
check "...and no file" "found one" test ! -e "$tmp/d.pdf"
SOURCE_DATE_EPOCH=86400 run --career ai-engineer -o "$tmp/d.pdf"
check "the career's own date wins over SOURCE_DATE_EPOCH" "$(pdfinfo "$tmp/d.pdf" | grep CreationDate)" \
    bash -c 'pdfinfo "$1" | grep -q "^CreationDate: .* 2026 UTC"' _ "$tmp/d.pdf"

# Default output name in the working folder; data found from the binary's own location.
mkdir -p "$tmp/cwd"
(cd "$tmp/cwd" && "$CAREERPDF" --career ai-engineer >"$tmp/out" 2>"$tmp/err")
rc=$?
expect_rc "run from another folder without -o (exit 0)" 0
check "without -o the report is ./ai-engineer.pdf" "folder holds: $(ls -A "$tmp/cwd" | tr '\n' ' ')" \
    is_pdf "$tmp/cwd/ai-engineer.pdf"

# ---- the product binary has no test switches (src/core/testing.h) --------------------------
check "the product binary reads no CAREERPDF_* variable" \
    "$(strings "$CAREERPDF" | grep CAREERPDF_ | tr '\n' ' ')" \
    bash -c '! strings "$1" | grep -q CAREERPDF_' _ "$CAREERPDF"
check "...the test build does (so the check above can fail)" "not found" \
    bash -c 'strings "$1" | grep -q CAREERPDF_TEST_CRASH_ROW' _ "$CAREERPDF_TESTING"
printf 'name,career\nAsha Rao,ai-engineer\n' >"$tmp/one.csv"
CAREERPDF_TEST_CRASH_ROW=1:always run --roster "$tmp/one.csv" --out-dir "$tmp/no-hook" -q
expect_rc "CAREERPDF_TEST_CRASH_ROW in a user's environment kills no worker" 0

# ---- paper sizes -------------------------------------------------------------------------
# paper_pages PDF W H: every page is W x H points (rounded)
paper_pages() {
    local n
    n=$(pages_of "$1")
    [ -n "$n" ] || return 1
    [ -z "$(pdfinfo -f 1 -l "$n" "$1" 2>/dev/null |
        awk -v W="$2" -v H="$3" '/^Page +[0-9]+ size:/ {
            if (int($4 + 0.5) != W || int($6 + 0.5) != H) print $2 }')" ]
}
run --career ai-engineer --paper Letter -o "$tmp/letter.pdf"
expect_rc "--paper Letter (exit 0)" 0
check "--paper Letter gives 612x792 pages" "$(pdfinfo "$tmp/letter.pdf" 2>&1 | grep 'Page size')" \
    paper_pages "$tmp/letter.pdf" 612 792
lp=$(pages_of "$tmp/letter.pdf")
check "Letter report has A4's page count, give or take one" "${lp:-?} Letter pages, ${pages:-?} A4" \
    test "${lp:-0}" -ge $((${pages:-0} - 1)) -a "${lp:-0}" -le $((${pages:-0} + 1)) -a "${lp:-0}" -gt 0
run --career ai-engineer --paper A4 -o "$tmp/a4.pdf"
expect_rc "--paper A4 (exit 0)" 0
check "--paper A4 gives 595x842 pages" "$(pdfinfo "$tmp/a4.pdf" 2>&1 | grep 'Page size')" \
    paper_pages "$tmp/a4.pdf" 595 842
run --career ai-engineer --paper B7-ish -o "$tmp/badpaper.pdf"
expect_rc "--paper with an unknown size exits 2" 2
check "--paper with an unknown size writes nothing" "file written" test ! -e "$tmp/badpaper.pdf"

# ---- PNG and SVG -------------------------------------------------------------------------
mkdir -p "$tmp/png"
run --career ai-engineer --format png --dpi 40 -o "$tmp/png/x.png"
expect_rc "--format png --dpi 40 (exit 0)" 0
npng=$(find "$tmp/png" -maxdepth 1 -type f -printf "%f\n" | grep -cE '^x-[0-9]+\.png$')
check "PNG pages are x-1.png ... x-N.png, one per page" \
    "found: $(ls "$tmp/png" | tr '\n' ' ') for ${pages:-?} pages" \
    test "$npng" -eq "${pages:-0}" -a ! -e "$tmp/png/x.png"
check "x-1.png is a PNG" "not a PNG" is_png "$tmp/png/x-1.png"
w=$(png_width "$tmp/png/x-1.png" 2>/dev/null)
check "--dpi 40 gives an A4 page about 331 px wide" "width ${w:-?}" \
    test "${w:-0}" -ge 328 -a "${w:-0}" -le 334
run --career ai-engineer --format svg --page 1 -o "$tmp/p1.svg"
expect_rc "--format svg --page 1 (exit 0)" 0
check "--format svg --page 1 writes one SVG" "$(head -c 100 "$tmp/p1.svg" 2>&1)" \
    grep -q '<svg' "$tmp/p1.svg"
run --career ai-engineer --format png --page 99 -o "$tmp/p99.png"
expect_rc "--page beyond the last page exits 2" 2
check "--page beyond the last page writes nothing" "file written" test ! -e "$tmp/p99.png"
"$CAREERPDF" --career ai-engineer --format png --dpi 20 --page 1 -o - >"$tmp/stdout.png" 2>"$tmp/err"
rc=$?
expect_rc "--format png -o - (exit 0)" 0
check "--format png -o - writes a PNG to stdout" "not a PNG" is_png "$tmp/stdout.png"

# ---- grayscale ---------------------------------------------------------------------------
run --career ai-engineer --grayscale -o "$tmp/grey.pdf"
expect_rc "--grayscale (exit 0)" 0
check "--grayscale PDF differs from the colour one" "identical bytes" \
    eval '! cmp -s "$report" "$tmp/grey.pdf"'
run --career ai-engineer --grayscale --format png --dpi 30 --page 1 -o "$tmp/grey.png"
expect_rc "--grayscale --format png (exit 0)" 0
if [ -x "$PNGDIFF" ]; then
    check "--grayscale page 1 has no colour" "$("$PNGDIFF" --grey "$tmp/grey.png" 2>&1)" \
        "$PNGDIFF" --grey "$tmp/grey.png"
else
    not_ok "--grayscale page 1 has no colour" "$PNGDIFF missing (make build/tools/pngdiff)"
fi

# ---- list, check, version, help ------------------------------------------------------------
run --list
expect_rc "--list (exit 0)" 0
check "--list: one 'id<TAB>title' per line" "$(head -n 3 "$tmp/out" | tr '\t\n' '|;')" \
    test -s "$tmp/out" -a "$(grep -cvE '^[a-z0-9-]+	[^	]+$' "$tmp/out")" -eq 0
check "--list is sorted by id" "$(cut -f1 "$tmp/out" | tr '\n' ' ')" \
    eval 'cut -f1 "$tmp/out" | LC_ALL=C sort -c 2>/dev/null'
check "--list shows ai-engineer with its title" "$(grep ai-engineer "$tmp/out")" \
    grep -qx 'ai-engineer	How to Become an AI Engineer in 2026' "$tmp/out"
# ID.yaml files only: ID.LANG.yaml files are translations of a career, not careers.
n_files=$(find content/careers -maxdepth 1 -type f -printf "%f\n" | grep -cE '^[a-z0-9-]+\.yaml$')
check "--list shows every career file" "$(wc -l <"$tmp/out") lines for $n_files files" \
    test "$(wc -l <"$tmp/out")" -eq "$n_files"

run --check content/
expect_rc "--check content/ (exit 0)" 0
check "--check writes nothing to stdout" "stdout not empty" test ! -s "$tmp/out"
# (one run for both suites: checking the bundled content takes most of a second)
check "--check content/: the shipped careers and translations give no warning" \
    "$(grep -m2 -E ': (warning|error): ' "$tmp/err" | tr '\n' ' ')" \
    eval '! grep -qE ": (warning|error): " "$tmp/err"'
# Without paths: the content folder (the bundled one unless --content says another; here
# one of a single career, as checking the bundled content again would take a second).
one_career "$tmp/one-career"
run --content "$tmp/one-career" --check
expect_rc "--check without paths checks the content folder (exit 0)" 0
check "... every career in it, with every layout" "$(first_err)" \
    grep -q "^careerpdf: checked 1 career with 3 layouts: 1 ok, 0 with errors" "$tmp/err"
mkdir -p "$tmp/checkcwd"
tests/bad/case.sh rating-too-high "$tmp/rating-too-high.yaml"
(cd "$tmp/checkcwd" && "$CAREERPDF" --check "$tmp/rating-too-high.yaml" >"$tmp/out" 2>"$tmp/err")
rc=$?
expect_rc "--check on a bad career exits 2" 2
check "--check on a bad career names the problem" "$(first_err)" \
    grep -q 'rating-too-high.yaml:[0-9]*:[0-9]*: error: stats.demand' "$tmp/err"
check "--check writes no file" "$(ls -A "$tmp/checkcwd")" empty_dir "$tmp/checkcwd"

run --version
expect_rc "--version (exit 0)" 0
check "--version prints 'careerpdf X.Y.Z' on stdout" "stdout: $(head -c 80 "$tmp/out")" \
    grep -qE '^careerpdf [0-9]+\.[0-9]+' "$tmp/out"
run --help
expect_rc "--help (exit 0)" 0
check "--help prints the usage on stdout" "stdout: $(head -c 80 "$tmp/out")" \
    grep -q -- '--career' "$tmp/out"
check "--help prints nothing on stderr" "stderr: $(first_err)" test ! -s "$tmp/err"

# ---- usage errors ------------------------------------------------------------------------
mkdir -p "$tmp/usage"
usage_case() { # NAME STDERR-SUBSTRING ARGS...: exit 2, message on stderr, nothing written
    local name=$1 want=$2
    shift 2
    (cd "$tmp/usage" && "$CAREERPDF" "$@" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ "$rc" -ne 2 ]; then
        not_ok "$name" "exit $rc, expected 2; stderr: $(first_err)"
    elif ! grep -qF -- "$want" "$tmp/err"; then
        not_ok "$name" "stderr lacks '$want': $(first_err)"
    elif [ -s "$tmp/out" ]; then
        not_ok "$name" "stdout not empty: $(head -c 100 "$tmp/out")"
    elif ! empty_dir "$tmp/usage"; then
        not_ok "$name" "left behind: $(ls -A "$tmp/usage" | tr '\n' ' ')"
    elif ! sanitizer_clean; then
        not_ok "$name" "sanitizer report"
    else
        ok "$name"
    fi
    rm -rf "$tmp/usage" && mkdir -p "$tmp/usage"
}
usage_case "unknown flag exits 2" "--frobnicate" --frobnicate
usage_case "--career without a value exits 2" "--career" --career
usage_case "no arguments exits 2" "careerpdf" 
usage_case "unknown career id exits 2 and names it" "no-such-career" --career no-such-career
usage_case "id '..' is refused" ".." --career ..
# enough ../ to reach / from any working folder: the file exists, and is no career
usage_case "path traversal ../../etc/passwd is refused" "passwd" \
    --career ../../../../../../../../../../../../etc/passwd
usage_case "id with a slash that does not exist is refused" "ai-engineer/../x" \
    --career ai-engineer/../x
usage_case "id with capitals and underscores is refused" "AI_Engineer" --career AI_Engineer
usage_case "--format with an unknown format exits 2" "--format" --career ai-engineer --format docx
usage_case "--dpi 0 exits 2" "--dpi" --career ai-engineer --format png --dpi 0
usage_case "a stray argument exits 2" "stray" --career ai-engineer stray
usage_case "unknown layout exits 2" "no-such-layout" --career ai-engineer --layout no-such-layout

# ---- output that cannot be written: exit 2, nothing left behind -----------------------------
mkdir -p "$tmp/w"
run --career ai-engineer -o "$tmp/w/no/such/folder/x.pdf"
expect_rc "output into a missing folder exits 2" 2
check "output into a missing folder leaves nothing" "$(ls -A "$tmp/w")" empty_dir "$tmp/w"
mkdir -p "$tmp/w/isdir"
run --career ai-engineer -o "$tmp/w/isdir"
expect_rc "output onto an existing folder exits 2" 2
check "output onto an existing folder leaves no temporary file" \
    "$(ls -A "$tmp/w" "$tmp/w/isdir" | tr '\n' ' ')" \
    test "$(ls -A "$tmp/w")" = isdir -a -z "$(ls -A "$tmp/w/isdir")"
rm -rf "$tmp/w" && mkdir -p "$tmp/w"
if [ "$(id -u)" -ne 0 ]; then
    chmod 555 "$tmp/w"
    run --career ai-engineer -o "$tmp/w/x.pdf"
    expect_rc "output into a read-only folder exits 2" 2
    check "output into a read-only folder leaves nothing" "$(ls -A "$tmp/w")" empty_dir "$tmp/w"
    chmod 755 "$tmp/w"
fi
printf 'old contents\n' >"$tmp/w/keep.pdf"
run --career "$tmp/rating-too-high.yaml" -o "$tmp/w/keep.pdf"
expect_rc "bad input with an existing output file exits 2" 2
check "bad input leaves an existing output file untouched" \
    "$(head -c 40 "$tmp/w/keep.pdf" | tr -d '\0')" \
    test "$(cat "$tmp/w/keep.pdf")" = "old contents" -a "$(ls -A "$tmp/w")" = keep.pdf

# ---- golden pixels and text ----------------------------------------------------------------
golden=tests/golden
mkdir -p "$tmp/golden"
for p in 1 2; do
    name="golden pixels: report page $p at 30 dpi"
    want=$golden/report-p$p.png
    got=$tmp/golden/report-p$p.png
    run --career ai-engineer --format png --dpi 30 --page "$p" -o "$got"
    if [ ! -f "$want" ]; then
        not_ok "$name" "no $want (make golden-update)"
    elif [ "$rc" -ne 0 ] || ! is_png "$got"; then
        not_ok "$name" "render failed: exit $rc $(first_err)"
    elif [ ! -x "$PNGDIFF" ]; then
        not_ok "$name" "$PNGDIFF missing (make build/tools/pngdiff)"
    elif verdict=$("$PNGDIFF" "$want" "$got" "$tmp/golden/diff-p$p.png" 2>&1); then
        ok "$name"
    else
        mkdir -p tests/out
        cp "$got" "tests/out/report-p$p.png"
        [ -f "$tmp/golden/diff-p$p.png" ] && cp "$tmp/golden/diff-p$p.png" "tests/out/report-p$p-diff.png"
        not_ok "$name" "$verdict; see tests/out/report-p$p.png and report-p$p-diff.png"
    fi
done
name="golden text: pdftotext of the report equals tests/golden/report.txt"
if [ ! -f "$golden/report.txt" ]; then
    not_ok "$name" "no $golden/report.txt (make golden-update)"
elif ! $have_report; then
    not_ok "$name" "no report"
elif diff -u "$golden/report.txt" "$tmp/report.txt" >"$tmp/text.diff" 2>&1; then
    ok "$name"
else
    mkdir -p tests/out
    cp "$tmp/report.txt" tests/out/report.txt
    cp "$tmp/text.diff" tests/out/report.txt.diff
    not_ok "$name" "differs, see tests/out/report.txt.diff: $(grep -m3 '^[-+][^-+]' "$tmp/text.diff" | tr '\n' ' ' | cut -c1-200)"
fi

# ---- install ---------------------------------------------------------------------------------
# `make install` into a temporary prefix; the installed binary must find its data from
# anywhere. (This installs the default build, whatever $CAREERPDF is.)
prefix=$tmp/prefix
if command -v make >/dev/null && [ -f Makefile ]; then
    make --no-print-directory -s install PREFIX="$prefix" >"$tmp/install.log" 2>&1
    irc=$?
    check "make install PREFIX=tmp (exit 0)" "exit $irc: $(tail -n 3 "$tmp/install.log" | tr '\n' ' ')" \
        test "$irc" -eq 0
    missing_inst=""
    for f in bin/careerpdf share/man/man1/careerpdf.1 share/careerpdf/content/careers/ai-engineer.yaml \
        share/careerpdf/content/schema/career.yaml share/careerpdf/layouts/report.yaml \
        share/careerpdf/fonts/NotoSans-Regular.ttf share/careerpdf/fonts/OFL.txt \
        share/bash-completion/completions/careerpdf; do
        [ -e "$prefix/$f" ] || missing_inst="$missing_inst $f"
    done
    check "install puts binary, data and man page in place" "missing:$missing_inst" test -z "$missing_inst"
    (cd / && "$prefix/bin/careerpdf" --list >"$tmp/out" 2>"$tmp/err")
    rc=$?
    expect_rc "installed binary runs from / (--list, exit 0)" 0
    check "installed --list shows ai-engineer" "$(head -c 200 "$tmp/out")" grep -q '^ai-engineer	' "$tmp/out"
    (cd / && "$prefix/bin/careerpdf" --career ai-engineer -o "$tmp/installed.pdf" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    expect_rc "installed binary renders the report from / (exit 0)" 0
    if $have_report; then
        check "installed binary writes the same bytes as the build" "files differ" \
            cmp -s "$report" "$tmp/installed.pdf"
    fi
    if command -v groff >/dev/null; then
        groff -man -ww -z "$prefix/share/man/man1/careerpdf.1" >"$tmp/groff" 2>&1
        check "man page formats without warnings" "$(head -n 3 "$tmp/groff" | tr '\n' ' ')" \
            test ! -s "$tmp/groff"
    fi
fi
# Every long option that --help shows is documented in the man page.
"$CAREERPDF" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]+' | sort -u >"$tmp/flags"
undocumented=""
man_text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' doc/careerpdf.1 2>/dev/null)   # read once, not once a flag
while read -r flag; do
    [[ $man_text == *"$flag"* ]] || undocumented="$undocumented $flag"
done <"$tmp/flags"
check "man page documents every flag in --help" "missing:$undocumented" test -z "$undocumented"

# ---- layouts that cannot make a sensible document are refused ---------------------------
printf 'extends: report\npage: {margins: {inner: 200mm}}\n' >"$tmp/wide-margins.yaml"
run --career ai-engineer --layout "$tmp/wide-margins.yaml" -o "$tmp/margins.pdf"
check "margins that leave no page are refused with their place" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "wide-margins.yaml:2:.*page.margins" "$2" && [ ! -e "$3" ]' \
    _ "$rc" "$tmp/err" "$tmp/margins.pdf"
printf 'extends: report\ntheme: {gap: -100}\n' >"$tmp/neg-gap.yaml"
run --career ai-engineer --layout "$tmp/neg-gap.yaml" -o "$tmp/gap.pdf"
check "a negative gap is refused" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "neg-gap.yaml:2:.*theme.gap" "$2"' _ "$rc" "$tmp/err"
{ echo "extends: report"; echo "blocks:"
  for _ in $(seq 1 510); do echo "  - {kind: heading, title: sections.faq}"
                           echo "  - page_break"; done; } >"$tmp/long.yaml"
run --career ai-engineer --layout "$tmp/long.yaml" -o "$tmp/long.pdf"
check "a runaway layout stops at the page limit" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "expected at most 500" "$2" && [ ! -e "$3" ]' \
    _ "$rc" "$tmp/err" "$tmp/long.pdf"

# ---- the contents block prints the pages the sections start on ---------------------------
# (the A4 and Letter reports made above)
for paper in A4 Letter; do
    why=$(python3 tests/cli/contents_pages.py "$tmp/$([ $paper = A4 ] && echo a4 || echo letter).pdf" 2>&1)
    st=$?
    check "contents page numbers match the section pages ($paper)" "$(head -n 3 <<<"$why")" \
        test "$st" -eq 0
done

# ---- a career that leaves out every optional section -----------------------------------
# The schema makes examples, applications, certifications, regional salaries, the growth
# path, the comparison, the next step, the author and related careers optional: such a
# career renders, and its report has neither those headings nor their contents entries.
run --career tests/cli/minimal-career.yaml -o "$tmp/minimal.pdf"
expect_rc "a career without optional sections renders" 0
if [ -f "$tmp/minimal.pdf" ]; then
    left=$(pdftotext "$tmp/minimal.pdf" - | grep -cE 'Related career|Certifications for|growth path|vs AI Engineer')
    check "optional sections leave no heading or contents entry behind" "found $left" \
        test "$left" -eq 0
fi

# ---- sanitizer build only: what the leak suppressions hide -----------------------------------
# Against an AddressSanitizer build, render once with no suppressions and full stacks:
# every leak reported must be library-internal (no frame in careerpdf's own code), and
# no pattern in tests/lsan.supp may name one of careerpdf's functions.
if grep -qa '__asan_init' "$CAREERPDF" 2>/dev/null; then
    ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:symbolize=1 LSAN_OPTIONS='' \
        "$CAREERPDF" --career ai-engineer -o "$tmp/leaks.pdf" >/dev/null 2>"$tmp/leaks"
    ours=$(awk '
        /^(Direct|Indirect) leak/ { block = $0; inside = 1; next }
        inside && /^$/ { if (hit) print block; inside = 0; hit = 0; next }
        inside && !/libsanitizer/ && (/[ \/(]src\/[a-z_\/]+\.c:[0-9]/ || /careerpdf\+0x/) { hit = 1 }
        END { if (inside && hit) print block }' "$tmp/leaks" | sort | uniq -c | tr '\n' ';')
    total=$(grep -cE '^(Direct|Indirect) leak' "$tmp/leaks")
    check "sanitizer: no leak passes through careerpdf code ($total library leaks)" \
        "leaks with careerpdf frames: $ours" test -z "$ours"
    nm -P --defined-only "$CAREERPDF" 2>/dev/null | awk '$2 ~ /^[Tt]$/ {print $1}' >"$tmp/ours.sym"
    named=""
    while read -r pattern; do
        piece=${pattern#leak:}
        piece=${piece#^}
        piece=${piece%\$}
        piece=${piece%%\**}
        [ -n "$piece" ] && grep -qxF -- "$piece" "$tmp/ours.sym" && named="$named $piece"
    done < <(grep -E '^leak:' tests/lsan.supp)
    check "sanitizer: tests/lsan.supp names no careerpdf function" "names:$named" test -z "$named"
fi

finish cli
