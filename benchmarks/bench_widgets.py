"""How long one explorer update takes, headless: python benchmarks/bench_widgets.py

An update is everything that happens when a learner moves a slider: the maths, the
artist updates, the Agg draw and the PNG encoding of the picture the notebook shows.
Each explorer's controls are moved through a sequence of values and every update is
timed. Run with the inline backend (set below unless MPLBACKEND is given) so the
matplotlib configuration is the notebook's. Target for the gate explorer:
median < 50 ms, 95th percentile < 100 ms.

Every explorer of lstmlearn.widgets.EXPLORERS is timed: those below with a planned sweep,
the others that their defaults build with each slider moved across its range.

For comparison the last column times what an ipywidgets.Output + display(fig) design
would pay per update just to render: the inline backend's print_figure of the same
figure (a full draw with bbox_inches="tight", i.e. a layout pass plus a draw).
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from IPython.core.pylabtools import print_figure

import lstmlearn as ll


def sweep(explorer, name, values):
    """Set control `name` to each value in turn; return the time of each update (s)."""
    times = []
    for v in values:
        start = time.perf_counter()
        explorer.controls[name].value = v
        times.append(time.perf_counter() - start)
    return times


def inline_render_time(explorer, repeats=5):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        print_figure(explorer.figure, "png", bbox_inches="tight")
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def default_steps(explorer, n=21):
    """Each slider of `explorer` across its range, `n` values (for an explorer without a plan)."""
    return [
        (name, np.linspace(c.min, c.max, n).round(6) if isinstance(c.value, float) else np.arange(c.min, c.max + 1))
        for name, c in explorer.controls.items()
        if hasattr(c, "min")
    ]


def main():
    rng = np.random.default_rng(0)
    p = ll.init_lstm(3, 8, rng)
    _, trace = ll.lstm_forward(rng.normal(size=(60, 1, 3)), p)
    line = np.linspace(-1, 1, 41)
    plans = {
        "gate_explorer": (
            ll.widgets.gate_explorer,
            [("x", 3 * line), ("w_xf", 8 * line), ("b_f", 8 * line[::-1]), ("c_prev", 5 * line), ("w_hg", 8 * line)],
        ),
        "cell_state_explorer": (
            ll.widgets.cell_state_explorer,
            [("f", np.linspace(0.5, 1.0, 41)), ("g", line), ("T", np.arange(20, 500, 12))],
        ),
        "vanishing_gradient_explorer": (
            ll.widgets.vanishing_gradient_explorer,
            [
                ("spectral_radius", np.linspace(0.5, 1.5, 41)),
                ("f", np.linspace(0.8, 1.0, 41)),
                ("T", np.arange(20, 300, 7)),
                ("activation", ["relu", "tanh"] * 5),
            ],
        ),
        "sequence_stepper": (
            lambda: ll.widgets.sequence_stepper(trace),
            [("t", list(range(1, 61))), ("unit", [0, 1, 2, 3, 4, 5, 6, 7] * 3)],
        ),
    }
    for name, entry in ll.widgets.EXPLORERS.items():
        if name not in plans and not entry.needs:
            plans[name] = (entry.make, None)
    header = f"{'explorer':<28} {'control':<16} {'n':>4} {'median ms':>10} {'p95 ms':>8}"
    print(header)
    print("-" * len(header))
    summary = []
    for name, (make, steps) in plans.items():
        explorer = make()
        steps = steps if steps is not None else default_steps(explorer)
        sweep(explorer, steps[0][0], steps[0][1][:3])  # warm caches (fonts, mathtext)
        all_times = []
        for control, values in steps:
            times = sweep(explorer, control, [v.item() if hasattr(v, "item") else v for v in values])
            all_times += times
            print(
                f"{name:<28} {control:<16} {len(times):>4} {1e3 * np.median(times):>10.1f} "
                f"{1e3 * np.percentile(times, 95):>8.1f}"
            )
        summary.append(
            (name, len(all_times), np.median(all_times), np.percentile(all_times, 95), inline_render_time(explorer))
        )
    print()
    print(f"{'explorer':<28} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'inline print_figure ms':>23}")
    for name, n, med, p95, inline in summary:
        print(f"{name:<28} {n:>4} {1e3 * med:>10.1f} {1e3 * p95:>8.1f} {1e3 * inline:>23.1f}")
    gate = summary[0]
    ok = gate[2] < 0.050 and gate[3] < 0.100
    print(f"\ngate_explorer target (median < 50 ms, p95 < 100 ms): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
