"""The mLSTM's forms against each other: time and peak memory as the sequence grows.

    python benchmarks/bench_mlstm.py [--repeats 5] [--quick] [--d 16] [--batch 1]

For each length T it runs lstmlearn.mlstm's recurrent form (mlstm_recurrent: a loop over T
steps, keeping the trace BPTT needs, so O(T d^2) memory), the parallel form (mlstm_parallel:
(T, T) matrices, O(T^2 d) time and O(T^2) memory, no loop) and the chunkwise form
(mlstm_chunkwise, chunks of 64 steps), all in this process on the same inputs. It prints
the median time of each over interleaved rounds (one run of each in turn, so a change in the
machine's load touches every column alike), the ratio to the recurrent form, and the peak
memory numpy allocated during one run (tracemalloc, measured apart from the timings).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lstmlearn.mlstm import mlstm_chunkwise, mlstm_parallel, mlstm_recurrent

LENGTHS = [64, 128, 256, 512, 1024, 2048]
QUICK_LENGTHS = [32, 64, 128, 256]


def forms(Q, K, V, I_tilde, F_tilde):
    """The three forms as functions of no arguments, by name."""
    return {
        "recurrent": lambda: mlstm_recurrent(Q, K, V, I_tilde, F_tilde),
        "parallel": lambda: mlstm_parallel(Q, K, V, I_tilde, F_tilde),
        "chunkwise": lambda: mlstm_chunkwise(Q, K, V, I_tilde, F_tilde, 64),
    }


def interleaved_medians(fns: dict, repeats: int) -> dict:
    """Median time of each function over `repeats` rounds, after one warm-up each; rounds alternate the order."""
    for fn in fns.values():
        fn()
    names = list(fns)
    times = {name: [] for name in names}
    for r in range(repeats):
        for name in names if r % 2 == 0 else reversed(names):
            t0 = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(t) for name, t in times.items()}


def peak_bytes(fn) -> int:
    """The peak of the memory traced by tracemalloc (numpy's arrays included) during one call of fn."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help=f"lengths {QUICK_LENGTHS} and 3 repeats")
    ap.add_argument("--d", type=int, default=16, help="head size d (default 16)")
    ap.add_argument("--batch", type=int, default=1, help="batch size B (default 1)")
    args = ap.parse_args(argv)
    lengths, repeats = (QUICK_LENGTHS, 3) if args.quick else (LENGTHS, args.repeats)
    print(
        f"mLSTM forms, B = {args.batch}, d = {args.d}, float64; numpy {np.__version__}, {platform.processor() or '?'}"
    )
    print(f"median of {repeats} interleaved rounds; peak = numpy memory during one run (tracemalloc)")
    head = f"{'T':>6} | {'recurrent':>10} {'parallel':>10} {'chunkwise':>10} | {'par/rec':>7} {'chunk/rec':>9} |"
    print(head + f" {'peak rec':>9} {'peak par':>9} {'peak chunk':>10} | {'par/rec':>7}")
    for T in lengths:
        rng = np.random.default_rng(T)
        Q, K, V = (rng.normal(size=(T, args.batch, args.d)) for _ in range(3))
        I_tilde, F_tilde = rng.normal(size=(T, args.batch)), rng.normal(size=(T, args.batch)) + 3
        fns = forms(Q, K, V, I_tilde, F_tilde)
        t = interleaved_medians(fns, repeats)
        mem = {name: peak_bytes(fn) for name, fn in fns.items()}
        mb = {name: v / 2**20 for name, v in mem.items()}
        print(
            f"{T:>6} | {t['recurrent'] * 1e3:>8.1f}ms {t['parallel'] * 1e3:>8.1f}ms {t['chunkwise'] * 1e3:>8.1f}ms |"
            f" {t['parallel'] / t['recurrent']:>7.2f} {t['chunkwise'] / t['recurrent']:>9.2f} |"
            f" {mb['recurrent']:>7.1f}MB {mb['parallel']:>7.1f}MB {mb['chunkwise']:>8.1f}MB |"
            f" {mem['parallel'] / mem['recurrent']:>7.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
