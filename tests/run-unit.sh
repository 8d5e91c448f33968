#!/usr/bin/env bash
# run-unit.sh BIN... - runs each cmocka test binary, shows its output, and ends with
#   unit: N passed, N failed
# counted over all binaries. Exits non-zero when a test failed or a binary crashed
# (or exited non-zero without cmocka reporting a failure).
set -u

passed=0
failed=0
broken=0

for bin in "$@"; do
    echo "== $bin"
    out=$("$bin" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
        echo "run-unit: $bin exited with status $rc" >&2
        broken=$((broken + 1))
    fi
done

echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$broken" -eq 0 ]
