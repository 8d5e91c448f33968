#!/bin/sh
# parallel.sh - one roster split into N shards run side by side with GNU parallel.
#
#   examples/sharding/parallel.sh ROSTER OUT_DIR [N]
#
# Each shard is what one machine of a cluster would run (see k8s-indexed-job.yaml and
# slurm-array.sh): `careerpdf --shard K/N` makes rows K, K+N, K+2N... and writes its own
# OUT_DIR/manifest-K-of-N.csv. Every shard reads the whole roster to name files, so a
# student's file name is the same whichever shard makes it, and N shards together write
# every row exactly once. At the end the shard manifests are joined into
# OUT_DIR/manifest.csv (grouped by shard). On one machine `careerpdf -j` does the same
# job with less ceremony; this recipe is the cluster recipe, runnable on a laptop.
#
# Exit status: 0 when every row was written, 1 when some rows failed (see the manifest),
# 2 when a shard could not run at all.
#
# It runs the `careerpdf` on the PATH (the Debian package: `make deb`, then
# `apt install ./build/deb/careerpdf_0.2.0_amd64.deb`), or CAREERPDF: a path, or the
# container image, CAREERPDF="podman run --rm -v $PWD:/data registry.example.org/careerpdf:0.2.0"
# (then ROSTER and OUT_DIR relative to the current folder). The tests run it both ways
# (tests/cli/batch.sh with the build, tests/cli/deb.sh with the unpacked package).
set -u
roster=${1:?usage: parallel.sh ROSTER OUT_DIR [N]}
out=${2:?usage: parallel.sh ROSTER OUT_DIR [N]}
n=${3:-4}
careerpdf=${CAREERPDF:-careerpdf}   # may be a command with arguments (word-split)

# One careerpdf per shard, each with one worker: N processes keep N cores busy.
# --skip-existing: running the recipe again after an interruption finishes the rest.
seq 1 "$n" | parallel --will-cite --jobs "$n" \
    $careerpdf --roster "$roster" --out-dir "$out" --shard '{}'/"$n" -j 1 -q \
    --skip-existing
status=$?   # GNU parallel: the number of shards that exited non-zero

# Join the shard manifests: one header, then each shard's rows.
first=1
for k in $(seq 1 "$n"); do
    m="$out/manifest-$k-of-$n.csv"
    [ -f "$m" ] || { echo "parallel.sh: shard $k wrote no manifest" >&2; exit 2; }
    if [ "$first" = 1 ]; then cat "$m"; first=0; else tail -n +2 "$m"; fi
done >"$out/manifest.csv.tmp" && mv "$out/manifest.csv.tmp" "$out/manifest.csv"

if [ "$status" -ne 0 ]; then
    # A shard that failed outright (exit 2) left rows undone; one with failed rows has
    # them listed as failed. Tell which it was.
    if grep -q ',failed,' "$out/manifest.csv"; then exit 1; fi
    exit 2
fi
exit 0
