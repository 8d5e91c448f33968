#!/usr/bin/env bash
# json.sh - output for scripts and editors: the JSON Schema export of content/schema/
# (--schema NAME --json-schema) against every bundled file and broken ones, --list --json
# and --summary against doc/schema/*.schema.json, --career - and --roster - from standard
# input. Validation is python3-jsonschema's (Draft 2020-12), never our own.
. "$(dirname "$0")/lib.sh" json
# validate_later NAME valid|invalid SCHEMA FILE...: a check that FILE... are valid (or that
# the first is not) against SCHEMA, made with the others by one Python run at the end
# (validate_all): a start of python3 with jsonschema costs 0.2 s of CPU here.
jobs=$tmp/validate.jobs want=()
validate_later() {
    local name=$1
    want+=("$2")
    shift 2
    (IFS=$'\t'; printf '%s\t%s\n' "$name" "$*") >>"$jobs"
}
validate_all() {
    local name verdict i=0
    python3 "$here/validate.py" --jobs "$jobs" >"$tmp/verdicts" 2>&1 ||
        not_ok "validate.py --jobs" "$(head -c 300 "$tmp/verdicts")"
    while IFS=$'\t' read -r name verdict; do
        if [[ ${want[i]} == valid && $verdict == valid ]] ||
            [[ ${want[i]} == invalid && $verdict == invalid:* ]]; then
            ok "$name"
        else
            not_ok "$name" "expected ${want[i]}: $verdict"
        fi
        i=$((i + 1))
    done <"$tmp/verdicts"
    [ "$i" -eq "${#want[@]}" ] || not_ok "validate.py --jobs" "$i verdicts for ${#want[@]} jobs"
}

# ---- JSON Schema export ------------------------------------------------------------------
for kind in career strings layout; do
    run --schema "$kind" --json-schema
    expect_rc "--schema $kind --json-schema (exit 0)" 0
    cp "$tmp/out" "$tmp/$kind.schema.json"
    check "$kind: content/schema/$kind.schema.json is the current export" \
        "differs: run ./careerpdf --schema $kind --json-schema >content/schema/$kind.schema.json" \
        cmp -s "$tmp/out" "content/schema/$kind.schema.json"
