#!/usr/bin/env bash
# tests/cli/fuzz-regressions.sh - replays every input the fuzzers ever found a problem
# with (tests/fuzz/regressions/NAME/), so a fixed crash stays fixed.
#
#   CAREERPDF=./careerpdf REPLAY_DIR=build/fuzz tests/cli/fuzz-regressions.sh
#
# Each input runs twice:
#   - through the harness that found it, built without libFuzzer
#     ($REPLAY_DIR/replay_NAME FILE): it must run to the end (exit 0);
#   - through the program, as a user would give it:
#       career  careerpdf --career FILE -o TMP.pdf
#       layout  careerpdf --career ai-engineer --layout FILE -o TMP.pdf
#       roster  careerpdf --roster FILE --career ai-engineer --out-dir TMP -j 1
#     exit 0 (written) or 2 (refused with a message), for a roster also 1 (some rows
#     failed); never a signal, a sanitizer report or more than $FUZZ_REPLAY_TIMEOUT
#     seconds (default 60).
# Prints "ok - NAME" or "not ok - NAME: WHY", then "fuzz-regressions: N passed, N failed";
# exits non-zero when one failed. Without REPLAY_DIR only the program runs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }
CAREERPDF=$(abs "${CAREERPDF:-$root/careerpdf}")
REPLAY_DIR=${REPLAY_DIR:+$(abs "$REPLAY_DIR")}
limit=${FUZZ_REPLAY_TIMEOUT:-60}
cd "$root" || exit 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/careerpdf-fuzzreg.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }

# verdict NAME RC ALLOWED...: judges the last run (stderr in $tmp/err)
verdict() {
    local name=$1 rc=$2 why=""
    shift 2
    if [ "$rc" -eq 124 ]; then
        why="timed out after ${wall:-$limit}s"
    elif [ -n "${cpu:-}" ] && { [ "$rc" -eq $((128 + 24)) ] || [ "$rc" -eq $((128 + 9)) ]; }; then
        why="used more than ${limit}s of CPU"   # SIGXCPU, then SIGKILL: `ulimit -t`
    elif [ "$rc" -gt 128 ]; then
        why="killed by signal $((rc - 128))"
    elif grep -qE 'Sanitizer|runtime error:' "$tmp/err"; then
        why="sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$tmp/err")"
    else
        case " $* " in
            *" $rc "*) ok "$name"; return ;;
            *) why="exit $rc, expected one of: $*; stderr: $(head -c 300 "$tmp/err")" ;;
        esac
    fi
    not_ok "$name" "$why"
}

for dir in tests/fuzz/regressions/*/; do
    kind=$(basename "$dir")
    for f in "$dir"*; do
        [ -f "$f" ] || continue
        case $(basename "$f") in README* | .*) continue ;; esac
        name="fuzz-$kind/$(basename "$f")"
        if [ -n "$REPLAY_DIR" ]; then
            timeout "$limit" "$REPLAY_DIR/replay_$kind" "$f" >/dev/null 2>"$tmp/err"
            verdict "$name (harness)" $? 0
        fi
        # The program wants its own names: a .yaml career or layout, a roster that is
        # .csv or .yaml by its content (the harness's rule: a list is YAML).
        rm -rf "$tmp/out" && mkdir -p "$tmp/out"
        case $kind in
            career)
                cp "$f" "$tmp/input.yaml"
                timeout "$limit" "$CAREERPDF" --career "$tmp/input.yaml" -o "$tmp/out/x.pdf" \
                    >/dev/null 2>"$tmp/err"
                verdict "$name (careerpdf)" $? 0 2 ;;
            layout)
                cp "$f" "$tmp/input.yaml"
                timeout "$limit" "$CAREERPDF" --career ai-engineer --layout "$tmp/input.yaml" \
                    -o "$tmp/out/x.pdf" >/dev/null 2>"$tmp/err"
                verdict "$name (careerpdf)" $? 0 2 ;;
            roster)
                ext=csv
                case $(head -c 1 "$f") in -|\[) ext=yaml ;; esac
                cp "$f" "$tmp/input.$ext"
                timeout "$limit" "$CAREERPDF" --roster "$tmp/input.$ext" --career ai-engineer \
                    --out-dir "$tmp/out" -j 1 --quiet >/dev/null 2>"$tmp/err"
                verdict "$name (careerpdf)" $? 0 1 2 ;;
        esac
    done
done

# Cases too big to keep as files, made at run time. Each is refused (exit 2) within
# $big_limit seconds of CPU, with one located message (or, for many-errors, at most 101 lines):
#   directives-4mib   250,000 %TAG lines (3.9 MB): libyaml compares each with every
#                     earlier one; this took minutes before the directive limit
#   long-key-bomb     one 200 KB explicit key over a list of 6,000 items: every item
#                     copied the key into its data path, 1.2 GB before the path limit
#                     (run under a 1 GB address-space limit, except in sanitizer builds)
#   many-errors-big   180,000 unknown keys: 180,000 messages (126 MB) before the schema
#                     check stopped printing at 100
sanitized=false
grep -q __asan_init "$CAREERPDF" 2>/dev/null && sanitized=true
big_limit=${FUZZ_BIG_TIMEOUT:-10}
if [ "$sanitized" = true ]; then
    # These cases are about time and memory, not leaks: the full-stack unwinding that
    # leak suppressions need makes each of libyaml's million small allocations slow.
    big_limit=${FUZZ_BIG_TIMEOUT:-30}
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:fast_unwind_on_malloc=1"
fi
awk 'BEGIN { for (i = 0; i < 250000; i++) printf "%%TAG !%d! !\n", i; print "--- {id: x}" }' \
    >"$tmp/directives-4mib.yaml"
{ printf '? '; head -c 200000 /dev/zero | tr '\0' k
  printf '\n: ['; yes '1,' | head -n 6000 | tr -d '\n'; printf '1]\n'; } >"$tmp/long-key-bomb.yaml"
awk 'BEGIN { print "id: x"; for (i = 0; i < 180000; i++) printf "certificatio%06d: 1\n", i }' \
    >"$tmp/many-errors-big.yaml"
for name in directives-4mib long-key-bomb many-errors-big; do
    rm -rf "$tmp/out" && mkdir -p "$tmp/out"
    # (the outer subshell keeps bash's own "Aborted" notice off the output)
    ( (
        [ "$sanitized" = false ] && ulimit -v 1000000
        # The limit is CPU time, which a busy machine (or make test running its parts
        # side by side) does not stretch; the wall-clock timeout only catches a hang.
        ulimit -t "$big_limit"
        exec timeout $((big_limit * 12)) "$CAREERPDF" --career "$tmp/$name.yaml" \
            -o "$tmp/out/x.pdf"
    ) >/dev/null 2>"$tmp/err" ) 2>/dev/null
    rc=$?
    lines=$(wc -l <"$tmp/err")
    if [ "$rc" -eq 2 ] && [ "$lines" -gt 101 ]; then
        not_ok "fuzz-generated/$name" "$lines lines of messages, expected at most 101"
    else
        limit=$big_limit wall=$((big_limit * 12)) cpu=1 verdict "fuzz-generated/$name" "$rc" 2
    fi
done

echo "fuzz-regressions: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
