#!/usr/bin/env bash
# tests/cli/bad.sh - the bad-input corpus (tests/bad/, see tests/README.md): every bad
# career and every bad layout exits 2 with its one expected message, at its place, and
# writes nothing; then cases made at run time (too big to keep, or not a file).
#
# About a hundred cases, so each costs as few processes as it can: the patched careers
# are made in one go (tests/bad/case.sh --all) and the checks of a run read its stderr
# and its output folder with bash itself, not with grep and ls.
. "$(dirname "$0")/lib.sh" bad
shopt -s nullglob dotglob

# bad_run NAME EXPECT ARGS...: careerpdf ARGS -o OUT/NAME.pdf exits 2, stderr holds
# EXPECT and exactly one error, every line starts with "careerpdf: ", and nothing is
# written to the output folder or to stdout. CAREERPDF_BAD_TIMEOUT (seconds) bounds the
# run of a case that would hang if the loader's limits broke.
bad_run() {
    local name=$1 want=$2 out="$tmp/bad/$1" line errors=0 lines=() left=()
    shift 2
    [ -d "$out" ] || mkdir -p "$out"   # (the corpus's folders are made at once below)
    ${limit:+timeout "$limit"} "$CAREERPDF" "$@" -o "$out/$name.pdf" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    mapfile -t lines <"$tmp/err"
    for line in "${lines[@]}"; do
        [[ $line == *': error: '* ]] && errors=$((errors + 1))
    done
    left=("$out"/*)
    local all=${lines[*]}
    if [ "$rc" -ne 2 ]; then
        not_ok "bad input $name" "exit $rc, expected 2; stderr: $(first_err)"
    elif [[ $all != *"$want"* ]]; then
        not_ok "bad input $name" "stderr lacks '$want'; stderr: $(first_err)"
    elif [ "$errors" -ne 1 ]; then
        not_ok "bad input $name" "$errors errors reported, expected 1 (is more than one thing wrong?): $(first_err)"
    elif [[ ${lines[0]:-} != 'careerpdf: '* ]]; then
        not_ok "bad input $name" "message does not start with 'careerpdf: ': $(first_err)"
    elif [ ${#left[@]} -ne 0 ]; then
        not_ok "bad input $name" "left behind: ${left[*]##*/}"
    elif [ -s "$tmp/out" ]; then
        not_ok "bad input $name" "stdout not empty"
    elif [[ $all == *Sanitizer* || $all == *'runtime error:'* ]]; then
        not_ok "bad input $name" "sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$tmp/err")"
    else
        ok "bad input $name"
    fi
}
# bad_case NAME CAREER-ARG EXPECT: a bad career file
bad_case() { bad_run "$1" "$3" --career "$2"; }
# bad_layout NAME LAYOUT-ARG EXPECT: a bad layout, with a good career
bad_layout() { bad_run "layout-$1" "$3" --career ai-engineer --layout "$2"; }
# first line of FILE, without a process
first_line() { local l; IFS= read -r l <"$1"; printf '%s' "$l"; }
mkdir -p "$tmp/bad"

# Most cases are a patch over the AI engineer career; cases about the YAML layer itself
# are files of their own.
mkdir -p "$tmp/bad-src"
tests/bad/case.sh --all "$tmp/bad-src" 2>"$tmp/apply.err"
# Every case's output folder, made by one mkdir rather than one each.
cases=(tests/bad/*.yaml tests/bad/*.patch tests/bad/layouts/*.yaml)
cases=("${cases[@]##*/}")
cases=("${cases[@]%.*}")
mkdir -p "${cases[@]/#/$tmp/bad/}" "${cases[@]/#/$tmp/bad/layout-}"
ncases=0
for src in tests/bad/*.yaml tests/bad/*.patch; do
    name=${src##*/}
    name=${name%.*}
    yaml=$src
    expect=tests/bad/$name.expect
    if [ "${src##*.}" = patch ]; then
        yaml=$tmp/bad-src/$name.yaml
        if [ ! -f "$yaml" ]; then
            not_ok "bad input $name" "the patch does not apply"
            continue
        fi
    fi
    if [ ! -f "$expect" ]; then
        not_ok "bad input $name" "no $expect (one line: the text stderr must contain)"
        continue
    fi
    ncases=$((ncases + 1))
    # The YAML bombs take milliseconds; the bound only stops a hang.
    case $name in
        alias-bomb | deep-nesting | recursive-alias) limit=60 ;;
        *) limit= ;;
    esac
    bad_case "$name" "$yaml" "$(first_line "$expect")"
