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
# A 9000 x 9000 PNG and a 9000 x 9000 JPEG as the logo: decoded row by row and reduced to
# 300 dpi at the printed size, so time and peak memory stay near the plain report's
# (a whole decode would take 324 MB of pixels). Peak memory from GNU time, in KB.
mkimage=build/tools/mkimage
if [ -x "$mkimage" ] && [ -x /usr/bin/time ]; then
    for kind in png jpeg; do
        "$mkimage" "$kind" 9000 9000 "$tmp/logo.$kind"
        printf 'extends: report\ntheme:\n  logo: logo.%s\n  logo_alt: Test crest\n' "$kind" >"$tmp/logo-$kind.yaml"
        bench "report_logo_9000_$kind" --layout "$tmp/logo-$kind.yaml"
        /usr/bin/time -f '%M' -o "$tmp/rss" "$bin" --career ai-engineer \
            --layout "$tmp/logo-$kind.yaml" -o "$tmp/rss.pdf"
        echo "report_logo_9000_${kind}_peak_kb: $(tail -n 1 "$tmp/rss")"
    done
fi
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)

echo "cpus: $(nproc 2>/dev/null || echo unknown)"
echo "cpu_model: ${cpu:-unknown}"
