#!/usr/bin/env bash
# Property test of the layouts: careers derived from the schema (gen.py), each laid out
# with `--layout report` and checked from its word boxes (geom.py), then as a handout
# and a poster, which must print cleanly too or refuse (exit 2) with every message at
# the career's own file, line and field.
#
#   tests/proptest/run.sh [-n COUNT] [-s SEED] [-j JOBS] [--fixed] [--quick]
#
# --fixed runs the named extremes only (max, half, min, longtok, mixed, rtl) for each
# bundled career, on A4 and Letter (--quick: two of them and a regression seed, the
# subset `make test` runs);
# -n COUNT adds COUNT seeded random variants, numbered
# from SEED (default 1). Each case rotates the base career, the paper (A4, Letter), the
# label language (en, hi, ar) and colour or grey. A failing case prints the command that
# replays it:
#
#   not ok - random:17 nurse Letter ar grey: 3 overlaps ... (replay: run.sh -n 1 -s 17)
#
# Prints `ok - CASE` / `not ok - CASE: WHY` lines and ends with `proptest: N passed, N
# failed`; exits 1 when a case failed. Cases run on JOBS workers (default 2).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${CAREERPDF:-$root/careerpdf}
# Debian's python3, which `make deps` installs python3-yaml for (tests/cli/lib.sh).
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
case $bin in /*) ;; *) bin=$root/${bin#./} ;; esac
count=0 seed=1 jobs=2 fixed=0 quick=0
while [ $# -gt 0 ]; do
    case $1 in
        -n) count=$2; shift 2 ;;
        -s) seed=$2; shift 2 ;;
        -j) jobs=$2; shift 2 ;;
        --fixed) fixed=1; shift ;;
        --quick) fixed=1 quick=1; shift ;;
        *) echo "usage: $0 [-n COUNT] [-s SEED] [-j JOBS] [--fixed] [--quick]" >&2; exit 2 ;;
    esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A content folder of its own: the bundled careers (so `related` ids resolve), the
# schema and labels, and the generated careers beside them.
mkdir -p "$work/content/careers"
ln -s "$root/content/schema" "$root/content/strings" "$work/content/"
bases=()
for f in "$root"/content/careers/*.yaml; do
    ln -s "$f" "$work/content/careers/"
    b=$(basename "$f" .yaml)
    case $b in *.*) ;; *) bases+=("$b") ;; esac
done
ids=$(IFS=,; echo "${bases[*]}")
papers=(A4 Letter)
langs=(en hi ar)

cases=$work/cases
: > "$cases"
if [ "$quick" = 1 ]; then
    # Every field at its limit (columns and lists taller than a page, long footers,
    # contents entries of two lines), and long tokens in three scripts right to left.
    echo "max ai-engineer A4 en 0 1" >> "$cases"
    echo "mixed nurse Letter ar 1 1" >> "$cases"
    # Regression: a poster whose only part past its page was the illustrative footnote
    # was refused at the layout's max_pages line instead of at the career's data.
    echo "random:79 data-scientist Letter en 1 79" >> "$cases"
elif [ "$fixed" = 1 ]; then
    i=0
    for v in max half min longtok mixed rtl; do
        for b in "${bases[@]}"; do
            p=${papers[$((i % 2))]}
            echo "$v ${b} $p ${langs[$((i % 3))]} $(( (i / 2) % 2 )) 1" >> "$cases"
            i=$((i + 1))
        done
    done
fi
for ((k = 0; k < count; k++)); do
    s=$((seed + k))
    echo "random:$s ${bases[$((s % ${#bases[@]}))]} ${papers[$((s % 2))]} \
${langs[$(( (s / 2) % 3))]} $(( (s / 6) % 2 )) $s" >> "$cases"
done

# The report layout's margins in points (top, bottom, inner, outer: 15, 13, 16, 16 mm).
margins=42.52,36.85,45.35,45.35
unprinted="frameworks[].text,skills[].note,url,publisher,next_step.url,next_step.action,author.name,lang,illustrative[]"

one() {
    local v=$1 base=$2 paper=$3 lang=$4 grey=$5 s=$6
    local variant=${v%%:*} id="gen-${v//:/-}-$base"
    local name="$v $base $paper $lang $([ "$grey" = 1 ] && echo grey || echo colour)"
    local yaml=$work/content/careers/$id.yaml out=$work/$id.pdf
    local replay
    if [ "$variant" = random ]; then replay="run.sh -n 1 -s $s"; else replay="run.sh --fixed"; fi
    "$PYTHON" "$here/gen.py" --schema "$root/content/schema/career.yaml" \
        --icons "$root/fonts/icons.yaml" --base "$root/content/careers/$base.yaml" \
        --ids "$ids" --variant "$variant" --seed "$s" --id "$id" -o "$yaml" \
        --words "$work/$id.words" || { echo "not ok - $name: generator failed"; return; }
    local flags=(--content "$work/content" --career "$yaml" --paper "$paper" --lang "$lang" -q)
    [ "$grey" = 1 ] && flags+=(--grayscale)
    if ! "$bin" "${flags[@]}" -o "$out" 2> "$work/$id.err"; then
        echo "not ok - $name: refused: $(head -c 300 "$work/$id.err" | tr '\n' ' ')(replay: $replay)"
        return
    fi
    local res
    # Hindi labels do not repeat the plural role in headings as English ones do.
    local skip=$unprinted
    [ "$lang" = hi ] && skip+=",role_plural"
    res=$("$PYTHON" "$here/geom.py" "$out" --margins "$margins" --words "$work/$id.words" \
        --unprinted "$skip" --max 3)
    if [ $? -ne 0 ]; then
        echo "not ok - $name: $(echo "$res" | tail -1) (replay: $replay)"
        echo "$res" | head -n -1 | sed 's/^/#   /'
        rm -f "$out" "$yaml"
        return
    fi
    # The fixed-size layouts: a clean print after their shortening, or a refusal (exit 2)
    # whose every message is at the career's own file, line and field.
    local l m rc why=""
    for l in handout poster; do
        case $l:$paper in
            handout:*) m=34.02,31.18,45.35,45.35 ;;       # 12, 11, 16, 16 mm
            poster:A4) m=16.04,20.05,28.06,28.06 ;;       # A3's 8, 10, 14, 14 mm x 0.707
            poster:Letter) m=15.09,18.86,26.40,26.40 ;;   # x 0.665
        esac
        "$bin" "${flags[@]}" --layout "$l" -o "$work/$id-$l.pdf" 2> "$work/$id-$l.err"
        rc=$?
        if [ "$rc" -eq 2 ]; then
            if ! grep -q "careers/$id.yaml:[0-9]*:[0-9]*: error: " "$work/$id-$l.err" ||
                grep -v "^careerpdf: [^ ]*careers/$id.yaml:[0-9]*:[0-9]*: error: " "$work/$id-$l.err" | grep -q .; then
                why="$l refused without naming the career's field: $(grep -v "careers/$id.yaml:[0-9]" "$work/$id-$l.err" | head -c 200 | tr '\n' ' ')"
            fi
        elif [ "$rc" -ne 0 ]; then
            why="$l: exit $rc: $(head -c 200 "$work/$id-$l.err" | tr '\n' ' ')"
        elif ! res=$("$PYTHON" "$here/geom.py" "$work/$id-$l.pdf" --margins "$m" --max 3); then
            why="$l: $(echo "$res" | tail -1)"
        fi
        rm -f "$work/$id-$l.pdf" "$work/$id-$l.err"
        [ -n "$why" ] && break
    done
    if [ -z "$why" ]; then
        echo "ok - $name"
    else
        echo "not ok - $name: $why (replay: $replay)"
    fi
    rm -f "$out" "$yaml"
}
export -f one
export work here root bin ids margins unprinted PYTHON

xargs -P "$jobs" -L 1 bash -c 'one "$@"' _ < "$cases" > "$work/results"
cat "$work/results"
pass=$(grep -c '^ok - ' "$work/results")
fail=$(grep -c '^not ok - ' "$work/results")
echo "proptest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
