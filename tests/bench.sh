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

times=()
for _ in 1 2 3 4 5; do
    t0=$(ms_now)
    "$bin" --career ai-engineer -o "$tmp/report.pdf"
    t1=$(ms_now)
    times+=($((t1 - t0)))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
bytes=$(wc -c <"$tmp/report.pdf" | tr -d ' ')
pages=$(pdfinfo "$tmp/report.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)

echo "report_ms_median_of_5: $median"
echo "report_ms_runs: ${times[*]}"
echo "report_bytes: $bytes"
echo "report_pages: ${pages:-unknown}"
echo "cpus: $(nproc 2>/dev/null || echo unknown)"
echo "cpu_model: ${cpu:-unknown}"
