#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS NAME... - runs libFuzzer harnesses (make fuzz calls this).
#
#   tests/fuzz/run.sh 60 career layout roster     # what `make fuzz` does
#   tests/fuzz/run.sh 1800 career                 # a 30-minute run of one harness
#
# Each harness build-fuzz/fuzz_NAME runs for SECONDS on its corpus build-fuzz/corpus/NAME,
# which is kept between runs and topped up every time with the seeds:
#   career: content/careers, content/strings, content/schema, tests/bad (the files and
#           the cases written from their patches), layouts
#   layout: layouts, examples/*-layout.yaml, tests/bad/layouts
#   roster: examples/*.csv, tests/fuzz/seeds/roster
# plus tests/fuzz/regressions/NAME (every finding so far). Findings are written to
# build-fuzz/findings/NAME-crash-*, -timeout-*, -leak-*, -oom-*; the log of each run is
# build-fuzz/logs/NAME.log and its last lines (executions, exec/s, cov:) are printed.
# Exits non-zero when a harness found something. Extra libFuzzer flags: FUZZ_FLAGS.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2
out=${FUZZ_BUILD:-build-fuzz}
secs=${1:?usage: tests/fuzz/run.sh SECONDS NAME...}
shift
[ $# -gt 0 ] || set -- career layout roster

# The bad-career cases that are patches over the base career, written out once per run.
bad_cases() {
    local dir=$out/bad-cases
    mkdir -p "$dir"
    for p in tests/bad/*.patch; do
        local name
        name=$(basename "$p" .patch)
        tests/bad/case.sh "$name" "$dir/$name.yaml" && echo "$dir/$name.yaml"
    done
}

seeds() {
    case $1 in
        career) ls content/careers/*.yaml content/strings/*.yaml content/schema/*.yaml \
                   tests/bad/*.yaml layouts/*.yaml
                bad_cases ;;
        layout) ls layouts/*.yaml examples/*layout*.yaml tests/bad/layouts/*.yaml ;;
        roster) ls examples/*.csv tests/fuzz/seeds/roster/* ;;
    esac 2>/dev/null
}
# A layout input may take a while (it lays out a whole report); the loaders must not.
timeout_of() { case $1 in layout) echo 20 ;; *) echo 5 ;; esac; }

status=0
for name in "$@"; do
    bin=$out/fuzz_$name
    if [ ! -x "$bin" ]; then
        echo "fuzz: $bin is missing (make fuzz builds it)" >&2
        exit 2
    fi
    corpus=$out/corpus/$name
    mkdir -p "$corpus" "$out/findings" "$out/logs"
    seeds "$name" | while read -r f; do cp -n "$f" "$corpus/seed-$(basename "$f")"; done
    extra=()   # the regression corpus, once a finding has been added to it
    [ -d "$here/regressions/$name" ] && extra=("$here/regressions/$name")
    echo "fuzz: $name for ${secs}s (log: $out/logs/$name.log)"
    # fast_unwind_on_malloc=0: full leak stacks through the system libraries.
    ASAN_OPTIONS=${ASAN_OPTIONS:-fast_unwind_on_malloc=0} \
    LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$bin" -max_total_time="$secs" -timeout="$(timeout_of "$name")" \
        -dict="$here/$name.dict" -artifact_prefix="$out/findings/$name-" \
        -print_final_stats=1 ${FUZZ_FLAGS:-} \
        "$corpus" "${extra[@]}" >"$out/logs/$name.log" 2>&1
    rc=$?
    # The first and the last status line: executions, cov: (edges), ft: (features),
    # corp: (corpus size), exec/s.
    { grep -m1 -E '^#[0-9]+[[:space:]]+INITED' "$out/logs/$name.log"
      grep -E '^#[0-9]+[[:space:]]' "$out/logs/$name.log" | tail -n 1
      grep -m2 -E 'stat::(number_of_executed_units|average_exec_per_sec)' "$out/logs/$name.log"
    } | sed "s/^/  $name: /"
    if [ "$rc" -ne 0 ]; then
        echo "fuzz: $name FOUND something (exit $rc): see $out/logs/$name.log and $out/findings/"
        grep -m3 -E 'ERROR: |runtime error:|SUMMARY:' "$out/logs/$name.log" | sed 's/^/  /'
        status=1
    fi
done
exit $status
