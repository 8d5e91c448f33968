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

# Time per report against its length: careers generated from the schema (tests/proptest/
# gen.py) with every text and list at P % of its limit (100: every field at its limit,
# the longest report the schema accepts), and one roster note of a single 64 KiB word
# (broken inside the word across pages). User CPU, median of 5 (GNU time): the machine
# may be shared, and wall time is noise. Linear growth shows as a steady ms per page.
python=$(command -v /usr/bin/python3 || command -v python3)
if [ -x /usr/bin/time ] && "$python" -c 'import yaml' 2>/dev/null; then
    mkdir -p "$tmp/content/careers"
    ln -s "$PWD/content/schema" "$PWD/content/strings" "$tmp/content/"
    ln -s "$PWD"/content/careers/*.yaml "$tmp/content/careers/"
    ids=$(ls content/careers | sed -n 's/^\([a-z0-9-]*\)\.yaml$/\1/p' | paste -sd, -)
    # cpu_median NAME ARGS...: prints "PAGES MS" for careerpdf ARGS -o NAME.pdf
    cpu_median() {
        local name=$1 ms=()
        shift
        for _ in 1 2 3 4 5; do
            /usr/bin/time -f '%U' -o "$tmp/cpu" "$bin" "$@" -o "$tmp/$name.pdf" 2>/dev/null
            ms+=("$(awk '{printf "%d", $1 * 1000 + 0.5}' "$tmp/cpu")")
        done
        printf '%s %s\n' "$(pdfinfo "$tmp/$name.pdf" | awk '/^Pages:/ {print $2}')" \
            "$(printf '%s\n' "${ms[@]}" | sort -n | sed -n 3p)"
    }
    for p in 10 25 50 75 100; do
        "$python" tests/proptest/gen.py --schema content/schema/career.yaml \
            --icons fonts/icons.yaml --base content/careers/ai-engineer.yaml --ids "$ids" \
            --variant "scale:$p" --id "scale-$p" -o "$tmp/content/careers/scale-$p.yaml"
        read -r pages ms < <(cpu_median "scale_$p" --content "$tmp/content" \
            --career "$tmp/content/careers/scale-$p.yaml")
        echo "report_fields_at_${p}pct: $pages pages, $ms ms user CPU, $((ms / pages)) ms/page"
    done
    { printf 'name,career,note\nCy Ray,nurse,'; head -c 65536 /dev/zero | tr '\0' 'z'; echo; } \
        >"$tmp/word.csv"
    # 65,536 bytes of words: z, 8191 times " zzzzzzz", " zzzzzz"
    { printf 'name,career,note\nCy Ray,nurse,z'; printf ' zzzzzzz%.0s' $(seq 8191); echo ' zzzzzz'; } \
        >"$tmp/words.csv"
    for note in word words; do
        ms=() pages=0
        for _ in 1 2 3 4 5; do
            rm -rf "$tmp/$note"
            /usr/bin/time -f '%U' -o "$tmp/cpu" "$bin" --roster "$tmp/$note.csv" \
                --out-dir "$tmp/$note" -j 1 -q 2>/dev/null || true
            ms+=("$(awk '{printf "%d", $1 * 1000 + 0.5}' "$tmp/cpu")")
        done
        pages=$(pdfinfo "$tmp/$note"/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')
        ms=$(printf '%s\n' "${ms[@]}" | sort -n | sed -n 3p)
        echo "roster_note_64kib_of_${note}: ${pages:-0} pages, $ms ms user CPU, $((ms / ${pages:-1})) ms/page"
    done
fi

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)

echo "cpus: $(nproc 2>/dev/null || echo unknown)"
echo "cpu_model: ${cpu:-unknown}"
