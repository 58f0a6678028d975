#!/usr/bin/env bash
# Slurm job array: one shard of an escalate run per array task.
#
#   sbatch --array=0-15 docs/cluster/slurm-array.sh
#   # (logs land in the directory you submit from: Slurm opens the --output
#   # file before this script runs, so it cannot be in a folder the script makes)
#   # when every task has finished:
#   escalate merge results/shard-* --out results/merged
#
# Each task runs runs/N of the runs (N = the array's size) with the same
# scenario, seed and overrides; merge checks that the shards belong together,
# that none is missing or duplicated, and writes the summary a single run
# would have written, byte for byte.
#SBATCH --job-name=escalate
#SBATCH --cpus-per-task=4
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --output=escalate-%A_%a.out
set -euo pipefail

SCENARIO=${SCENARIO:-guinea-2009}     # a shipped name or a .toml file on shared storage
RUNS=${RUNS:-100000000}               # total runs of the whole job
SEED=${SEED:-20091228}
OUT=${OUT:-results}
N=${SLURM_ARRAY_TASK_COUNT:?run this as a job array: sbatch --array=0-15 ...}
I=${SLURM_ARRAY_TASK_ID}

mkdir -p "$OUT"
escalate run "$SCENARIO" --runs "$RUNS" --seed "$SEED" \
  --shard "$I/$N" --workers "${SLURM_CPUS_PER_TASK:-1}" --yes --force --no-runs-csv \
  --out "$OUT/shard-$I"
# --force lets a requeued task replace its own earlier output: a shard
# recomputes exactly the same numbers, and escalate replaces only directories
# it wrote itself.
