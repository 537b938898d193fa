"""How fast are the three scans of h_t = a_t h_{t-1} + b_t in numpy? Timed against T.

    python benchmarks/bench_scan.py [--repeats 7] [--width 256] [--lengths 16 64 256 1024 4096]

For each sequence length T it prints the median time of lstmlearn.scan's scan_loop (the
baseline, T small numpy operations in sequence), scan_doubling (ceil(log2 T) rounds of whole
-array operations, T log2 T work) and scan_log (Heinsen's two cumulative sums, done by numpy's
compiled accumulate loops), with the ratios loop / method (above 1 where the method is faster).
All three run in this same process, interleaved round by round, on arrays of shape (T, width)
in float64 (width = batch x hidden units). Each run is checked to agree with the loop to 1e-12.

On a CPU the doubling scan does log2 T times the loop's arithmetic: it wins only while the
loop's per-step Python overhead dominates. On a GPU the same log2 T depth runs every position
at once, which is where the parallel scan pays.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lstmlearn.scan import scan_doubling, scan_log, scan_loop  # noqa: E402


def interleaved_medians(fns, repeats):
    """Median seconds of each function, run in turn (alternating order) after one warm-up each."""
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for r in range(repeats):
        order = range(len(fns)) if r % 2 == 0 else reversed(range(len(fns)))
        for k in order:
            start = time.perf_counter()
            fns[k]()
            times[k].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def main(argv=None):
    """Print a table of scan times and ratios against T; returns its rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each scan per length (median)")
    parser.add_argument("--width", type=int, default=256, help="the size of one step's arrays (batch x hidden)")
    parser.add_argument("--lengths", type=int, nargs="+", default=[16, 64, 256, 1024, 4096], help="values of T")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    print(f"numpy {np.__version__}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; ", end="")
    print(f"float64 arrays (T, {args.width}); median of {args.repeats}")
    print(f"{'T':>6}  {'loop ms':>9}  {'doubling ms':>11}  {'log ms':>8}  {'loop/doubling':>13}  {'loop/log':>8}")
    rows = []
    for T in args.lengths:
        a = rng.uniform(0.5, 1.0, size=(T, args.width))
        b = rng.uniform(0.1, 1.0, size=(T, args.width))
        log_a, log_b = np.log(a), np.log(b)
        reference = scan_loop(a, b)
        np.testing.assert_allclose(scan_doubling(a, b), reference, rtol=1e-12)
        np.testing.assert_allclose(np.exp(scan_log(log_a, log_b)), reference, rtol=1e-12)
        loop, doubling, log = interleaved_medians(
            [lambda: scan_loop(a, b), lambda: scan_doubling(a, b), lambda: np.exp(scan_log(log_a, log_b))],
            args.repeats,
        )
        rows.append(dict(T=T, loop=loop, doubling=doubling, log=log))
        print(
            f"{T:>6}  {loop * 1e3:>9.3f}  {doubling * 1e3:>11.3f}  {log * 1e3:>8.3f}"
            f"  {loop / doubling:>13.2f}  {loop / log:>8.2f}"
        )
    return rows


if __name__ == "__main__":
    main()
