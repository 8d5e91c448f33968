#!/usr/bin/env bash
# Runs every CLI suite (run.sh: the report and the bad-input corpus; print.sh: posters,
# handouts, tiling; batch.sh: rosters; roster.sh: rosters as schools export them;
# haru.sh: the second PDF writer; flow.sh: careers at the schema's limits and the
# property test's quick subset; a11y.sh: tagged, accessible PDF; textlayer.sh: what
# each glyph reads as, and in which language; and the others listed below) and closes
# with one total line. Each suite prints "ok - NAME" / "not ok - NAME: why" lines.
set -u
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
for suite in run print batch roster shared haru i18n faults protect outputs json completion watch errors flow a11y textlayer; do
    echo "# $suite"
    out=$(bash "$here/$suite.sh" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -v '^cli: [0-9]* passed'
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok - suite $suite exited with status $rc"
        failed=$((failed + 1))
    fi
done
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
