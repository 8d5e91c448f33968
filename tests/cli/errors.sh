#!/usr/bin/env bash
# tests/cli/errors.sh - everything a user writes is checked: layouts against their schema
# (and the schema against layouts/README.md), --check of layout files and folders, logos
# (PNG, JPEG, missing, not an image, huge, too thin), flags that cannot be honoured, YAML
# syntax errors with their usual fix, the version's one source.
#
#   CAREERPDF=./careerpdf MKIMAGE=build/tools/mkimage tests/cli/errors.sh
. "$(dirname "$0")/lib.sh" errors
MKIMAGE=$(abs "${MKIMAGE:-$root/build/tools/mkimage}")

# refused NAME WANT ARGS...: exit 2, stderr holds WANT, nothing in $tmp/w afterwards.
refused() {
    local name=$1 want=$2
    shift 2
    rm -rf "$tmp/w" && mkdir -p "$tmp/w"
    run "$@"
    if [ "$rc" -ne 2 ]; then
        not_ok "$name" "exit $rc, expected 2; stderr: $(first_err)"
    elif ! grep -qF -- "$want" "$tmp/err"; then
        not_ok "$name" "stderr lacks '$want': $(first_err)"
    elif [ -n "$(ls -A "$tmp/w")" ]; then
        not_ok "$name" "left behind: $(ls -A "$tmp/w" | tr '\n' ' ')"
    elif [ -s "$tmp/out" ]; then
        not_ok "$name" "stdout not empty"
    else
        ok "$name"
    fi
}

# ---- the layout schema and its documentation -----------------------------------------
why=$(python3 "$here/layout_doc.py" layouts/README.md content/schema/layout.yaml 2>&1)
st=$?
check "layouts/README.md and content/schema/layout.yaml list the same options" \
    "$(head -n 3 <<<"$why")" test "$st" -eq 0
# The comparison can fail: a README without the faq's `limit` row, a schema without a
# colour, a README naming an option the schema lacks.
sed '/^### timeline/,/^### table/{/^| `direction`/d}' layouts/README.md >"$tmp/readme-less.md"
check "the doc comparison notices an option missing from the README" "passed anyway" \
    eval '! python3 "$here/layout_doc.py" "$tmp/readme-less.md" content/schema/layout.yaml >/dev/null'
sed 's/^          note_bg: {type: color}$//' content/schema/layout.yaml >"$tmp/schema-less.yaml"
check "the doc comparison notices an option missing from the schema" "passed anyway" \
    eval '! python3 "$here/layout_doc.py" layouts/README.md "$tmp/schema-less.yaml" >/dev/null'

# Every bundled layout and the example pass their schema.
for l in report handout poster examples/school-layout.yaml; do
    run --career ai-engineer --layout "$l" -o "$tmp/$(basename "$l" .yaml).pdf"
    expect_rc "layout $l passes the layout schema" 0
done

# ---- --check of what the user wrote ---------------------------------------------------
run --check examples/school-layout.yaml
expect_rc "--check LAYOUT.yaml: a good layout file exits 0" 0
check "--check LAYOUT.yaml lays every career out with that layout" "$(first_err)" \
    grep -q "checked [0-9]* careers with 1 layout: [0-9]* ok, 0 with errors" "$tmp/err"
refused "--check LAYOUT.yaml: a bad layout file exits 2 naming its line" \
    "tests/bad/layouts/block-option-typo.yaml:6:28: error: blocks[2].limt" \
    --check tests/bad/layouts/block-option-typo.yaml
check "--check LAYOUT.yaml reports a bad layout once, not once per career" "$(first_err)" \
    test "$(grep -c 'error:' "$tmp/err")" -eq 1
printf 'extends: report\nblocks:\n  - cover\n  - {kind: faq, data: faq, limt: 2}\n' >"$tmp/limt.yaml"
refused "--check --layout FILE checks that layout" "limt.yaml:4:28: error: blocks[1].limt" \
    --check --layout "$tmp/limt.yaml"
