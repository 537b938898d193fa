"""The cell-state explorer: c_t = f * c_{t-1} + i * g with constant f, i, g (notebook 04).

Shows the trajectory of c_t, what is left of c_0 without new input (f^t c_0, with the
half-life marked), and the gradient along the cell path dc_T/dc_t = f^(T - t).
The maths is lstmlearn.memory.
"""

from __future__ import annotations

import numpy as np

from ..memory import cell_path_gradient, cell_trajectory, half_life
from ..plots.style import CELL_COLOR, GATE_COLORS, LSTM_COLOR, detached_figure, nice_ceiling
from ._base import Explorer, check_number, fmt, int_slider, slider, table

_FLOOR = 1e-300  # log-axis floor for products that underflow to 0
GRAD_YLIM = (1e-20, 10.0)  # fixed, so moving f only moves the curve
_STEPS = (1, 2, 5)  # round ends for c_t's axis


def cell_state_values(f, i, g, c0, T) -> dict:
    """The numbers the cell-state explorer shows (plain numpy, via lstmlearn.memory).

    Returns t (T + 1,), c (T + 1,) the trajectory c_0 .. c_T, decay (T + 1,) = f^t c_0 (no
    input), half_life (steps; inf for f = 1), c_T, fixed_point i g / (1 - f) (None for
    f = 1), grad (T + 1,) = dc_T/dc_t along the cell path, and grad_0 = dc_T/dc_0 = f^T.
    f and i must be in [0, 1], g in [-1, 1] and c0 finite (a ValueError names the one that is not).
    """
    for name, value, lo, hi in (("f", f, 0, 1), ("i", i, 0, 1), ("g", g, -1, 1), ("c0", c0, -np.inf, np.inf)):
        check_number(name, value, lo, hi)
    c = cell_trajectory(f, i, g, T, c0)
    decay = cell_trajectory(f, 0.0, 0.0, T, c0)
    grad = cell_path_gradient(np.full(T, float(f)))
    return {
        "t": np.arange(T + 1),
        "c": c,
        "decay": decay,
        "half_life": float(half_life(f)),
        "c_T": float(c[-1]),
        "fixed_point": float(i * g / (1 - f)) if f < 1 else None,
        "grad": grad,
        "grad_0": float(grad[0]),
    }


