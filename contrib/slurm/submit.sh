#!/usr/bin/env bash
# Submit a sharded provaudit scan to Slurm: the array job, then the merge once every
# array task succeeded.
#
#   WORK=/shared/pa/run1 [SHARDS=64] [PARALLEL=16] [OUT=...] [PROVAUDIT=...] \
#     contrib/slurm/submit.sh [SBATCH OPTIONS --] ROOT... [scan flags]
#
# SBATCH OPTIONS (before a '--') go to the array job and override the script's #SBATCH
# lines, e.g. `submit.sh --partition=cpu --cpus-per-task=16 --mem=32G -- /data/sft`.
# Run it again with the same arguments after a failure: the shards already complete
# finish at once (--resume), only the others scan, and a new merge job is queued.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${WORK:?set WORK to a directory on the shared filesystem}"
SHARDS=${SHARDS:-64}
PARALLEL=${PARALLEL:-16}
sbatch_opts=()
for arg in "$@"; do
  if [ "$arg" = "--" ]; then
    while [ "$1" != "--" ]; do sbatch_opts+=("$1"); shift; done
    shift
    break
  fi
done
if [ "$#" -eq 0 ]; then
  echo "usage: WORK=DIR [SHARDS=N] [PARALLEL=P] $0 [SBATCH OPTIONS --] ROOT... [scan flags]" >&2
  exit 2
fi
mkdir -p "$WORK"
export WORK SHARDS

# --parsable prints "jobid" or "jobid;cluster".
array=$(sbatch --parsable --array="0-$((SHARDS - 1))%$PARALLEL" --export=ALL \
  ${sbatch_opts[@]+"${sbatch_opts[@]}"} "$here/provaudit-array.sbatch" "$@")
array=${array%%;*}
# afterok: only when every array task exited 0 (a shard with read errors exits 0 too);
# otherwise the merge is cancelled instead of waiting forever.
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --export=ALL "$here/merge.sbatch")
merge=${merge%%;*}
echo "submitted array job $array ($SHARDS shards, $PARALLEL at a time) and merge job $merge"
echo "watch: squeue -j $array,$merge    failures: sacct -j $array --format=JobID,State,ExitCode"