done
run --schema career
check "--schema career prints the YAML schema as written" "exit $rc" cmp -s "$tmp/out" content/schema/career.yaml
bases=$(ls content/careers/*.yaml | grep -v '\.[a-z][a-z]*\.yaml$')
validate_later "the career export is a valid draft 2020-12 schema; every bundled career validates" \
    valid "$tmp/career.schema.json" $bases
validate_later "the strings export is a valid draft 2020-12 schema; every strings file validates" \
    valid "$tmp/strings.schema.json" content/strings/*.yaml
validate_later "the layout export is a valid draft 2020-12 schema; every bundled layout validates" \
    valid "$tmp/layout.schema.json" layouts/*.yaml examples/school-layout.yaml
validate_later "the layout export rejects a misspelt top-level key" \
    invalid "$tmp/layout.schema.json" tests/bad/layouts/top-level-typo.yaml
missing=""
for f in $bases content/strings/*.yaml; do
    kind=career; case $f in content/strings/*) kind=strings ;; esac
    line="# yaml-language-server: \$schema=../schema/$kind.schema.json"
    head -n 1 "$f" | grep -qxF "$line" || missing="$missing $f"
done
check "bundled careers and strings carry the yaml-language-server modeline" "missing:$missing" \
    test -z "$missing"

# Broken careers: each rejected by the JSON Schema and by careerpdf alike.
cases="rating-too-high unknown-key quoted-number bad-date bad-currency"
sed 's/^\(  demand: \).*/\111/' content/careers/ai-engineer.yaml >"$tmp/rating-too-high.yaml"
sed 's/^tagline:/taglin:/' content/careers/ai-engineer.yaml >"$tmp/unknown-key.yaml"
sed 's/^reading_minutes: \(.*\)/reading_minutes: "\1"/' content/careers/ai-engineer.yaml >"$tmp/quoted-number.yaml"
sed 's/^updated: .*/updated: 2026-13/' content/careers/ai-engineer.yaml >"$tmp/bad-date.yaml"
sed 's/currency: USD}/currency: XYZ}/' content/careers/ai-engineer.yaml >"$tmp/bad-currency.yaml"
for c in $cases; do
    validate_later "JSON Schema rejects $c" invalid "$tmp/career.schema.json" "$tmp/$c.yaml"
    run --check "$tmp/$c.yaml"
    check "careerpdf --check rejects $c too" "exit $rc" test "$rc" -eq 2
done

run --schema no-such
check "--schema of an unknown kind: exit 2, names the kinds there are" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "no schema .no-such., expected one of: career, layout, strings" "$2"' _ "$rc" "$tmp/err"
run --list --json-schema
check "--json-schema without --schema: exit 2" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "json-schema goes with --schema" "$2"' _ "$rc" "$tmp/err"

# ---- --list --json -------------------------------------------------------------------------
run --list --json
expect_rc "--list --json (exit 0)" 0
cp "$tmp/out" "$tmp/list.json"
validate_later "--list --json validates against doc/schema/list.schema.json" \
    valid doc/schema/list.schema.json "$tmp/list.json"
"$CAREERPDF" --list | cut -f 1 >"$tmp/ids.txt"
python3 -c 'import json,sys; [print(c["id"]) for c in json.load(open(sys.argv[1]))]' "$tmp/list.json" >"$tmp/ids.json.txt"
check "--list --json has the ids of --list, in its order" "$(diff "$tmp/ids.txt" "$tmp/ids.json.txt" | head -n 3)" \
    cmp -s "$tmp/ids.txt" "$tmp/ids.json.txt"
check "--list --json gives each skill's roster column" "no rate:programming-logic for ai-engineer" \
    python3 -c 'import json,sys
c = {x["id"]: x for x in json.load(open(sys.argv[1]))}
a = c["ai-engineer"]
assert a["translations"] == ["ar", "hi"] and a["lang"] == "en" and a["role"] == "AI Engineer"
assert a["skills"][0]["column"] == "rate:programming-logic"' "$tmp/list.json"
run --json
check "--json without --list: exit 2" "exit $rc" test "$rc" -eq 2

# ---- --summary -------------------------------------------------------------------------------
head -n 4 examples/class-11b.csv >"$tmp/roster.csv"
echo 'Bad Row,no-such-career,11,,,,,,,,,,,,,,,,,' >>"$tmp/roster.csv"
run --roster "$tmp/roster.csv" --out-dir "$tmp/sum" --summary "$tmp/sum.json" -j 2 -q
expect_rc "--summary: a roster with one bad row (exit 1)" 1
validate_later "--summary validates against doc/schema/summary.schema.json" \
    valid doc/schema/summary.schema.json "$tmp/sum.json"
why=$(python3 "$here/summary_vs_manifest.py" "$tmp/sum.json" "$tmp/sum/manifest.csv" 2>&1)
st=$?
check "--summary has the manifest's facts, row by row" "$(head -n 2 <<<"$why")" test "$st" -eq 0
run --roster "$tmp/roster.csv" --merge "$tmp/all.pdf" --shard 1/2 --summary - -q
cp "$tmp/out" "$tmp/sum2.json"
check "--summary - (stdout) with --merge and --shard: exit 0" "exit $rc: $(first_err)" test "$rc" -eq 0
validate_later "--summary - (stdout) with --merge and --shard validates" \
    valid doc/schema/summary.schema.json "$tmp/sum2.json"
check "--summary records the shard and the merged file" "$(head -c 300 "$tmp/sum2.json")" \
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["shard"]=={"k":1,"n":2} and s["merge"] and s["counts"]["rows"]==2' "$tmp/sum2.json"
run --roster "$tmp/roster.csv" --out-dir "$tmp/sum3" --summary "$tmp/no/such/dir/s.json" -q
check "--summary into a missing folder: exit 2, nothing written" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 2 ] && [ -z "$(ls "$2" 2>/dev/null)" ]' _ "$rc" "$tmp/sum3"
run --career ai-engineer --summary "$tmp/x.json"
check "--summary without --roster: exit 2" "exit $rc" test "$rc" -eq 2