def cell_state_explorer(f=0.9, i=0.5, g=0.8, c0=1.0, T=60, T_max=500) -> Explorer:
    """Sliders for a constant forget value f, input gate i, candidate g, start c_0 and length T.

    Controls: f, i, g, c0, T.   .values: see cell_state_values.
    """
    controls = {
        "f": slider("$f$", f, 0.0, 1.0, 0.005, readout_format=".3f"),
        "i": slider("$i$", i, 0.0, 1.0, 0.01),
        "g": slider("$g$", g, -1.0, 1.0, 0.01),
        "c0": slider("$c_0$", c0, -2.0, 2.0, 0.05),
        "T": int_slider("$T$", T, 1, T_max, continuous=False),  # a new T redraws the axes
    }
    fig = detached_figure((10.5, 3.7))
    ax_c, ax_g = fig.subplots(1, 2)
    (line_c,) = ax_c.plot([], [], color=CELL_COLOR, lw=2.2, label=r"$c_t = f\,c_{t-1} + i\,g$")
    (line_d,) = ax_c.plot([], [], color=GATE_COLORS["f"], lw=1.5, ls="--", label=r"$f^t c_0$ (no input)")
    fixed = ax_c.axhline(0.0, color="0.4", lw=0.9, ls=":", label=r"fixed point $i g / (1 - f)$")
    half = ax_c.axvline(0.0, color=GATE_COLORS["f"], lw=0.9, ls=":")
    # the half-life label sits at the top of its line (x in steps, y in axes fractions), on a
    # light box so that it reads where a curve passes behind it
    half_text = ax_c.text(
        0,
        0.97,
        "",
        color=GATE_COLORS["f"],
        fontsize=9,
        ha="left",
        va="top",
        transform=ax_c.get_xaxis_transform(),
        bbox=dict(fc="white", ec="none", alpha=0.8, pad=1.5),
    )
    ax_c.axhline(0.0, color="0.7", lw=0.6)
    ax_c.set_xlabel("step $t$")
    ax_c.set_ylabel("$c_t$")
    ax_c.set_title("the cell state under constant gates", fontsize=11)
    (line_g,) = ax_g.plot([], [], color=LSTM_COLOR, lw=2.2, label=r"$\partial c_T/\partial c_t = f^{T-t}$")
    ax_g.set_yscale("log")
    ax_g.set_ylim(*GRAD_YLIM)
    ax_g.axhline(1.0, color="0.4", lw=0.8, ls="--")
    ax_g.set_xlabel("step $t$")
    ax_g.set_ylabel(r"$\partial c_T / \partial c_t$")
    ax_g.set_title("gradient along the cell path", fontsize=11)
    # one legend under both plots: the curves move with every slider, a legend inside an axes
    # would sooner or later sit on them
    fig.legend(
        handles=[line_c, line_d, fixed, line_g], loc="outside lower center", ncols=4, fontsize=8.5, frameon=False
    )

    def compute(p):
        return cell_state_values(p["f"], p["i"], p["g"], p["c0"], p["T"])

    limits = {}

    def draw(v):
        t, T = v["t"], v["t"][-1]
        line_c.set_data(t, v["c"])
        line_d.set_data(t, v["decay"])
        fp = v["fixed_point"]
        fixed.set_visible(fp is not None and abs(fp) < 1e6)
        if fixed.get_visible():
            fixed.set_ydata([fp, fp])
        low, high = _settled_limits(limits.get("y"), np.concatenate([v["c"], v["decay"]]))
        hl = v["half_life"]
        half.set_visible(0 < hl <= T)
        half_text.set_visible(0 < hl <= T)
        if 0 < hl <= T:
            half.set_xdata([hl, hl])
            right = hl < 0.6 * T  # the label on the side of its line with room for it
            half_text.set_x(hl)
            half_text.set_horizontalalignment("left" if right else "right")
            half_text.set_text(f" half-life {hl:.1f} steps" if right else f"half-life {hl:.1f} steps ")
        line_g.set_data(t, np.maximum(v["grad"], _FLOOR))
        new = {"T": max(T, 1), "y": (low, high)}
        if new == limits:
            return False  # only the curves moved
        limits.update(new)
        ax_c.set_xlim(0, new["T"])
        ax_c.set_ylim(low, high)
        ax_g.set_xlim(0, new["T"])
        return True  # the axes changed: redraw everything

    def describe(v):
        return table(
            [
                ("half-life", fmt(v["half_life"], 2) + " steps"),
                ("<i>c<sub>T</sub></i>", fmt(v["c_T"])),
                ("fixed point <i>ig</i>/(1&minus;<i>f</i>)", fmt(v["fixed_point"])),
                ("&part;<i>c<sub>T</sub></i>/&part;<i>c</i><sub>0</sub> = <i>f<sup>T</sup></i>", fmt(v["grad_0"])),
            ]
        )

    return Explorer(
        controls,
        compute,
        draw,
        describe,
        fig,
        dynamic=[line_c, line_d, fixed, half, half_text, line_g],
        title="The cell state: how long does a memory last?",
        alt="Left, the cell state c_t over the steps t with its fixed point; right, how much of the gradient at the last step reaches each step back",
    )


def _settled_limits(current, y):
    """The current y-limits while they still suit the values y, else _fitted_limits(y): so that
    a slider sweep changes the axes (a full redraw) only now and then. The limits suit while
    they hold every value, have an empty-free side below 0 exactly when the fit has one (and
    above 0 likewise), and span at most twice the fitted span."""
    fitted = _fitted_limits(y)
    if current is None:
        return fitted

    def sides(lims):
        low, high = lims
        return low < -0.05 * (high - low), high > 0.05 * (high - low)

    low, high = current
    holds = low <= float(np.min(y)) and float(np.max(y)) <= high
    suits = holds and sides(current) == sides(fitted) and high - low <= 2.0 * (fitted[1] - fitted[0])
    return current if suits else fitted


def _fitted_limits(y):
    """y-limits around the values y and 0 that move rarely: each side is 0 or a round number
    (1, 2 or 5 times a power of 10) beyond the data, so no side is empty when all values share
    a sign; a side at 0 gets a small margin so the curve stays off the frame."""
    top, bottom = max(float(np.max(y)), 0.0), max(-float(np.min(y)), 0.0)
    scale = max(top, bottom, 0.1)
    high = nice_ceiling(top * 1.05, _STEPS) if top > 0.02 * scale else 0.0
    low = -nice_ceiling(bottom * 1.05, _STEPS) if bottom > 0.02 * scale else 0.0
    if high == low == 0.0:  # every value (nearly) 0: show a small range above the zero line
        high = nice_ceiling(scale, _STEPS)
    margin = 0.04 * (high - low)
    return (low if low < 0 else -margin), (high if high > 0 else margin)
