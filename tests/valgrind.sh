#!/usr/bin/env bash
# tests/valgrind.sh [BINARY] - memcheck on the demo report and on a 20-row roster run
# (parent and worker processes). Fails on any memory error or definite leak; what the
# libraries keep until exit ("still reachable") is not counted. `make valgrind`.
set -u
cd "$(dirname "$0")/.."
bin=${1:-./careerpdf}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/careerpdf-valgrind.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
vg() {
    valgrind --trace-children=yes --leak-check=full --show-leak-kinds=definite \
        --errors-for-leak-kinds=definite --error-exitcode=9 --log-file="$tmp/vg.%p" "$@"
}
status=0
check() { # NAME: every process of the last run reported no error
    local bad
    bad=$(grep -L 'ERROR SUMMARY: 0 errors' "$tmp"/vg.* 2>/dev/null)
    if [ -z "$bad" ] && ls "$tmp"/vg.* >/dev/null 2>&1; then
        echo "ok - valgrind: $1 ($(ls "$tmp"/vg.* | wc -l) processes, no errors, no leaks)"
    else
        echo "not ok - valgrind: $1"
        for f in $bad; do grep -E 'ERROR SUMMARY|definitely lost' "$f"; done
        status=1
    fi
    rm -f "$tmp"/vg.*
}
vg "$bin" --career ai-engineer -o "$tmp/demo.pdf"
check "the demo report"
{
    echo "name,career,grade,school,counselor,note,rate:programming-logic,rate:deep-learning-frameworks"
    for i in $(seq 1 20); do
        echo "Student $i,ai-engineer,11,Westview High,Ms. Rivera,Keen on robots.,$((i % 6)),$(((i * 5) % 6))"
    done
} >"$tmp/roster.csv"
vg "$bin" --roster "$tmp/roster.csv" --out-dir "$tmp/out" -j 1 --quiet
check "a 20-row roster run"
exit $status
