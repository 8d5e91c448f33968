#!/bin/bash
# tests/compare-outputs.sh - every bundled output from two builds, compared byte by byte.
#
# For restructurings that must not change a single byte (e.g. moving writer code):
# build the old binary first and copy it aside, then after each step run
#
#   tests/compare-outputs.sh OLD_BINARY NEW_BINARY [WORK_DIR]
#
# (the old binary's files are made once per WORK_DIR and reused).
# It renders, with each binary: every career x report/handout/poster x A4/Letter x
# en/hi/ar (cairo PDF), the same with --backend haru where the writer can draw it, the
# first page of each career's report as PNG and SVG, a tiled poster and a report with
# bleed, the example roster (one report each) and the same roster merged into one print
# file, the merged roster of tricky-roster.csv, and the handbook. Then it compares
# every file with cmp and prints one line per difference and a final count. Exit 0
# when every file is identical. Files both binaries refuse (haru and shaped scripts)
# count as identical when the messages are.
set -u
old=${1:?usage: compare-outputs.sh OLD NEW [DIR]}
new=${2:?usage: compare-outputs.sh OLD NEW [DIR]}
dir=${3:-$(mktemp -d)}
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
old=$(readlink -f "$old") new=$(readlink -f "$new")   # before the cd below
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2   # the binaries find the bundled content from here
export SOURCE_DATE_EPOCH=1780000000

render() {   # render BINARY OUTDIR
    local bin=$1 out=$2
    rm -rf "$out"
    mkdir -p "$out"
    local ids
    ids=$("$bin" --list | cut -f1)
    for id in $ids; do
        for layout in report handout poster; do
            for paper in A4 Letter; do
                for lang in en hi ar; do
                    local base="$out/$id-$layout-$paper-$lang"
                    "$bin" -q --career "$id" --layout "$layout" --paper "$paper" \
                        --lang "$lang" -o "$base.pdf" 2>"$base.err"
                    "$bin" -q --career "$id" --layout "$layout" --paper "$paper" \
                        --lang "$lang" --backend haru -o "$base.haru.pdf" \
                        2>"$base.haru.err"
                done
            done
        done
        "$bin" -q --career "$id" --format png --dpi 40 --page 1 -o "$out/$id-1.png" 2>/dev/null
        "$bin" -q --career "$id" --format svg --page 1 -o "$out/$id-1.svg" 2>/dev/null
        "$bin" -q --career "$id" --layout poster --tile A4 -o "$out/$id-tiled.pdf" 2>/dev/null
        "$bin" -q --career "$id" --bleed 3 -o "$out/$id-bleed.pdf" 2>/dev/null
    done
    "$bin" -q --roster "examples/class-11b.csv" --out-dir "$out/roster" -j 2 \
        2>"$out/roster.err"
    "$bin" -q --roster "examples/class-11b.csv" --merge "$out/merged.pdf" -j 2 \
        2>"$out/merged.err"
    "$bin" -q --roster "examples/tricky-roster.csv" --merge "$out/tricky.pdf" -j 2 \
        2>"$out/tricky.err"
    "$bin" -q --all --merge "$out/handbook.pdf" 2>"$out/handbook.err"
    # The run's timings are no output of the writers.
    rm -f "$out"/roster/*.json
}

# The old binary's files are kept in DIR and reused by the next run with the same DIR.
if [ ! -e "$dir/old.done" ]; then
    render "$old" "$dir/old"
    touch "$dir/old.done"
fi
render "$new" "$dir/new"

same=0 differ=0
while IFS= read -r f; do
    rel=${f#"$dir/old/"}
    if [ ! -e "$dir/new/$rel" ]; then
        echo "missing in new: $rel"
        differ=$((differ + 1))
    elif cmp -s "$f" "$dir/new/$rel"; then
        same=$((same + 1))
    else
        echo "differs: $rel"
        differ=$((differ + 1))
    fi
done < <(find "$dir/old" -type f | sort)
while IFS= read -r f; do
    rel=${f#"$dir/new/"}
    [ -e "$dir/old/$rel" ] || { echo "only in new: $rel"; differ=$((differ + 1)); }
done < <(find "$dir/new" -type f | sort)
echo "compare-outputs: $same identical, $differ different (files in $dir)"
[ "$differ" -eq 0 ]
