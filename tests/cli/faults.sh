#!/usr/bin/env bash
# tests/cli/faults.sh - a full disk. A single report and a roster run write to a tiny
# tmpfs: the report fails with exit 2 and leaves nothing; the roster run fails the rows
# that did not fit (exit 1), keeps its manifest and leaves no partial or temporary file.
# Mounting needs root (CI runs as root); elsewhere the checks are reported as skipped.
. "$(dirname "$0")/lib.sh" faults

disk=$tmp/disk
mkdir -p "$disk"
if ! mount -t tmpfs -o size=100k tmpfs "$disk" 2>/dev/null; then
    echo "ok - full disk # SKIP cannot mount a tmpfs here (needs root)"
    finish faults
    exit
fi
trap 'umount "$disk" 2>/dev/null; rm -rf "$tmp"' EXIT

run --career ai-engineer -o "$disk/report.pdf"
check "full disk: a single report exits 2" "exit $rc" test "$rc" -eq 2
check "full disk: the message says the file could not be written" "$(first_err)" \
    grep -q "could not write" "$tmp/err"
check "full disk: no report and no temporary file left" "$(ls -A "$disk")" \
    test -z "$(ls -A "$disk")"

printf 'name,career\nAsha,ai-engineer\nBen,ai-engineer\nChen,nurse\n' >"$tmp/r.csv"
run --roster "$tmp/r.csv" --out-dir "$disk/out" -q
check "full disk: a roster run exits 1 (some rows failed)" "exit $rc" test "$rc" -eq 1
check "full disk: each failed row is reported with its roster line" "$(first_err)" \
    grep -q "r.csv:[0-9]*: error: no space left" "$tmp/err"
check "full disk: the manifest is kept" "no manifest" test -s "$disk/out/manifest.csv"
check "full disk: the manifest marks the rows that failed" "$(cat "$disk/out/manifest.csv")" \
    grep -q ",failed,no space left" "$disk/out/manifest.csv"
broken=""
for f in "$disk"/out/*.pdf; do   # a report that did fit must be whole
    [ -e "$f" ] || continue
    qpdf --check "$f" >/dev/null 2>&1 || broken="$broken $(basename "$f")"
done
check "full disk: every report written is whole" "broken:$broken" test -z "$broken"
check "full disk: no temporary file left" "$(ls -A "$disk/out")" \
    bash -c '! ls -A "$1" | grep -q tmp' _ "$disk/out"

finish faults
