"""The forget-bias explorer: recorded training runs, one slider (notebook 09).

benchmarks/run_variants.py forget-bias trains the same LSTM on the adding problem (T = 50)
from several forget-gate biases b_f, with three seeds each; the slider picks b_f and the
figure shows those runs' scores against the training step, next to what b_f means before
any training: the initial forget value sigma(b_f) and its memory half-life.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..activations import sigmoid
from ..memory import half_life
from ..plots.style import OKABE_ITO, detached_figure, number_text
from ._base import CONTROL_WIDTH, Explorer, fmt, table


def forget_bias_values(runs: list, forget_bias: float) -> dict:
    """For the recorded runs with this forget bias: their score curves, mean final score, how
    many reached the target, and the initial forget value sigma(b_f) with its half-life."""
    chosen = [r for r in runs if r["forget_bias"] == forget_bias]
    if not chosen:
        raise ValueError(
            f"no recorded run has forget_bias = {forget_bias}; the runs have "
            f"{sorted({r['forget_bias'] for r in runs})}."
        )
    f0 = float(sigmoid(forget_bias))
    return {
        "curves": [(np.array(r["eval_step"]), np.array(r["score"])) for r in chosen],
        "final_mean": float(np.mean([r["final_score"] for r in chosen])),
        "reached": sum(r["first_step_reaching_target"] is not None for r in chosen),
        "runs": len(chosen),
        "f0": f0,
        "half_life": float(half_life(f0)),
        "baseline": chosen[0]["baseline"]["score"],
    }


def forget_bias_explorer(record: dict, forget_bias: float | None = None) -> Explorer:
    """record: the JSON written by benchmarks/run_variants.py forget-bias (data/results/forget_bias.json).

    Controls: forget_bias. .values: curves, final_mean, reached, runs, f0, half_life, baseline.
    """
    runs = record["runs"]
    options = sorted({r["forget_bias"] for r in runs})
    start = forget_bias if forget_bias is not None else options[len(options) // 2]
    if start not in options:
        raise ValueError(f"forget_bias must be one of the recorded biases {options}, but it is {forget_bias!r}.")
    layout = W.Layout(width="auto", min_width="240px", max_width=CONTROL_WIDTH)
    controls = {
        "forget_bias": W.SelectionSlider(
            options=options,
            value=start,
            description="$b_f$",
            continuous_update=True,
            style={"description_width": "60px"},
            layout=layout,
        )
    }
    n_seeds = max(sum(r["forget_bias"] == b for r in runs) for b in options)
    fig = detached_figure((8, 3.3))
    ax = fig.subplots()
    lines = [ax.plot([], [], lw=2, color=c)[0] for c in list(OKABE_ITO.values())[:n_seeds]]
    steps = max(max(r["eval_step"]) for r in runs)
    ax.set_xlim(0, steps)
    ax.set_ylim(0, 1.02)
    ax.axhline(runs[0]["baseline"]["score"], color="0.4", ls="--", lw=1)
    ax.text(steps, runs[0]["baseline"]["score"] + 0.02, "chance", ha="right", fontsize=8, color="0.3")
    ax.set_xlabel("training step")
    ax.set_ylabel("fraction correct")
    title = ax.set_title("", fontsize=10)

    def draw(v):
        for k, line in enumerate(lines):
            line.set_data(*(v["curves"][k] if k < len(v["curves"]) else ([], [])))
            line.set_label(f"seed {k}")
        title.set_text(
            f"adding problem, T = 50, {v['runs']} seeds: the forget gate starts at "
            f"{number_text(v['f0'], within=(0, 1))}"
        )
        return False

    def describe(v):
        return table(
            [
                ("initial <i>f</i> = &sigma;(<i>b<sub>f</sub></i>)", fmt(v["f0"], within=(0, 1))),
                ("half-life", fmt(v["half_life"], 1) + " steps"),
                ("mean final score", fmt(v["final_mean"])),
                ("runs reaching 95 %", f"{v['reached']} of {v['runs']}"),
            ]
        )

    return Explorer(
        controls,
        lambda p: forget_bias_values(runs, p["forget_bias"]),
        draw,
        describe,
        fig,
        dynamic=lines + [title],
        title="The forget-gate bias at initialisation",
        alt="Score against training step for every recorded seed at this forget-gate bias, with the baseline",
    )
