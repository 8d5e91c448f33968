#!/usr/bin/env bash
# tests/bench-batch.sh [BINARY] [ROWS] - the roster run, whole numbers only.
#
# Builds a roster of ROWS students (default 2,000; or $BENCH_ROWS) who all get the
# personalised AI Engineer report (the "Prepared for" box and the profile block from
# self-ratings), then runs it 3 times at -j1 and 3 times at -j(all cores) and prints
# the medians: reports per second, CPU microseconds per report (user + system of the
# whole process tree), peak memory of one worker, and bytes per report.
#
# Memory against roster length: a run over a roster 50 times longer (BENCH_BIG_ROWS,
# default 50,000 rows) whose --shard slice makes as many reports as the main run, so
# the parent streams every row while the workers' share stays comparable; and the
# worker peak after ROWS reports versus after ROWS/10. Then one merged print file of 50
# and one of 300 students: size, peak memory and CPU. Nothing is asserted: these are
# numbers to compare between commits on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-./careerpdf}
rows=${2:-${BENCH_ROWS:-2000}}
big=${BENCH_BIG_ROWS:-50000}
cores=$(nproc 2>/dev/null || echo 1)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/careerpdf-bench-batch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# roster N FILE: N students, ratings varied so the profile block differs per row.
roster() {
    awk -v n="$1" 'BEGIN {
        split("Ananya Mateo Aisha Liam Chen Sofia Noah Priya Omar Emily Arjun Yasmin", f, " ")
        split("Iyer García Rahman O’Connor Wei Rossi Williams Nair Haddad Zhang Mehta Ali", l, " ")
        print "name,career,grade,school,counselor,note,rate:programming-logic," \
              "rate:linear-algebra-and-calculus-foundations,rate:deep-learning-frameworks"
        for (i = 1; i <= n; i++)
            printf "%s %s %d,ai-engineer,%d,Westview High School,Ms. Rivera,\"Student %d: " \
                   "keen on robotics, meets the counselor weekly.\",%d,%d,%d\n",
                   f[i % 12 + 1], l[int(i / 12) % 12 + 1], i, 10 + i % 3, i,
                   i % 6, (i * 7) % 6, (i * 5) % 6
    }' >"$2"
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# run_once ROSTER JOBS [ARGS...]: prints "wall_ms cpu_ms worker_peak_kb tree_peak_kb bytes"
run_once() {
    local r=$1 j=$2
    shift 2
    rm -rf "$tmp/out"
    local t0 t1
    t0=$(date +%s%N)
    local rc=0
    /usr/bin/time -f '%U %S %M' -o "$tmp/time" \
        "$bin" --roster "$r" --out-dir "$tmp/out" -j "$j" "$@" 2>"$tmp/err" || rc=$?
    t1=$(date +%s%N)
    if [ "$rc" -ne 0 ]; then   # every row of the bench roster must be written
        echo "bench-batch: $bin exited with $rc: $(head -c 300 "$tmp/err")" >&2
        exit 1
    fi
    local worker bytes
    worker=$(sed -n 's/.*worker peak memory \([0-9]*\) MB.*/\1/p' "$tmp/err")
    # columns by their header: the manifest's columns may grow
    bytes=$(awk -F, 'FNR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
                     $c["status"] == "ok" {s += $c["bytes"]; n++}
                     END {print n ? int(s / n) : 0}' "$tmp/out"/manifest*.csv)
    read -r u s m < <(tail -n 1 "$tmp/time")
    echo "$(((t1 - t0) / 1000000)) $(awk -v u="$u" -v s="$s" 'BEGIN {print int((u + s) * 1000)}') \
${worker:-0} $m $bytes"
}

# bench ROSTER REPORTS JOBS: medians of 3 runs → reports/s, cpu µs/report, worker MB...
bench() {
    local r=$1 n=$2 j=$3
    : >"$tmp/runs"
    for _ in 1 2 3; do run_once "$r" "$j" >>"$tmp/runs"; done
    rate=$(awk -v n="$n" '{print int(n * 1000 / $1)}' "$tmp/runs" | median)
    cpu=$(awk -v n="$n" '{print int($2 * 1000 / n + 0.5)}' "$tmp/runs" | median)
    worker=$(awk '{print $3}' "$tmp/runs" | median)
    tree=$(awk '{print int($4 / 1024)}' "$tmp/runs" | median)
    bytes=$(awk '{print $5}' "$tmp/runs" | median)
}

roster "$rows" "$tmp/roster.csv"
bench "$tmp/roster.csv" "$rows" 1
echo "batch_rows: $rows"
echo "batch_reports_per_s_j1: $rate"
echo "batch_cpu_us_per_report_j1: $cpu"
echo "batch_worker_peak_mb_j1: $worker"
echo "batch_bytes_per_report: $bytes"
bench "$tmp/roster.csv" "$rows" "$cores"
echo "batch_reports_per_s_j$cores: $rate"
echo "batch_cpu_us_per_report_j$cores: $cpu"
echo "batch_worker_peak_mb_j$cores: $worker"
echo "batch_tree_peak_mb_j$cores: $tree"

small=$((rows / 10 > 0 ? rows / 10 : 1))
roster "$small" "$tmp/small.csv"
read -r _ _ w_small _ _ < <(run_once "$tmp/small.csv" 1)
echo "batch_worker_peak_mb_after_${small}_reports: $w_small"

if [ "$big" -gt 0 ]; then
    roster "$big" "$tmp/big.csv"
    slices=$((big / rows > 1 ? big / rows : 1))
    read -r wall _ w_big tree_big _ < <(run_once "$tmp/big.csv" "$cores" --shard "1/$slices")
    echo "batch_big_rows: $big (shard 1/$slices: $((big / slices)) reports)"
    echo "batch_big_worker_peak_mb: $w_big"
    echo "batch_big_tree_peak_mb: $((tree_big / 1024))"
    echo "batch_big_wall_ms: $wall"
fi
# The merged print file (--merge) at 50 and 300 students (BENCH_MERGE_ROWS): its size,
# the process's peak memory and CPU (user + system), whole and per student, so growth
# with the class size shows (each student's report keeps its whole structure).
for n in ${BENCH_MERGE_ROWS:-50 300}; do
    roster "$n" "$tmp/merge-$n.csv"
    rm -f "$tmp/merge-$n.pdf"
    rc=0
    /usr/bin/time -f '%U %S %M' -o "$tmp/time" \
        "$bin" --roster "$tmp/merge-$n.csv" --merge "$tmp/merge-$n.pdf" -q 2>"$tmp/err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "bench-batch: --merge of $n students exited with $rc: $(head -c 300 "$tmp/err")" >&2
        exit 1
    fi
    read -r u s m < <(tail -n 1 "$tmp/time")
    mbytes=$(wc -c <"$tmp/merge-$n.pdf" | tr -d ' ')
    mcpu=$(awk -v u="$u" -v s="$s" 'BEGIN {print int((u + s) * 1000)}')
    echo "merge_${n}_bytes: $mbytes"
    echo "merge_${n}_bytes_per_student: $((mbytes / n))"
    echo "merge_${n}_peak_mb: $((m / 1024))"
    echo "merge_${n}_cpu_ms: $mcpu"
    echo "merge_${n}_cpu_ms_per_student: $((mcpu / n))"
done
echo "cpus: $cores"
