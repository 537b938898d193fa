"""How fast is lstmlearn's LSTM? One forward + backward pass through time, timed.

    python benchmarks/bench_lstm.py [--repeats 7] [--quick] [--against REV] [--no-torch]

For each shape and dtype it prints the median time of the engine's lstm_forward +
lstm_backward (lstmlearn.engine, what training runs) and the GFLOP/s this achieves, next
to, all measured in this same process and interleaved (one run of each in turn, so a
change in the machine's load touches every column alike):

  * the GFLOP/s of one large numpy matrix product (the machine's ceiling for this work),
  * the page, lstmlearn.lstm (one equation a line, a loop over lstm_step): "page / engine",
  * a straightforward per-gate numpy LSTM written below (four separate weight matrices,
    every product done step by step, as textbook code does): "x faster than per-gate",
  * torch.nn.LSTM on the CPU, if torch is importable: "x torch's time",
  * with --against REV, the lstmlearn.lstm of git revision REV of this repository (read with
    git archive into a temporary folder): "engine / REV", the median over rounds of the ratio
    of two runs made moments apart, below 1 where the engine is faster.

FLOPs counted are those of the matrix products: the forward pass does 2 T B (D + H) 4H,
the backward pass twice that (input and weight gradients), 6 T B (D + H) 4H in all.
Elementwise work is not counted, so GFLOP/s slightly understates the work done.
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
import lstmlearn as ll

SHAPES = [dict(T=100, B=64, D=2, H=128), dict(T=64, B=64, D=128, H=256)]


def interleaved_times(fns, repeats):
    """Times of each function, running them in turn `repeats` times after one warm-up each.

    Rounds alternate the order (a b c, c b a, ...), so no function always runs right after the
    same other one (torch's threads, for one, keep a core busy for a moment after they finish).
    """
    for fn in fns:
        fn()
    times = [[] for _ in fns]
    for r in range(repeats):
        order = range(len(fns)) if r % 2 == 0 else reversed(range(len(fns)))
        for k in order:
            t0 = time.perf_counter()
            fns[k]()
            times[k].append(time.perf_counter() - t0)
    return times


def lstm_at_revision(rev):
    """The lstm module of lstmlearn at git revision `rev`, imported as a package of its own."""
    import importlib
    import io
    import subprocess
    import tarfile
    import tempfile

    root = Path(__file__).resolve().parents[1]
    folder = Path(tempfile.mkdtemp(prefix="lstmlearn-rev-"))
    archive = subprocess.run(["git", "archive", rev, "lstmlearn"], cwd=root, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    name = f"lstmlearn_{rev.replace('/', '_').replace('-', '_')}"
    (folder / "lstmlearn").rename(folder / name)
    sys.path.insert(0, str(folder))
    return importlib.import_module(f"{name}.lstm")


def median_time(fn, repeats):
    fn()  # warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def matmul_gflops(dtype, n=2048, repeats=5):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(n, n)).astype(dtype), rng.normal(size=(n, n)).astype(dtype)
    return 2 * n**3 / median_time(lambda: a @ b, repeats) / 1e9


# ---- the baseline: a straightforward per-gate numpy LSTM --------------------------------


def per_gate_forward_backward(X, W, dHs):
    """Forward and backward with one weight matrix per gate, every product per step."""

    def sig(z):
        return 1 / (1 + np.exp(-z))

    T, B, _ = X.shape
    H = W["Whi"].shape[0]
    h, c = np.zeros((B, H), X.dtype), np.zeros((B, H), X.dtype)
    cache = []
    for t in range(T):
        x = X[t]
        i = sig(x @ W["Wxi"] + h @ W["Whi"] + W["bi"])
        f = sig(x @ W["Wxf"] + h @ W["Whf"] + W["bf"])
        g = np.tanh(x @ W["Wxg"] + h @ W["Whg"] + W["bg"])
        o = sig(x @ W["Wxo"] + h @ W["Who"] + W["bo"])
        c_prev, h_prev = c, h
        c = f * c_prev + i * g
        h = o * np.tanh(c)
        cache.append((x, h_prev, c_prev, i, f, g, o, c))
    dW = {k: np.zeros_like(v) for k, v in W.items()}
    dh_next, dc_next = np.zeros((B, H), X.dtype), np.zeros((B, H), X.dtype)
    dX = np.empty_like(X)
    for t in reversed(range(T)):
        x, h_prev, c_prev, i, f, g, o, c = cache[t]
        dh = dHs[t] + dh_next
        tc = np.tanh(c)
        do = dh * tc * o * (1 - o)
        dc = dc_next + dh * o * (1 - tc**2)
        di = dc * g * i * (1 - i)
        df = dc * c_prev * f * (1 - f)
        dg = dc * i * (1 - g**2)
        dc_next = dc * f
        dh_next = np.zeros_like(dh)
        dX[t] = 0
        for k, d in zip("ifgo", (di, df, dg, do)):
            dW["Wx" + k] += x.T @ d
            dW["Wh" + k] += h_prev.T @ d
            dW["b" + k] += d.sum(0)
            dX[t] += d @ W["Wx" + k].T
            dh_next += d @ W["Wh" + k].T
    return h, dW, dX


def per_gate_weights(p):
    W = {}
    for k in "ifgo":
        gp = p.gate(k)
        W["Wx" + k], W["Wh" + k], W["b" + k] = (np.ascontiguousarray(a) for a in gp)
    return W


# ---- torch ------------------------------------------------------------------------------


def torch_runner(p, X, dHs):
    try:
        import torch
    except ImportError:
        return None
    lstm = torch.nn.LSTM(p.input_size, p.hidden_size)
    if X.dtype == np.float64:
        lstm = lstm.double()
    lstm.load_state_dict({k: torch.from_numpy(v) for k, v in p.to_pytorch().items()})
    Xt, dHt = torch.from_numpy(X), torch.from_numpy(dHs)

    def run():
        lstm.zero_grad()
        Xg = Xt.clone().requires_grad_(True)
        out, _ = lstm(Xg)
        out.backward(dHt)

    return run, torch.get_num_threads(), torch.__version__


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="one shape, float32 only, 3 repeats")
    ap.add_argument("--against", metavar="REV", help="also time lstmlearn.lstm of this git revision")
    ap.add_argument("--no-torch", action="store_true", help="leave torch out even if it is importable")
    args = ap.parse_args(argv)
    shapes = SHAPES[1:] if args.quick else SHAPES
    dtypes = [np.float32] if args.quick else [np.float32, np.float64]
    repeats = 3 if args.quick else args.repeats
    old = lstm_at_revision(args.against) if args.against else None

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, "
        f"median of {repeats} interleaved runs of forward + backward through time"
    )
    header = (
        f"{'T':>4} {'B':>3} {'D':>4} {'H':>4} {'dtype':>7} | {'engine':>9} {'GFLOP/s':>8} "
        f"{'matmul':>7} {'% of':>5} | {'page':>9} {'page/eng':>8} | {'per-gate':>9} {'speed-up':>8} | "
        f"{'torch':>9} {'eng/torch':>9}" + (f" | {args.against:>9} {'eng/' + args.against[:5]:>9}" if old else "")
    )
    print(header)
    print("-" * len(header))
    ceiling = {}
    for dtype in dtypes:
        ceiling[dtype] = matmul_gflops(dtype)
    torch_info = None
    for shape in shapes:
        T, B, D, H = shape["T"], shape["B"], shape["D"], shape["H"]
        for dtype in dtypes:
            rng = np.random.default_rng(0)
            p = ll.init_lstm(D, H, rng=rng, dtype=dtype)
            X = rng.normal(size=(T, B, D)).astype(dtype)
            dHs = rng.normal(size=(T, B, H)).astype(dtype)

            def engine():
                Hs, trace = ll.engine.lstm_forward(X, p)
                return ll.engine.lstm_backward(dHs, trace, p)

            def page():
                Hs, trace = ll.lstm_forward(X, p)
                return ll.lstm_backward(dHs, trace, p)

            p_old = old.LSTMParams(*p) if old else None

            def revision():
                Hs, trace = old.lstm_forward(X, p_old)
                return old.lstm_backward(dHs, trace, p_old)

            W = per_gate_weights(p)
            runner = None if args.no_torch else torch_runner(p, X, dHs)
            torch_info = runner[1:] if runner else None
            fns = [engine] + ([revision] if old else []) + [page, lambda: per_gate_forward_backward(X, W, dHs)]
            fns += [runner[0]] if runner else []
            runs = interleaved_times(fns, repeats)
            # against REV: the median of the per-round ratios, each from two runs moments apart
            ratio_old = statistics.median(e / o for e, o in zip(runs[0], runs[1])) if old else None
            times = [statistics.median(t) for t in runs]
            t_old = times.pop(1) if old else None
            t_eng, t_page, t_pg = times[:3]
            t_torch = times[3] if runner else float("nan")
            flops = 6 * T * B * (D + H) * 4 * H
            gf = flops / t_eng / 1e9
            line = (
                f"{T:>4} {B:>3} {D:>4} {H:>4} {np.dtype(dtype).name:>7} | {t_eng * 1e3:>7.1f}ms {gf:>8.1f} "
                f"{ceiling[dtype]:>7.1f} {100 * gf / ceiling[dtype]:>4.0f}% | {t_page * 1e3:>7.1f}ms "
                f"{t_page / t_eng:>7.2f}x | {t_pg * 1e3:>7.1f}ms {t_pg / t_eng:>7.2f}x | "
                f"{t_torch * 1e3:>7.1f}ms {t_eng / t_torch:>8.2f}x"
            )
            if old:
                line += f" | {t_old * 1e3:>7.1f}ms {ratio_old:>8.3f}x"
            print(line, flush=True)
    print()
    print("matmul: GFLOP/s of a 2048 x 2048 product; % of: the engine's GFLOP/s as a share of it;")
    print("page/eng: lstmlearn.lstm's time / the engine's; speed-up: per-gate time / the engine's;")
    print(
        "eng/torch: the engine's time / torch's (< 1: faster)"
        + ("; eng/REV: median over rounds of the engine's time / that revision's" if old else "")
    )
    if torch_info:
        print(f"torch {torch_info[1]} with {torch_info[0]} threads")
    else:
        print("torch is left out or not importable: its column is nan")


if __name__ == "__main__":
    main()
