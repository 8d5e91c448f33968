#!/bin/bash
# slurm-array.sh - a district roster as a Slurm job array: task K of N makes shard K/N.
#
#   sbatch --export=ROSTER=/shared/district.csv,OUT=/shared/reports \
#          examples/sharding/slurm-array.sh
#
# Every task reads the whole roster from shared storage and writes only its own rows
# (rows K, K+N, K+2N...) plus OUT/manifest-K-of-N.csv, so the tasks never overlap and
# together leave no row out, whatever order the scheduler runs them in. Resubmitting
# the same array after a failure (or `scontrol requeue`) finishes the rest thanks to
# --skip-existing. Keep N (the array size) the same between runs: the slices depend
# on it.
#
# The nodes run careerpdf from the Debian package (`make deb`, then on each node
# `apt install ./careerpdf_0.2.0_amd64.deb`), or from the container image with
# CAREERPDF="podman run --rm -v /shared:/shared registry.example.org/careerpdf:0.2.0"
# (ROSTER and OUT must then be under /shared).
#SBATCH --job-name=careerpdf
#SBATCH --array=1-40%10
#SBATCH --cpus-per-task=4
#SBATCH --mem=1G
#SBATCH --time=00:30:00
#SBATCH --output=careerpdf-%A_%a.log
set -u
: "${ROSTER:?set ROSTER to the roster file (sbatch --export=ROSTER=...)}"
: "${OUT:?set OUT to the output folder (sbatch --export=OUT=...)}"

n=${SLURM_ARRAY_TASK_COUNT:-$SLURM_ARRAY_TASK_MAX}
k=$SLURM_ARRAY_TASK_ID

# Workers: the cores Slurm gave this task (about 60 MB of memory each).
${CAREERPDF:-careerpdf} --roster "$ROSTER" --out-dir "$OUT" --shard "$k/$n" \
    -j "${SLURM_CPUS_PER_TASK:-1}" --skip-existing -q
rc=$?
# 1 = some rows had bad data: they are in the manifest, and running the task again
# would not fix them, so the task counts as done. 2 = the task could not run at all.
[ "$rc" -le 1 ] && exit 0
exit "$rc"
