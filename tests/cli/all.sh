#!/usr/bin/env bash
# Runs every CLI suite (run.sh: the report; bad.sh: the bad-input corpus; print.sh: posters,
# handouts, tiling; batch.sh: rosters; roster.sh: rosters as schools export them;
# haru.sh: the second PDF writer; flow.sh: careers at the schema's limits and the
# property test's quick subset; a11y.sh: tagged, accessible PDF; textlayer.sh: what
# each glyph reads as, and in which language; and the others listed below) and closes with one total line. Each suite prints "ok - NAME" / "not ok - NAME:
# why" lines.
#
#   tests/cli/all.sh [--full] [SUITE...]
#
# The suites run side by side, CLI_JOBS at a time (default: the number of cores); each
# suite's output is printed whole, in the order below, once all have run. Suites are
# independent: each works in a temporary folder of its own. --full also runs the slow
# exhaustive checks (CAREERPDF_FULL=1: every career on every paper in every language),
# which `make test` leaves to `make test-full` (CI).
set -u
here=$(cd "$(dirname "$0")" && pwd)
all=(run bad print batch roster shared haru i18n faults protect outputs json completion watch errors flow a11y textlayer)
# Started longest first, so that the short ones fill the gaps at the end.
longest_first=(batch a11y shared flow textlayer run i18n protect roster errors print bad json haru outputs watch faults completion)
if [ "${1:-}" = --full ]; then
    export CAREERPDF_FULL=1
    shift
fi
if [ $# -gt 0 ]; then
    all=("$@")
    longest_first=("$@")
fi
jobs=${CLI_JOBS:-$(nproc 2>/dev/null || echo 2)}
out=$(mktemp -d "${TMPDIR:-/tmp}/careerpdf-all.XXXXXX") || exit 2
trap 'rm -rf "$out"' EXIT

# Each suite also leaves its wall time and the CPU time of its processes (`times`:
# user and system, children included), shown after its name: where the time goes.
printf '%s\n' "${longest_first[@]}" |
    xargs -P "$jobs" -I{} bash -c \
        'SECONDS=0; bash "$1/$2.sh" >"$3/$2.out" 2>&1; echo $? >"$3/$2.rc"
         w=$SECONDS; times >"$3/$2.times"
         echo "$w $(tail -n 1 "$3/$2.times")" >"$3/$2.time"' _ "$here" {} "$out"

# seconds "0m1.250s": 1.25
seconds() { awk -v t="$1" 'BEGIN { split(t, a, /[ms]/); printf "%.1f", a[1] * 60 + a[2] }'; }

passed=0 failed=0
for suite in "${all[@]}"; do
    if [ ! -f "$out/$suite.rc" ]; then
        echo "# $suite"
        echo "not ok - suite $suite did not run"
        failed=$((failed + 1))
        continue
    fi
    read -r wall user sys <"$out/$suite.time"
    echo "# $suite ($wall s wall, $(seconds "$user") s user + $(seconds "$sys") s system CPU)"
    rc=$(cat "$out/$suite.rc")
    grep -v '^cli: [0-9]* passed' "$out/$suite.out"
    p=$(grep -c '^ok ' "$out/$suite.out")
    f=$(grep -c '^not ok ' "$out/$suite.out")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok - suite $suite exited with status $rc"
        failed=$((failed + 1))
    fi
done
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
