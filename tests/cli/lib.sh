# tests/cli/lib.sh - what every CLI suite shares. Sourced as:  . "$(dirname "$0")/lib.sh" NAME
#
# Sets $root (the repository, also the working folder), $CAREERPDF, $CAREERPDF_TESTING
# and $PNGDIFF (absolute,
# from the environment or the defaults), $tmp (removed on exit), the counters, and the
# helpers below. Every check prints "ok - NAME" or "not ok - NAME: why"; a suite ends with
# `finish NAME`, which prints "NAME: N passed, N failed" and sets the exit status.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/tests/cli

abs() { # a path relative to where we were started, made absolute (PATH names kept)
    case $1 in
        /*) printf '%s\n' "$1" ;;
        */*) printf '%s/%s\n' "$PWD" "$1" ;;
        *) printf '%s\n' "$1" ;;
    esac
}
CAREERPDF=$(abs "${CAREERPDF:-$root/careerpdf}")
# The test build (src/core/testing.h): the same program plus the switches some tests
# need (CAREERPDF_TEST_CRASH_ROW, CAREERPDF_WHOLE); the product binary has none.
CAREERPDF_TESTING=$(abs "${CAREERPDF_TESTING:-$root/build/testing/careerpdf}")
PNGDIFF=$(abs "${PNGDIFF:-$root/build/tools/pngdiff}")
export CAREERPDF CAREERPDF_TESTING PNGDIFF
# The checks in Python run Debian's python3, the one `make deps` installs python3-yaml
# and python3-jsonschema for, whatever python3 comes first on PATH (another may lack
# them, and a version manager's shim costs half a second of CPU a start, a few hundred
# starts a run); PYTHON chooses another. Exported, so scripts the suites start use it.
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
python3() { "$PYTHON" "$@"; }
export PYTHON
export -f python3
cd "$root" || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/careerpdf-${1:-cli}.XXXXXX") || exit 2
# (Tests that make folders read-only give the write bit back before removing them.)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }
# check NAME WHY-IF-FAILED COMMAND...: one test from a command's exit status
check() {
    local name=$1 why=$2
    shift 2
    if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name" "$why"; fi
}
# run ARGS...: runs the binary; sets $rc, stdout in $tmp/out, stderr in $tmp/err.
run() {
    "$CAREERPDF" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
# run_testing ARGS...: the same with the test build.
run_testing() {
    "$CAREERPDF_TESTING" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
# first_err: the first three lines of the last run's stderr on one line, cut at 300
# characters. Both helpers read with bash alone: they run after nearly every run, and a
# process costs 5-8 ms here (see tests/README.md).
first_err() {
    local line text="" i=0
    [ -r "$tmp/err" ] || return 0
    while [ $i -lt 3 ] && { IFS= read -r line || [ -n "$line" ]; }; do
        text+="$line "
        i=$((i + 1))
    done <"$tmp/err"
    printf '%s\n' "${text:0:300}"
}
sanitizer_clean() {
    local text=""
    [ -r "$tmp/err" ] && IFS= read -r -d '' text <"$tmp/err"
    [[ $text != *Sanitizer* && $text != *"runtime error:"* ]]
}
# expect_rc NAME CODE: the last run exited with CODE (and no sanitizer report)
expect_rc() {
    if [ "$rc" -ne "$2" ]; then
        not_ok "$1" "exit $rc, expected $2; stderr: $(first_err)"
    elif ! sanitizer_clean; then
        not_ok "$1" "sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$tmp/err")"
    else
        ok "$1"
    fi
}
# pages_of [pdfinfo options] FILE
pages_of() { pdfinfo "$@" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
# csv_col FILE N: column N (1-based) of a manifest, one value a line, header left out.
# Quoted fields (commas, quotes) are read properly; no field here holds a line break.
csv_col() {
    awk -v col="$2" 'NR > 1 {
        n = 0; f = ""; q = 0
        for (i = 1; i <= length($0); i++) {
            c = substr($0, i, 1)
            if (q) { if (c == "\"") { if (substr($0, i + 1, 1) == "\"") { f = f c; i++ } else q = 0 } else f = f c }
            else if (c == "\"") q = 1
            else if (c == ",") { n++; if (n == col) break; f = "" }
            else f = f c
        }
        if (n == col - 1 || n == col) print f
    }' "$1"
}
finish() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
# qr_layout DIR: DIR/qr.yaml, the report's cover and a qr block whose address comes from
# the layout (placeholders filled): https://example.org/guides/ID
qr_layout() {
    cat >"$1/qr.yaml" <<'EOF'
extends: report
blocks:
  - cover
  - {kind: qr, url: "https://example.org/guides/{id}", size: 90,
     title: Scan for the full guide, text: poster.call_to_action}
EOF
}
# one_career DIR: makes DIR a content folder of one career (tests/cli/minimal-career.yaml)
# with the bundled schema and labels, for --check runs about something else than the
# careers (a --check lays out every career of its content folder: a second for ours).
one_career() {
    mkdir -p "$1/careers"
    ln -s "$root/content/schema" "$root/content/strings" "$1/"
    cp "$root/tests/cli/minimal-career.yaml" "$1/careers/minimal-career.yaml"
}
# full: true under `make test-full` (CAREERPDF_FULL=1, CI), where the exhaustive loops
# run whole; `make test` runs a sample of each.
full() { [ "${CAREERPDF_FULL:-0}" = 1 ]; }
# careers SAMPLE...: the bundled careers (translations left out) under `make test-full`,
# else the sample given; one id a line.
careers() {
    if full; then
        for f in "$root"/content/careers/*.yaml; do
            f=${f##*/}
            case $f in *.*.yaml) ;; *) echo "${f%.yaml}" ;; esac
        done
    else
        printf '%s\n' "$@"
    fi
}
