"""Experiments over several seeds, drawn so that every seed shows (notebooks 07 to 09).

    plot_seed_curves   one thin line per seed and their median as a thick line
    plot_seed_scores   one dot per seed for each configuration, ties spread side by side,
                       the median as a bar

A run that stops early at its target keeps its last value in the median from then on (it
has solved the task; leaving it out would make the median fall when good seeds finish).
Chance lines are dashed and always labelled with their value; give several as a dict
{label: value} (the embedded Reber grammar has two). In plot_seed_scores a value of
np.inf ("never reached the target within the budget") is drawn as an open triangle above
every finite value, labelled, instead of being dropped.
"""

from __future__ import annotations

import numpy as np

from .style import OKABE_ITO, new_axes

CHANCE_STYLE = dict(color="0.35", ls="--", lw=1.2)
CHANCE_STYLES = ("--", ":", "-.")


def _chance_lines(ax, chance, chance_label):
    """Draw labelled dashed lines: chance is None, a number (labelled chance_label) or {label: value}."""
    if chance is None:
        return
    lines = chance if isinstance(chance, dict) else {chance_label: chance}
    for n, (label, value) in enumerate(lines.items()):
        ax.axhline(
            value, **{**CHANCE_STYLE, "ls": CHANCE_STYLES[n % len(CHANCE_STYLES)]}, label=f"{label} ({value:.3g})"
        )


def _check_runs(steps, values):
    if len(steps) != len(values):
        raise ValueError(
            f"steps and values should hold one array per seed, but steps has {len(steps)} and values has {len(values)}."
        )
    if len(steps) == 0:
        raise ValueError("steps and values are empty: give one array per seed.")
    runs = []
    for n, (s, v) in enumerate(zip(steps, values)):
        s, v = np.asarray(s, dtype=float), np.asarray(v, dtype=float)
        if s.shape != v.shape or s.ndim != 1 or s.size == 0:
            raise ValueError(
                f"seed {n}: steps and values should be 1-D arrays of the same length, "
                f"but they have shapes {s.shape} and {v.shape}."
            )
        runs.append((s, v))
    return runs


def median_curve(steps, values):
    """The median over seeds at every step any seed recorded; a run that ended keeps its last value.

    steps, values : sequences with one 1-D array per seed (runs may have different lengths)
    Returns (grid, median), both 1-D.
    """
    runs = _check_runs(steps, values)
    grid = np.unique(np.concatenate([s for s, _ in runs]))
    filled = []
    for s, v in runs:
        idx = np.searchsorted(s, grid, side="right") - 1  # last recorded value at or before each step
        row = np.where(idx >= 0, v[np.clip(idx, 0, None)], np.nan)
        filled.append(row)
    return grid, np.nanmedian(np.array(filled), axis=0)


def plot_seed_curves(steps, values, ax=None, *, label=None, color=None, chance=None, chance_label="chance", log=False):
    """Per-seed curves (thin) and their median (thick) for one configuration.

    steps, values : one 1-D array per seed, e.g. a History's eval_step and score for each seed
    label : the configuration's name, shown with the seed count in the legend
    chance : the value of a model that learned nothing (a labelled dashed line), or
        {label: value} for several, or None
    log : log-scale y axis (for losses)
    Returns the Axes.
    """
    runs = _check_runs(steps, values)
    fig, ax = new_axes(ax)
    color = color or OKABE_ITO["blue"]
    for s, v in runs:
        ax.plot(s, v, color=color, lw=0.8, alpha=0.35)
    grid, med = median_curve(steps, values)
    name = f"{label}: " if label else ""
    ax.plot(grid, med, color=color, lw=2.4, label=f"{name}median of {len(runs)} seeds")
    _chance_lines(ax, chance, chance_label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.legend(fontsize=8)
    return ax


def plot_seed_scores(
    groups, ax=None, *, colors=None, chance=None, chance_label="chance", ylabel="score", log=False, budget=None
):
    """One dot per seed for each configuration; identical values are spread side by side.

    groups : dict {configuration name: per-seed values}, drawn left to right in its order;
        np.inf (never reached the target) is drawn as an open triangle in a band above
        every finite value, and above the budget when one is given
    colors : optional dict {name: colour}
    chance : a labelled dashed line, {label: value} for several, or None
    log : log-scale y axis (e.g. for steps to a target), when every finite value is positive
    budget : the largest value a run could have reached (e.g. the step budget), drawn as a dotted
        line, so that a run that never reached the target is never drawn below it; or None
    Returns the Axes. Each configuration's median is a short black bar behind its dots
    (not drawn when the median itself is np.inf).
    """
    if not groups:
        raise ValueError("groups is empty: give {configuration name: per-seed values}.")
    fig, ax = new_axes(ax, figsize=(max(4, 1.1 * len(groups) + 1.5), 3.5))
    palette = list(OKABE_ITO.values())
    values = {}
    for name, vals in groups.items():
        v = np.asarray(vals, dtype=float).ravel()
        if v.size == 0 or np.isnan(v).any() or (np.isinf(v) & (v < 0)).any():
            raise ValueError(
                f"groups[{name!r}] should hold one value per seed (numbers, or np.inf for "
                f"'not reached'), but it is {vals!r}."
            )
        values[name] = v
    finite = np.concatenate([v[np.isfinite(v)] for v in values.values()] + [np.zeros(0)])
    log = log and finite.size > 0 and finite.min() > 0  # (nothing finite to show: a linear axis)
    lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    if budget is not None:
        if not np.isfinite(budget) or budget < hi:
            raise ValueError(
                f"budget should be a number at least as large as every finite value ({hi:g}), but it is {budget!r}."
            )
        hi = float(budget)
    # runs that never reached the target sit in a band above every finite value
    censored_y = hi * 2.5 if log else hi + 0.12 * max(hi - lo, abs(hi), 1e-9)
    censored_label = "not reached within the budget"
    for x, (name, v) in enumerate(values.items()):
        offsets = np.linspace(-0.25, 0.25, v.size) if v.size > 1 else np.zeros(1)
        v = np.sort(v)  # neighbours in value sit side by side; inf last
        c = (colors or {}).get(name, palette[x % len(palette)])
        ok = np.isfinite(v)
        ax.scatter(x + offsets[ok], v[ok], s=28, color=c, edgecolor="black", linewidth=0.5, zorder=3)
        if (~ok).any():
            ax.scatter(
                x + offsets[~ok],
                np.full((~ok).sum(), censored_y),
                marker="^",
                s=40,
                facecolor="white",
                edgecolor=c,
                linewidth=1.2,
                zorder=3,
                label=censored_label,
            )
            censored_label = None  # one legend entry
        med = np.median(v)
        if np.isfinite(med):
            ax.plot([x - 0.32, x + 0.32], [med] * 2, color="black", lw=2, zorder=2)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(lo / 1.6, (censored_y if censored_label is None else hi) * 1.6)
    if budget is not None:
        ax.axhline(budget, color="0.35", ls=":", lw=1, label=f"budget ({budget:,.0f})")
    _chance_lines(ax, chance, chance_label)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    ax.set_xticks(range(len(groups)), list(groups), rotation=30, ha="right")
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_ylabel(ylabel)
    return ax
