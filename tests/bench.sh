#!/usr/bin/env bash
# tests/bench.sh [BINARY] - timings and sizes of the AI Engineer report, whole numbers only.
#
# The time is the median of 5 runs of the whole process (start, load data and fonts, lay
# out, write the PDF to a temporary file). Nothing is asserted: this prints numbers to
# compare between commits on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-./careerpdf}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/careerpdf-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ms_now() { date +%s%N | cut -c1-13; }

# bench NAME ARGS...: median of 5 whole-process runs, the size and the page count.
bench() {
    local name=$1 times=() t0 t1
    shift
    for _ in 1 2 3 4 5; do
        t0=$(ms_now)
        "$bin" --career ai-engineer "$@" -o "$tmp/$name.pdf"
        t1=$(ms_now)
        times+=($((t1 - t0)))
    done
    echo "${name}_ms_median_of_5: $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)"
    echo "${name}_ms_runs: ${times[*]}"
    echo "${name}_bytes: $(wc -c <"$tmp/$name.pdf" | tr -d ' ')"
    echo "${name}_pages: $(pdfinfo ${PW:+-upw "$PW"} "$tmp/$name.pdf" 2>/dev/null |
                           awk '/^Pages:/ {print $2}')"
}

# Both PDF writers side by side: cairo (the default) and libharu, plain and encrypted.
bench report
bench report_haru --backend haru
PW=bench-pw bench report_haru_encrypted --backend haru --password bench-pw
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)

echo "cpus: $(nproc 2>/dev/null || echo unknown)"
echo "cpu_model: ${cpu:-unknown}"
