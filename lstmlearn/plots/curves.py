"""The squashing functions with an operating point marked (notebook 03).

    sigmoid(z) in (0, 1): a gate keeps a *fraction* of what passes through it
    tanh(z)    in (-1, 1): a signed candidate value

Neither function ever reaches its bounds; the shaded band is the open range of values.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from .style import GATE_COLORS, OKABE_ITO, new_axes, number_text

_FUNCTIONS = {
    "sigmoid": (sigmoid, (0.0, 1.0), r"$\sigma(z)$", OKABE_ITO["vermillion"]),
    "tanh": (np.tanh, (-1.0, 1.0), r"$\tanh(z)$", GATE_COLORS["g"]),
}


def plot_activation(name: str = "sigmoid", z=None, ax=None, zlim=(-6.0, 6.0)):
    """Draw sigmoid or tanh over z in zlim, shade its range, and mark the point (z, value).

    name : "sigmoid" or "tanh"      z : float or None (no point marked)
    ax : Axes or None (a new 5 x 3.2 inch figure)     zlim : (low, high) of the z axis
    Returns the Axes. The curve is ax.lines[0]; the marked point, if any, is ax.lines[1].
    """
    if name not in _FUNCTIONS:
        raise ValueError(f"name must be one of {list(_FUNCTIONS)}, but it is {name!r}.")
    fn, (lo, hi), symbol, color = _FUNCTIONS[name]
    fig, ax = new_axes(ax, figsize=(5, 3.2))
    zz = np.linspace(zlim[0], zlim[1], 400)
    ax.plot(zz, fn(zz), color=color, lw=2.2, label=symbol)
    ax.axhspan(lo, hi, color=color, alpha=0.08, lw=0)
    for bound in (lo, hi):
        ax.axhline(bound, color="0.5", lw=0.8, ls=":")
    ax.text(zlim[0] + 0.2, hi - 0.04 * (hi - lo), f"values in ({lo:g}, {hi:g}); never {lo:g} or {hi:g}",
            va="top", fontsize=9, color="0.3")
    if z is not None:
        z = float(np.clip(z, *zlim))
        v = float(fn(np.asarray(z)))
        ax.plot([z], [v], "o", color="black", ms=7, zorder=5)
        ax.plot([z, z, zlim[0]], [lo - 0.1 * (hi - lo), v, v], color="0.4", lw=0.8, ls="--")
        label = f"({z:.2f}, {number_text(v, within=(lo, hi))})"  # never reads as a bound
        ax.annotate(label, (z, v), xytext=(8, -14 if v > (lo + hi) / 2 else 8),
                    textcoords="offset points", fontsize=10)
    ax.set_xlim(*zlim)
    pad = 0.1 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("$z$ (pre-activation)")
    ax.set_ylabel(symbol)
    ax.set_title(f"{name}: range ({lo:g}, {hi:g})")
    return ax
