"""Benchmark: twolayer from Python against the same work in Java (not a test; nothing asserted).

  PYTHONPATH=DIR /usr/bin/python3 bench/python_fit.py [REPEATS]     (DIR: an install of ./python; see docs/python.md)

1. One large fit (n = 10^6, d = 50, k = 10, l = 20, the CLI's defaults): MomentRecovery.fit on NumPy arrays
   (wall time in Python, the arrays read in place through direct buffers) against MomentRecovery.fit of the
   Java library on the same samples already in a Java array, in the same JVM: the ratio is what calling from
   Python costs. The two alternate, REPEATS pairs (default 3), after one warm-up of each; medians printed.
2. A sweep of 20 small fits (n = 2*10^4, d = 10, k = 5) in one Python process, against the same 20
   recoveries as 20 `twolayer recover` commands on .npz files (each a new JVM, the launcher's class-data
   archive included).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

import twolayer
from twolayer import _java
from twolayer._java import J

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def seconds(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def large(repeats):
    X, Y, truth = twolayer.make_planted(n=1_000_000, d=50, k=10, l=20, dist="gaussian", seed=1)
    python_fit = lambda: twolayer.MomentRecovery(k=10).fit(X, Y)
    options = twolayer.MomentRecovery(k=10)._options()
    data = J.Dataset(X.shape[0], X.shape[1], Y.shape[1], _java.to_java_doubles(X), _java.to_java_doubles(Y))
    java_fit = lambda: J.MomentRecovery.fit(data, options)
    python_fit(), java_fit()  # warm-up: the JIT compiles the passes once for both
    py, jv = [], []
    for _ in range(repeats):
        py.append(seconds(python_fit))
        jv.append(seconds(java_fit))
    p, j = statistics.median(py), statistics.median(jv)
    print(f"large fit n=1e6 d=50 k=10 l=20: python {p:.3f} s, java (same JVM, same samples) {j:.3f} s, "
          f"ratio {p / j:.2f}  (runs: python {', '.join(f'{v:.3f}' for v in py)}; java {', '.join(f'{v:.3f}' for v in jv)})")


def sweep():
    fits = [twolayer.make_planted(n=20_000, d=10, k=5, l=8, dist="cube", seed=s) for s in range(1, 21)]
    in_process = seconds(lambda: [twolayer.MomentRecovery(k=5).fit(X, Y) for X, Y, _ in fits])
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, (X, Y, _) in enumerate(fits):
            path = os.path.join(tmp, f"d{i}.npz")
            np.savez(path, X=X, Y=Y)
            files.append(path)
        launcher = os.path.join(ROOT, "twolayer")
        subprocess.run([launcher, "--version"], check=True, stdout=subprocess.DEVNULL)  # built outside the timing
        commands = seconds(lambda: [subprocess.run([launcher, "recover", "--data", f, "--k", "5", "--out",
                                                    f + ".json"], check=True, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL)
                                    for f in files])
    print(f"sweep of 20 fits n=2e4 d=10 k=5: one python process {in_process:.2f} s, 20 commands {commands:.2f} s, "
          f"ratio {in_process / commands:.2f}")


if __name__ == "__main__":
    # The sweep's small fits (n = 2·10^4) warn of small detector gaps, as `recover` does on such data: the
    # warnings are the fits' own, not the benchmark's output.
    warnings.simplefilter("ignore")
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    large(repeats)
    sweep()