# ---- standard input ------------------------------------------------------------------------
"$CAREERPDF" --career ai-engineer -o "$tmp/by-id.pdf" 2>/dev/null
"$CAREERPDF" --career - -o "$tmp/stdin.pdf" <content/careers/ai-engineer.yaml >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "--career - reads the career from standard input (exit 0)" 0
check "--career - gives the same bytes as --career ai-engineer" "files differ" cmp -s "$tmp/by-id.pdf" "$tmp/stdin.pdf"
mkdir -p "$tmp/cwd"
(cd "$tmp/cwd" && "$CAREERPDF" --career - <"$root/content/careers/nurse.yaml" 2>/dev/null)
check "--career - without -o writes ./ID.pdf (the id inside)" "$(ls "$tmp/cwd")" test -s "$tmp/cwd/nurse.pdf"
sed 's/^\(  demand: \).*/\111/' content/careers/ai-engineer.yaml >"$tmp/bad.yaml"
"$CAREERPDF" --career - -o "$tmp/bad.pdf" <"$tmp/bad.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--career - with an error names <stdin>:LINE:COL" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "^careerpdf: <stdin>:[0-9]*:[0-9]*: error: stats.demand" "$2" && [ ! -e "$3" ]' _ "$rc" "$tmp/err" "$tmp/bad.pdf"
"$CAREERPDF" --check - <"$tmp/bad.yaml" >"$tmp/out" 2>"$tmp/err"
check "--check - checks a career from standard input" "exit $?" grep -q "<stdin>:.*stats.demand" "$tmp/err"

mkdir -p "$tmp/stdin-tmp"
TMPDIR=$tmp/stdin-tmp "$CAREERPDF" --roster - --out-dir "$tmp/rs" -q <"$tmp/roster.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--roster - (CSV) runs like the file: exit 1, the bad row named <stdin>:5" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 1 ] && grep -q "^careerpdf: <stdin>:5: error: career" "$2"' _ "$rc" "$tmp/err"
check "--roster - writes the same manifest as the roster file" "$(diff "$tmp/sum/manifest.csv" "$tmp/rs/manifest.csv" | head -n 3)" \
    cmp -s "$tmp/sum/manifest.csv" "$tmp/rs/manifest.csv"
check "--roster - leaves no temporary copy behind" "$(ls "$tmp/stdin-tmp")" test -z "$(ls "$tmp/stdin-tmp")"
printf 'name,career\n"never closed,nurse\n' |
    TMPDIR=$tmp/stdin-tmp "$CAREERPDF" --roster - --out-dir "$tmp/rb" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--roster - that cannot be read: exit 2, <stdin>:LINE, no temporary copy left" "exit $rc: $(first_err) $(ls "$tmp/stdin-tmp")" \
    bash -c '[ "$1" -eq 2 ] && grep -q "^careerpdf: <stdin>:2:1: error: this quoted field" "$2" && [ -z "$(ls "$3")" ]' _ "$rc" "$tmp/err" "$tmp/stdin-tmp"
printf -- '- name: Ana Ruiz\n  career: nurse\n- name: Ben Okoro\n  career: ai-engineer\n' |
    "$CAREERPDF" --roster - --out-dir "$tmp/ry" -q >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--roster - reads a YAML roster (a list of mappings)" "exit $rc: $(first_err)" \
    bash -c '[ "$1" -eq 0 ] && [ "$(ls "$2"/*.pdf | wc -l)" -eq 2 ]' _ "$rc" "$tmp/ry"
"$CAREERPDF" --career - --roster - --out-dir "$tmp/both" </dev/null >"$tmp/out" 2>"$tmp/err"
check "--career - with --roster -: exit 2" "exit $?" grep -q "both read standard input" "$tmp/err"

validate_all
finish json
