#!/usr/bin/env bash
# tests/cli/outputs.sh - where output goes: regular files are replaced whole (temporary
# file + rename), while named pipes, character devices and standard output are written
# directly and never replaced; symbolic links are followed; a folder is refused; write
# errors on standard output are reported with exit 2.
#
#   CAREERPDF=./careerpdf tests/cli/outputs.sh
. "$(dirname "$0")/lib.sh" outputs

"$CAREERPDF" --career ai-engineer -o "$tmp/file.pdf"

# ---- a named pipe -------------------------------------------------------------------------
mkfifo "$tmp/pipe"
# (a bounded reader: a run that replaced the pipe would leave it waiting for ever)
timeout 30 cat "$tmp/pipe" >"$tmp/from-pipe.pdf" &
reader=$!
run --career ai-engineer -o "$tmp/pipe"
wait "$reader"
expect_rc "-o FIFO: exit 0" 0
check "-o FIFO: the reader gets the whole report" "$(wc -c <"$tmp/from-pipe.pdf") bytes" \
    cmp -s "$tmp/from-pipe.pdf" "$tmp/file.pdf"
check "-o FIFO: the pipe is still a pipe" "it was replaced" test -p "$tmp/pipe"
check "-o FIFO: no temporary file is left" "$(ls -A "$tmp")" \
    bash -c '! ls -A "$1" | grep -q "\.tmp\."' _ "$tmp"

# ---- character devices and standard output -----------------------------------------------
# Private copies of /dev/null and /dev/full (root can make them): should a regression
# replace a device with a file, it replaces these, not the machine's.
if mknod "$tmp/null" c 1 3 2>/dev/null && mknod "$tmp/full" c 1 7 2>/dev/null; then
    run --career ai-engineer -o "$tmp/null"
    expect_rc "-o a null device: exit 0" 0
    check "-o a null device: still the device" "it was replaced" test -c "$tmp/null"
    run --career ai-engineer -o "$tmp/full"
    expect_rc "-o a full device: exit 2" 2
    check "-o a full device: says the disk is full" "$(first_err)" \
        grep -q "full: error: cannot write the pdf: No space left on device" "$tmp/err"
    check "-o a full device: still the device" "it was replaced" test -c "$tmp/full"
else
    echo "# not root: the device tests need mknod"
fi
"$CAREERPDF" --career ai-engineer -o /dev/stdout >"$tmp/dev-stdout.pdf"
check "-o /dev/stdout: the same bytes as the file" "they differ" \
    cmp -s "$tmp/dev-stdout.pdf" "$tmp/file.pdf"
"$CAREERPDF" --career ai-engineer -o - >"$tmp/dash.pdf"
check "-o -: the same bytes as the file" "they differ" cmp -s "$tmp/dash.pdf" "$tmp/file.pdf"

# A reader that goes away, a full disk behind standard output.
"$CAREERPDF" --career ai-engineer -o - 2>"$tmp/err" | head -c 100 >/dev/null
rc=${PIPESTATUS[0]}
expect_rc "-o - into a closed pipe: exit 2" 2
check "-o - into a closed pipe: says so" "$(first_err)" grep -q "Broken pipe" "$tmp/err"
"$CAREERPDF" --list >/dev/full 2>"$tmp/err"
rc=$?
expect_rc "--list > /dev/full: exit 2" 2
check "--list > /dev/full: says standard output could not be written" "$(first_err)" \
    grep -q "cannot write to standard output: No space left on device" "$tmp/err"
run --career ai-engineer --format png --dpi 20 -o -
expect_rc "several PNG pages to standard output are refused" 2
check "...naming --page" "$(first_err)" grep -q -- "expected --page N" "$tmp/err"
"$CAREERPDF" --career ai-engineer --format png --dpi 20 --page 2 -o - >"$tmp/p2.png"
check "--page picks the one image for standard output" "not a PNG" \
    bash -c 'head -c 8 "$1" | od -An -c | grep -q "P   N   G"' _ "$tmp/p2.png"

# ---- symbolic links and folders ---------------------------------------------------------
mkdir -p "$tmp/real"
ln -s real/target.pdf "$tmp/link.pdf"
run --career ai-engineer -o "$tmp/link.pdf"
expect_rc "-o to a symbolic link (dangling): exit 0" 0
check "the link stays a link, its target is the report" "link or target wrong" \
    bash -c 'test -L "$1" && cmp -s "$2" "$3"' _ "$tmp/link.pdf" "$tmp/real/target.pdf" \
    "$tmp/file.pdf"
run --career ai-engineer --lang hi -o "$tmp/link.pdf"
check "writing through the link again replaces the target" "unchanged" \
    bash -c 'test -L "$1" && ! cmp -s "$2" "$3"' _ "$tmp/link.pdf" "$tmp/real/target.pdf" \
    "$tmp/file.pdf"
check "no temporary file beside the link or the target" "$(ls -A "$tmp" "$tmp/real")" \
    bash -c '! ls -A "$1" "$1/real" | grep -q "\.tmp\."' _ "$tmp"
run --career ai-engineer -o "$tmp/real"
expect_rc "-o FOLDER: exit 2" 2
check "-o FOLDER: says it is a folder" "$(first_err)" grep -q "is a folder" "$tmp/err"

finish outputs