done
limit=
orphans=""
for expect in tests/bad/*.expect; do
    [ -f "${expect%.expect}.yaml" ] || [ -f "${expect%.expect}.patch" ] ||
        orphans="$orphans $expect"
done
check "every tests/bad/*.expect has its .yaml or .patch" "orphans:$orphans" test -z "$orphans"
check "the bad-input corpus has at least 30 cases" "found $ncases" test "$ncases" -ge 30
# Bad layouts: tests/bad/layouts/NAME.yaml + NAME.expect, laid out with a good career.
nlayouts=0
for yaml in tests/bad/layouts/*.yaml; do
    name=${yaml##*/}
    name=${name%.yaml}
    expect=tests/bad/layouts/$name.expect
    if [ ! -f "$expect" ]; then
        not_ok "bad input layout-$name" "no $expect (one line: the text stderr must contain)"
        continue
    fi
    nlayouts=$((nlayouts + 1))
    bad_layout "$name" "$yaml" "$(first_line "$expect")"
done
orphans=""
for expect in tests/bad/layouts/*.expect; do
    [ -f "${expect%.expect}.yaml" ] || orphans="$orphans $expect"
done
check "every tests/bad/layouts/*.expect has its .yaml" "orphans:$orphans" test -z "$orphans"
check "the bad-layout corpus has at least 8 cases" "found $nlayouts" test "$nlayouts" -ge 8

# Cases made at run time (too big to keep in the repository, or not a file).
mkdir -p "$tmp/gen"
{
    echo "id: deep-100k"
    printf 'skills: '
    head -c 100000 /dev/zero | tr '\0' '['
    head -c 100000 /dev/zero | tr '\0' ']'
    echo
} >"$tmp/gen/deep-100k.yaml"
bad_case deep-100k "$tmp/gen/deep-100k.yaml" "deep-100k.yaml:2:"
check "deep-100k message names the nesting limit" "$(first_err)" \
    grep -q 'nesting is deeper than' "$tmp/err"
{
    echo "id: long-scalar"
    printf 'tagline: '
    head -c 300000 /dev/zero | tr '\0' 'a'
    echo
} >"$tmp/gen/long-scalar.yaml"
bad_case long-scalar "$tmp/gen/long-scalar.yaml" "long-scalar.yaml:2:10: error: tagline: scalar of 300000 bytes is too long"
{
    echo "id: huge-file"
    yes '# a comment line that only makes the file large, over its 4 MiB limit..........' |
        head -n 60000
} >"$tmp/gen/huge-file.yaml"
bad_case huge-file "$tmp/gen/huge-file.yaml" "huge-file.yaml: error: file is"
mkdir -p "$tmp/gen/folder.yaml"
bad_case directory "$tmp/gen/folder.yaml" "folder.yaml: error: is a directory"
bad_case missing-file "$tmp/gen/not-there.yaml" "not-there.yaml: error: cannot open file"
{
    echo "extends: report"
    echo "blocks:"
    for _ in $(seq 1 501); do
        echo "  - {kind: heading, title: sections.faq}"
        echo "  - page_break"
    done
} >"$tmp/gen/pages-501.yaml"
bad_layout pages-501 "$tmp/gen/pages-501.yaml" \
    "pages-501.yaml:3:3: error: blocks: the document needs 501 pages, expected at most 500"

finish bad
