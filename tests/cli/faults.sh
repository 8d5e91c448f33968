#!/usr/bin/env bash
# tests/cli/faults.sh - a full disk, and a folder that takes no files. A single report and
# a roster run write to a tiny tmpfs: the report fails with exit 2 and leaves nothing; the
# roster run fails the rows that did not fit (exit 1), keeps its manifest and leaves no
# partial or temporary file, also when only the last flush of a report fails. A read-only
# tmpfs takes neither a report nor a roster run (exit 2, nothing tried).
# Mounting needs root (CI runs as root); elsewhere the checks are reported as skipped.
. "$(dirname "$0")/lib.sh" faults

disk=$tmp/disk
mkdir -p "$disk"
if ! mount -t tmpfs -o size=100k tmpfs "$disk" 2>/dev/null; then
    echo "ok - full disk # SKIP cannot mount a tmpfs here (needs root)"
    finish faults
    exit
fi
ro=$tmp/ro
tight=$tmp/tight
mkdir -p "$ro" "$tight"
trap 'for m in "$disk" "$ro" "$tight"; do umount "$m" 2>/dev/null; done; rm -rf "$tmp"' EXIT

run --career ai-engineer -o "$disk/report.pdf"
check "full disk: a single report exits 2" "exit $rc" test "$rc" -eq 2
check "full disk: the message says the file could not be written" "$(first_err)" \
    grep -q "cannot write the pdf: No space left on device" "$tmp/err"
check "full disk: no report and no temporary file left" "$(ls -A "$disk")" \
    test -z "$(ls -A "$disk")"

printf 'name,career\nAsha,ai-engineer\nBen,ai-engineer\nChen,nurse\n' >"$tmp/r.csv"
run -j 1 --roster "$tmp/r.csv" --out-dir "$disk/out" -q
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

# ---- a disk that fills at the very last write ------------------------------------------------
# stdio keeps the end of a file (less than a block) until the file is flushed. On a disk
# with room for every whole block of a report but not for that end, only the flush when
# the file is committed fails. The report's size comes from a run into a roomy folder
# (a report is the same bytes on every run); the disk also keeps one block for the
# manifest's header, which is flushed before the workers start.
printf 'name,career\nAda Obi,nurse\n' >"$tmp/one.csv"
run --roster "$tmp/one.csv" --out-dir "$tmp/sized" -j 1 -q
size=$(stat -c %s "$tmp/sized/Ada_Obi-nurse.pdf" 2>/dev/null || echo 0)
page=$(getconf PAGESIZE)
if [ "$size" -eq 0 ]; then
    not_ok "full at the last write: setup" "the report could not be made: $(first_err)"
elif [ $((size % page)) -eq 0 ]; then
    echo "ok - full at the last write # SKIP the report fills its last block exactly"
elif ! mount -t tmpfs -o size=$(((size / page + 2) * page)) tmpfs "$tight" 2>/dev/null; then
    not_ok "full at the last write: setup" "cannot mount a tmpfs"
else
    head -c "$page" /dev/zero >"$tight/fill"   # leaves size / page + 1 blocks free
    run --roster "$tmp/one.csv" --out-dir "$tight/out" -j 1 -q
    check "full at the last write: the row fails (exit 1)" "exit $rc: $(first_err)" \
        test "$rc" -eq 1
    check "full at the last write: the manifest says no space left" \
        "$(cat "$tight/out/manifest.csv" 2>&1)" \
        grep -q '^1,2,Ada Obi,nurse,,,,failed,no space left' "$tight/out/manifest.csv"
    check "full at the last write: no report and no temporary file left" \
        "$(ls -A "$tight/out" | tr '\n' ' ')" test "$(ls -A "$tight/out")" = manifest.csv
fi

# ---- a folder that takes no files --------------------------------------------------------------
# (Permission bits stop no one running as root; a read-only mount stops everyone.)
if mount -t tmpfs -o size=100k,ro tmpfs "$ro" 2>/dev/null; then
    run --career ai-engineer -o "$ro/report.pdf"
    check "read-only folder: a single report exits 2" "exit $rc" test "$rc" -eq 2
    check "... and says the file cannot be created" "$(first_err)" \
        grep -q "cannot create the output file" "$tmp/err"
    run -j 1 --roster "$tmp/r.csv" --out-dir "$ro" -q
    check "read-only folder: a roster run exits 2 before any row" "exit $rc" test "$rc" -eq 2
    check "... with one message: the folder cannot be written" "$(first_err)" bash -c '
        grep -q "error: cannot write into this folder" "$1" && [ "$(grep -c "" "$1")" -eq 1 ]
    ' _ "$tmp/err"
else
    not_ok "read-only folder" "cannot mount a read-only tmpfs"
fi

finish faults
