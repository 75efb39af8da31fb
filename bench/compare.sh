#!/usr/bin/env bash
# Side-by-side benchmark: the same work in twolayer and in its Python peers (NumPy, PyTorch, pandas),
# each pair run alternately in one run, whole processes, and the ratios printed (twolayer / peer; below 1
# means twolayer is faster). Absolute seconds drift 10-30% on shared machines; ratios of alternated
# pairs do not. Usage:  bench/compare.sh [REPEATS]   (default 3; data are made once under bench/work/)
#
# BEFORE=DIR bench/compare.sh compares a change too: DIR is another checkout of twolayer (built with its
# launcher, e.g. a clone at the commit before the change), whose same command runs in each alternation
# beside ours and the peer's, so that before and after are measured in one run.
#
# The peers come from Debian's packages (python3-numpy python3-torch python3-pandas, with OpenBLAS),
# installed here with apt-get when missing. What each peer does: bench/peers.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
repeats="${1:-3}"
work="$here/work"
mkdir -p "$work"
py=/usr/bin/python3

if ! "$py" -c 'import numpy, torch, pandas' 2>/dev/null; then
  echo "installing the Python peers from Debian's packages (python3-numpy python3-torch python3-pandas)..." >&2
  if [ "$(id -u)" != 0 ]; then
    echo "error: apt-get needs root: run 'sudo apt-get install python3-numpy python3-torch python3-pandas libopenblas0-pthread' first" >&2
    exit 2
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-torch python3-pandas \
    libopenblas0-pthread >/dev/null
fi

tl="$root/twolayer"
"$tl" --version >/dev/null   # builds on first use, outside the timings
before="${BEFORE:-}"
if [ -n "$before" ]; then
  [ -x "$before/twolayer" ] || { echo "error: BEFORE=$before has no twolayer launcher: give a checkout's root" >&2; exit 2; }
  "$before/twolayer" --version >/dev/null
fi

# The data: a planted network's samples as .npz (n = 10^6, d = 50, k = 10, l = 20) and a CSV file of
# 10^6 rows with 20 input and 8 output columns written with 17 significant digits (~570 MB).
if [ ! -f "$work/ge.npz" ]; then
  "$tl" generate planted --dist gaussian --d 50 --k 10 --l 20 --n 1000000 --noise 0.1 --seed 3 \
    --out "$work/ge.npz" --truth "$work/ge-truth.json" >/dev/null
fi
if [ ! -f "$work/big.csv" ]; then
  echo "writing $work/big.csv (once; ~20 s)..." >&2
  "$py" - "$work/big.csv" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(1)
n, d, k, l = 1000000, 20, 5, 8
W = rng.standard_normal((k, d)); A = rng.standard_normal((l, k))
X = rng.uniform(-1, 1, (n, d)); Y = np.maximum(X @ W.T, 0) @ A.T
hdr = ",".join(["x%d" % i for i in range(d)] + ["y%d" % i for i in range(l)])
np.savetxt(sys.argv[1], np.hstack([X, Y]), delimiter=",", fmt="%.17g", header=hdr, comments="")
PY
fi

now() { date +%s.%N; }
# time_cmd VAR command...: whole-process seconds of one run into VAR (output discarded).
time_cmd() {
  local var="$1"; shift
  local t0 t1
  t0=$(now)
  "$@" >/dev/null 2>&1 || { echo "error: '$*' failed" >&2; exit 1; }
  t1=$(now)
  printf -v "$var" '%s' "$(awk "BEGIN { print $t1 - $t0 }")"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -a names ours theirs
pair() { # pair NAME -- twolayer command -- peer command
  local name="$1"; shift; shift
  local -a a=() b=() c=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done; shift
  b=("$@")
  if [ -n "$before" ]; then # the same command through the other checkout's launcher
    c=("$before/twolayer" "${a[@]:1}")
  fi
  local -a ta=() tb=() tc=()
  for ((i = 0; i < repeats; i++)); do
    if [ -n "$before" ]; then time_cmd s "${c[@]}"; tc+=("$s"); fi
    time_cmd s "${a[@]}"; ta+=("$s")
    time_cmd s "${b[@]}"; tb+=("$s")
  done
  names+=("$name"); ours+=("$(median "${ta[@]}")"); theirs+=("$(median "${tb[@]}")")
  printf '%-62s twolayer %7.2f s   peer %7.2f s   ratio %.2f' "$name" "${ours[-1]}" "${theirs[-1]}" \
    "$(awk "BEGIN { print ${ours[-1]} / ${theirs[-1]} }")"
  if [ -n "$before" ]; then
    local m; m="$(median "${tc[@]}")"
    printf '   before %7.2f s (ratio %.2f)' "$m" "$(awk "BEGIN { print $m / ${theirs[-1]} }")"
  fi
  printf '\n'
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores); $repeats alternated runs each, medians"
pair "recover .npz n=1e6 d=50 k=10 l=20 vs NumPy (steps 1-10 and 2a)" -- \
  "$tl" recover --data "$work/ge.npz" --k 10 --out "$work/ge-model.json" -- \
  "$py" "$here/peers.py" recover "$work/ge.npz" 10
pair "pretrain --online 100 rounds d=100 T=32 m=256 vs PyTorch f32" -- \
  "$tl" pretrain --online --d 100 --r 3 --tasks 32 --width 256 --rounds 100 --out "$work/rep.json" -- \
  "$py" "$here/peers.py" pretrain 100 32 256 256 256 100
pair "recover from the 570 MB CSV vs pandas.read_csv alone" -- \
  "$tl" recover --data "$work/big.csv" --k 5 --out "$work/csv-model.json" -- \
  "$py" "$here/peers.py" readcsv "$work/big.csv"