mkdir -p "$tmp/lays" && cp layouts/*.yaml "$tmp/lays/" && cp "$tmp/limt.yaml" "$tmp/lays/mine.yaml"
one_career "$tmp/one-career"
refused "--check --layouts DIR checks every layout there" "mine.yaml:4:28: error: blocks[1].limt" \
    --content "$tmp/one-career" --check --layouts "$tmp/lays"
check "--check --layouts DIR counts the layouts it found" "$(first_err)" \
    grep -q "with 4 layouts" "$tmp/err"
run --check content/careers/nurse.yaml
check "--check CAREER.yaml still checks a career file (with every layout)" "$(first_err)" \
    grep -q "checked 1 career with 3 layouts: 1 ok" "$tmp/err"

run --check --career nurse --layout handout
check "--check --career ID --layout NAME checks that career with that layout" "$(first_err)" \
    grep -q "checked 1 career with 1 layout: 1 ok, 0 with errors" "$tmp/err"
refused "--check --career with an unknown id fails naming it" "no career 'nurse-x'" \
    --check --career nurse-x
refused "--check with -o is refused (it writes nothing)" "--check writes nothing" \
    --check -o "$tmp/w/x.pdf"

# ---- --check --json: the same diagnostics as JSON lines ---------------------------------
"$CAREERPDF" --check --json tests/bad/layouts/block-option-typo.yaml tests/bad/layouts/tone-typo.yaml \
    >"$tmp/check.jsonl" 2>"$tmp/err"
rc=$?
expect_rc "--check --json of bad layouts exits 2" 2
cat >"$tmp/validate.py" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()
assert lines, "no JSON lines"
for line in lines:
    jsonschema.validate(json.loads(line), schema)
print(len(lines))
PY
why=$(python3 "$tmp/validate.py" doc/schema/check.schema.json "$tmp/check.jsonl" 2>&1)
st=$?
check "--check --json lines validate against doc/schema/check.schema.json" \
    "$(tail -n 1 <<<"$why")" test "$st" -eq 0
check "--check --json gives file, line, column, path, code and hint as values" "$(head -c 300 "$tmp/check.jsonl")" \
    python3 -c 'import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; x=d[0]; sys.exit(not (len(d)==2 and x["file"]=="tests/bad/layouts/block-option-typo.yaml" and x["line"]==6 and x["column"]==28 and x["path"]=="blocks[2].limt" and x["code"]=="schema.unknown-option" and x["hint"]=="did you mean '"'limit'"'?" and x["severity"]=="error"))' "$tmp/check.jsonl"
check "--check --json prints no text diagnostics on stderr" "$(first_err)" \
    eval '! grep -q "error:" "$tmp/err"'
# Real output of every kind: a career's syntax error and a warning (a thin logo).
printf 'tagline: Build AI: the guide\n' >"$tmp/syntax-career.yaml"
"$CAREERPDF" --check --json "$tmp/syntax-career.yaml" >"$tmp/check2.jsonl" 2>/dev/null
check "--check --json of a YAML syntax error validates and carries its hint" "$(cat "$tmp/check2.jsonl")" \
    eval 'python3 "$tmp/validate.py" doc/schema/check.schema.json "$tmp/check2.jsonl" >/dev/null &&
          grep -q "\"code\": \"yaml.syntax\".*must be quoted" "$tmp/check2.jsonl"'
refused "--json without --check or --list is refused" "--json goes with --list or --check" \
    --career ai-engineer --json -o "$tmp/w/x.pdf"

# ---- logos ------------------------------------------------------------------------------
logo_layout() { printf 'extends: report\ntheme:\n  logo: %s\n  logo_alt: Test crest\n' "$1" >"$tmp/logo-$2.yaml"; }
# embedded NAME PDF AWK-CONDITION: pdfimages -list of PDF has a row meeting the condition
# ($4 width, $5 height, $9 encoding).
embedded() {
    check "$1" "$(pdfimages -list "$2" 2>&1 | tail -n +3 | head -n 2)" \
        eval "pdfimages -list '$2' | awk 'NR > 2 && $3' | grep -q ."
}
if [ -x "$MKIMAGE" ]; then
    "$MKIMAGE" jpeg 600 400 "$tmp/logo.jpg"
    logo_layout logo.jpg jpeg
    run --career ai-engineer --layout "$tmp/logo-jpeg.yaml" -o "$tmp/w-jpeg.pdf"
    expect_rc "a JPEG logo renders" 0
    embedded "a JPEG logo is embedded as it is (DCT-encoded, 600x400)" "$tmp/w-jpeg.pdf" \
        '$4 == 600 && $5 == 400 && $9 == "jpeg"'
    run --career ai-engineer --layout "$tmp/logo-jpeg.yaml" --backend haru -o "$tmp/w-jpeg-haru.pdf"
    expect_rc "a JPEG logo renders with the haru writer" 0
    embedded "the haru writer embeds a JPEG logo as it is" "$tmp/w-jpeg-haru.pdf" \
        '$4 == 600 && $5 == 400 && $9 == "jpeg"'
    run --career ai-engineer --layout "$tmp/logo-jpeg.yaml" --format png --dpi 40 --page 1 \
        -o "$tmp/w-jpeg.png"
    expect_rc "a JPEG logo renders in PNG output too" 0

    # Over the 16 megapixels a PNG may be decoded whole, so read row by row into its
    # print size: 4500 pixels a side in make test, 9000 (81 megapixels) in make test-full.
    side=4500
    full && side=9000
    "$MKIMAGE" png $side $side "$tmp/huge.png"
    logo_layout huge.png huge
    run --career ai-engineer --layout "$tmp/logo-huge.yaml" -o "$tmp/w-huge.pdf"
    expect_rc "a $side x $side PNG logo renders" 0
    embedded "a $side x $side PNG logo is embedded at print size (300 dpi in its box), not whole" \
        "$tmp/w-huge.pdf" '$4 > 100 && $4 <= 400 && $5 <= 400'

    "$MKIMAGE" png 4000 100 "$tmp/banner.png"
    logo_layout banner.png banner
    run --career ai-engineer --layout "$tmp/logo-banner.yaml" -o "$tmp/w-banner.pdf"
    expect_rc "a 40:1 banner logo still renders" 0
    check "a 40:1 banner logo gets a warning at the layout's logo line" "$(first_err)" \
        grep -q "logo-banner.yaml:3:9: warning: theme.logo: '.*banner.png' is 4000 x 100 pixels" "$tmp/err"
    "$CAREERPDF" --check --json "$tmp/logo-banner.yaml" >"$tmp/check3.jsonl" 2>/dev/null
    check "--check --json of a warning validates (severity warning, exit 0)" "$(head -c 300 "$tmp/check3.jsonl")" \
        eval 'python3 "$tmp/validate.py" doc/schema/check.schema.json "$tmp/check3.jsonl" >/dev/null &&
              grep -q "\"severity\": \"warning\".*\"code\": \"layout.logo-shape\"" "$tmp/check3.jsonl"'
else
    not_ok "logo images" "$MKIMAGE is missing (make build/tools/mkimage)"
fi

# ---- flags ------------------------------------------------------------------------------
refused "a single-valued flag given twice is refused" \
    "--career given twice ('nurse', then 'data-scientist')" \
    --career nurse --career data-scientist -o "$tmp/w/x.pdf"
refused "-o given twice is refused" "--output given twice" \
    --career nurse -o "$tmp/w/a.pdf" --output "$tmp/w/b.pdf"
refused "--page with PDF output is refused" "--page picks one page of PNG or SVG output" \
    --career ai-engineer --page 2 -o "$tmp/w/x.pdf"
refused "several PNG pages to standard output are refused" \
    "the document has 6 pages and this output takes one png image; expected --page N" \
    --career ai-engineer -o - --format png
run --career ai-engineer -o - --format png --dpi 20 --page 2
check "one PNG page to standard output with --page works" "exit $rc" \
    eval '[ "$rc" -eq 0 ] && [ "$(head -c 4 "$tmp/out" | od -An -c | tr -d " ")" = "211PNG" ]'
refused "--tile on a report (not a poster) is refused" \
    "--tile splits a one-page poster onto sheets, but this document has" \
    --career ai-engineer --tile Letter -o "$tmp/w/t.pdf"
refused "an unknown career id says so, points to --list and suggests the nearest id" \
    "error: no career 'nurse-x' in content/careers, expected an id that careerpdf --list shows (did you mean 'nurse'?)" \
    --career nurse-x -o "$tmp/w/x.pdf"
refused "a path under the working folder is named relative to it" \
    "careerpdf: tests/bad/layouts/max-page.yaml:3:1: error:" \
    --career ai-engineer --layout "$root/tests/bad/layouts/max-page.yaml" -o "$tmp/w/x.pdf"

# ---- the version: one source ------------------------------------------------------------
# The top entry of debian/changelog (a release is a changelog entry).
version=$(head -n 1 debian/changelog | cut -d ' ' -f 2 | tr -d '()')
run --version
check "--version prints the changelog's version" "$(cat "$tmp/out")" \
    test "$(cat "$tmp/out")" = "careerpdf $version"
check "the man page's title line carries the same version" "$(head -n 1 doc/careerpdf.1)" \
    grep -q "\"careerpdf $version\"" doc/careerpdf.1

# ---- YAML syntax errors with their usual fix ----------------------------------------------
yaml_hint() { # NAME FILE-TEXT WANT
    printf '%s\n' "$2" >"$tmp/syntax.yaml"
    refused "YAML syntax: $1" "$3" --career ai-engineer --layout "$tmp/syntax.yaml" \
        -o "$tmp/w/x.pdf"
}
yaml_hint "an unquoted ': ' in a value" $'extends: report\ntheme:\n  footer: Careers: {title}' \
    "syntax.yaml:3:18: error: syntax error: mapping values are not allowed in this context (a value containing ': ' must be quoted"
yaml_hint "an unquoted colour in a flow mapping" $'extends: report\ntheme:\n  colors: {primary: #0F5132}' \
    "must be quoted"
yaml_hint "a ' #' inside a flow value" $'extends: report\ntheme: {organisation: Lakeview #1}' \
    "' #' starts a comment, so a value containing ' #' or starting with '#'"
yaml_hint "an unclosed quote" $'extends: report\ntheme:\n  organisation: "Lakeview' \
    "a quoted value is missing its closing quote"
yaml_hint "a value starting with @" $'extends: report\ntheme:\n  organisation: @home' \
    "a value starting with @, \` or % must be quoted"
yaml_hint "a key indented out of line" $'extends: report\ntheme:\n  organisation: x\n   footer: y' \
    "check the indentation"

finish errors
