"""The LSTM cell as a picture: the cell state running along the top like a conveyor
belt, three sigmoid gates and the tanh candidate underneath (notebooks 03 to 05).

    c_{t-1} --(x f_t)------(+ i_t g_t)---------------------> c_t
                                              |
                                           tanh(c_t)
                                              |
    [h_{t-1}, x_t] -> f_t, i_t, g_t, o_t     (x o_t) ---------> h_t

Without a step the drawing shows only the symbols ("what is an LSTM"); given an
LSTMStep it writes each value next to its part and colours the gates by value
("what did this step do"): i, f, o on a 0..1 scale (viridis), g and tanh(c_t) on a
-1..1 scale centred at 0 (PuOr). draw_lstm_cell returns a CellDrawing, the axes and the
artists it drew; update_lstm_cell changes that drawing's numbers and colours in place,
which is what the explorers do on every slider move.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch

from .style import DIVERGING, GATE_COLORS, MINUS, SEQUENTIAL, new_axes, number_text, text_color_on

_CELL_Y, _BUS_Y, _GATE_Y = 5.2, 0.7, 2.4  # heights of the cell line, the [h, x] bus, the gates
_GATE_X = {"f": 2.2, "i": 3.8, "g": 5.4, "o": 7.0}
_GATE_W, _GATE_H, _R = 1.1, 0.8, 0.3  # gate box size, radius of the pointwise nodes
_MUL_F, _MUL_IG, _ADD = (2.2, _CELL_Y), (4.6, 3.9), (4.6, _CELL_Y)
_TANH_C, _MUL_O = (8.8, 3.9), (8.8, _GATE_Y)
_LEFT, _RIGHT = -1.3, 12.3
_NORM01 = mpl.colors.Normalize(0.0, 1.0)
_NORM11 = mpl.colors.Normalize(-1.0, 1.0)
_LINE = dict(color="0.25", lw=1.6, zorder=1, solid_capstyle="round")
PART_NAMES = {  # the parts of the drawing, by name: what each shows
    "c_in": "c_{t-1} coming in along the cell line",
    "c_mid": "the cell line between x f_t and + i_t g_t",
    "c_out": "c_t leaving along the cell line",
    "h_prev_in": "h_{t-1} coming in",
    "x_in": "x_t coming in",
    "bus": "the concatenation [h_{t-1}, x_t]",
    **{f"to_{k}": f"[h_{{t-1}}, x_t] into {k}_t" for k in "figo"},
    **{k: f"the {n}" for k, n in (("f", "forget gate"), ("i", "input gate"), ("g", "candidate"), ("o", "output gate"))},
    "f_out": "f_t into x f_t",
    "i_out": "i_t into x i_t g_t",
    "g_out": "g_t into x i_t g_t",
    "ig_out": "i_t g_t into + on the cell line",
    "o_out": "o_t into x o_t",
    "tanh_in": "c_t into tanh",
    "tanh_out": "tanh(c_t) into x o_t",
    "h_out": "h_t leaving",
    "mul_f": "the product f_t c_{t-1}",
    "mul_ig": "the product i_t g_t",
    "add": "the sum f_t c_{t-1} + i_t g_t",
    "mul_o": "the product o_t tanh(c_t)",
    "tanh_c": "tanh(c_t)",
}
_EMPTY_FILL = "#fbf3d5"  # pale yellow, as in the familiar diagrams, when no values are shown


def cell_values(step, unit: int = 0, example: int = 0) -> dict:
    """The numbers the diagram shows for one memory cell, as plain floats.

    step : an LSTMStep from lstm_step; its fields may be scalars, (H,) or (B, H)
        (x: (D,) or (B, D)). For a trace from lstm_forward, pass one time step, e.g.
        LSTMStep(*(a[t] for a in trace)).
    unit : which memory cell (index into H); example : which row of the batch.

    Returns a dict with keys x (None unless D = 1), h_prev, c_prev, i, f, g, o, c,
    tanh_c, h, and the two products fc = f * c_prev and ig = i * g.
    """

    def pick(a, last):
        a = np.asarray(a)
        if a.ndim == 0:
            return float(a)
        if a.ndim == 2:
            a = a[example]
        return float(a[last]) if a.shape[-1] > last else None

    out = {}
    x = np.asarray(step.x)
    out["x"] = (
        float(x.reshape(-1)[0 if x.ndim < 2 else example])
        if x.size == 1 or (x.ndim >= 1 and x.shape[-1] == 1)
        else None
    )
    for name in ("h_prev", "c_prev", "i", "f", "g", "o", "c", "tanh_c", "h"):
        v = pick(getattr(step, name), unit)
        if v is None:
            raise IndexError(f"unit={unit} is out of range: step.{name} has shape {np.shape(getattr(step, name))}.")
        out[name] = v
    out["fc"] = out["f"] * out["c_prev"]
    out["ig"] = out["i"] * out["g"]
    return out


class CellDrawing(NamedTuple):
    """What draw_lstm_cell drew, for update_lstm_cell to change in place.

    ax : the Axes holding the drawing
    artists : name -> artist; "i", "f", "g", "o", "tanh_c" map to (box, function symbol,
        value text); "x", "h_prev", "c_prev", "c", "h", "fc", "ig" to the value texts
    parts : the drawing's parts by name (PART_NAMES), each a list of its artists, for
        highlight_parts (lstmlearn/plots/walkthrough.py) to pick out
    """

    ax: Axes
    artists: dict
    parts: dict = {}

    @property
    def dynamic(self) -> list:
        """The artists update_lstm_cell changes (the ones a widget redraws on every update)."""
        out = []
        for k in ("i", "f", "g", "o", "tanh_c"):
            out += [a for a in self.artists[k] if a is not None]
        return out + [self.artists[k] for k in ("c_prev", "c", "h_prev", "h", "x", "fc", "ig")]


def draw_lstm_cell(step=None, unit: int = 0, example: int = 0, ax=None, title=None) -> CellDrawing:
    """Draw the LSTM cell; annotate it with the values of `step` if one is given.

    step : LSTMStep or None (symbols only)      unit, example : see cell_values
    ax : matplotlib Axes to draw into; a new 8 x 4.4 inch figure if None
    title : optional axes title

    Returns a CellDrawing: .ax, the Axes, .artists, what update_lstm_cell changes, and
    .parts, its parts by name (PART_NAMES).
    """
    fig, ax = new_axes(ax, figsize=(8, 4.4))
    ax.set_xlim(_LEFT - 0.5, _RIGHT + 0.4)
    ax.set_ylim(-1.45, 6.75)
    ax.set_aspect("equal")
    ax.axis("off")
    art = {}
    ax.add_patch(
        FancyBboxPatch(
            (0, 0), 11, 6.1, boxstyle="round,pad=0,rounding_size=0.5", fc="#f4f4f4", ec="0.6", lw=1.2, zorder=0
        )
    )
    parts = {}  # what highlight_parts can pick out: name -> the artists of that part

    def wire(name, xs, ys, **kw):
        parts.setdefault(name, []).extend(ax.plot(xs, ys, **{**_LINE, **kw}))

    def arrow(name, start, end, **kw):
        patch = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, shrinkA=0, shrinkB=0, zorder=1, **kw)
        parts.setdefault(name, []).append(ax.add_patch(patch))

    # the cell state: the conveyor belt along the top (c_{t-1} in, through x f_t and + i_t g_t, c_t out)
    belt = dict(color="black", lw=3.0, solid_capstyle="butt")
    wire("c_in", [_LEFT, _MUL_F[0]], [_CELL_Y, _CELL_Y], **belt)
    wire("c_mid", [_MUL_F[0], _ADD[0]], [_CELL_Y, _CELL_Y], **belt)
    arrow("c_out", _ADD, (_RIGHT, _CELL_Y), color="black", lw=3.0)
    # h_{t-1} from the left and x_t from below meet and run along the bus [h_{t-1}, x_t]
    wire("h_prev_in", [_LEFT, 1.0], [_BUS_Y, _BUS_Y])
    wire("x_in", [1.0, 1.0], [-1.0, _BUS_Y])
    wire("bus", [1.0, 7.0], [_BUS_Y, _BUS_Y])
    wire("bus", [1.0], [_BUS_Y], marker="o", ms=4, zorder=2)
    for k, gx in _GATE_X.items():
        wire("to_" + k, [gx, gx], [_BUS_Y, _GATE_Y - _GATE_H / 2])
    # gate outputs to the pointwise operations
    wire("f_out", [_GATE_X["f"], _GATE_X["f"]], [_GATE_Y + _GATE_H / 2, _MUL_F[1] - _R])
    wire("i_out", [_GATE_X["i"], _GATE_X["i"], _MUL_IG[0] - _R], [_GATE_Y + _GATE_H / 2, _MUL_IG[1], _MUL_IG[1]])
    wire("g_out", [_GATE_X["g"], _GATE_X["g"], _MUL_IG[0] + _R], [_GATE_Y + _GATE_H / 2, _MUL_IG[1], _MUL_IG[1]])
    wire("ig_out", [_MUL_IG[0], _ADD[0]], [_MUL_IG[1] + _R, _ADD[1] - _R])
    wire("o_out", [_GATE_X["o"] + _GATE_W / 2, _MUL_O[0] - _R], [_GATE_Y, _GATE_Y])
    wire("tanh_in", [_TANH_C[0], _TANH_C[0]], [_CELL_Y, _TANH_C[1] + 0.35])
    wire("tanh_out", [_TANH_C[0], _TANH_C[0]], [_TANH_C[1] - 0.35, _MUL_O[1] + _R])
    wire("h_out", [_MUL_O[0], _MUL_O[0], 11.0], [_MUL_O[1] - _R, _BUS_Y, _BUS_Y])
    arrow("h_out", (11.0, _BUS_Y), (_RIGHT, _BUS_Y), color="0.25", lw=1.6)

    # the four layers: sigmoid gates and the tanh candidate
    for k, gx in _GATE_X.items():
        box = FancyBboxPatch(
            (gx - _GATE_W / 2, _GATE_Y - _GATE_H / 2),
            _GATE_W,
            _GATE_H,
            boxstyle="round,pad=0,rounding_size=0.15",
            fc=_EMPTY_FILL,
            ec=GATE_COLORS[k],
            lw=2.2,
            zorder=3,
        )
        ax.add_patch(box)
        fn = ax.text(
            gx,
            _GATE_Y,
            r"$\tanh$" if k == "g" else r"$\sigma$",
            ha="center",
            va="center",
            fontsize=13 if k != "g" else 11,
            zorder=4,
        )
        label = ax.text(
            gx + 0.1,
            1.55,
            f"${k}_t$",
            ha="left",
            va="center",
            fontsize=12,
            color=GATE_COLORS[k],
            fontweight="bold",
            zorder=4,
        )
        value = ax.text(gx + 0.1, 1.05, "", ha="left", va="center", fontsize=10, zorder=4)
        art[k] = (box, fn, value)
        art[k + "_label"] = label
        parts[k] = [box, fn, label]
    # pointwise operations
    for name, xy, sym in (
        ("mul_f", _MUL_F, r"$\times$"),
        ("mul_ig", _MUL_IG, r"$\times$"),
        ("add", _ADD, "$+$"),
        ("mul_o", _MUL_O, r"$\times$"),
    ):
        node = ax.add_patch(Circle(xy, _R, fc="#f7d9e8", ec="0.25", lw=1.4, zorder=3))
        parts[name] = [node, ax.text(*xy, sym, ha="center", va="center", fontsize=13, zorder=4)]
    tanh_c = Ellipse(_TANH_C, 1.3, 0.7, fc="#f7d9e8", ec="0.25", lw=1.4, zorder=3)
    ax.add_patch(tanh_c)
    fn = ax.text(*_TANH_C, r"$\tanh$", ha="center", va="center", fontsize=11, zorder=4)
    parts["tanh_c"] = [tanh_c, fn]
    art["tanh_c"] = (tanh_c, fn, ax.text(_TANH_C[0] + 0.8, _TANH_C[1], "", ha="left", va="center", fontsize=10))

    # inputs and outputs
    parts["c_in"].append(ax.text(_LEFT - 0.1, _CELL_Y + 0.35, "$c_{t-1}$", ha="left", va="bottom", fontsize=13))
    parts["c_out"].append(ax.text(_RIGHT, _CELL_Y + 0.35, "$c_t$", ha="right", va="bottom", fontsize=13))
    parts["h_prev_in"].append(ax.text(_LEFT - 0.1, _BUS_Y + 0.3, "$h_{t-1}$", ha="left", va="bottom", fontsize=13))
    parts["h_out"].append(ax.text(_RIGHT, _BUS_Y + 0.3, "$h_t$", ha="right", va="bottom", fontsize=13))
    parts["x_in"].append(ax.text(1.0, -1.1, "$x_t$", ha="center", va="top", fontsize=13))
    small = dict(fontsize=10, zorder=5)
    art["c_prev"] = ax.text(_LEFT - 0.1, _CELL_Y - 0.25, "", ha="left", va="top", **small)
    art["c"] = ax.text(_RIGHT, _CELL_Y - 0.25, "", ha="right", va="top", **small)
    art["h_prev"] = ax.text(_LEFT - 0.1, _BUS_Y - 0.2, "", ha="left", va="top", **small)
    art["h"] = ax.text(_RIGHT, _BUS_Y - 0.2, "", ha="right", va="top", **small)
    art["x"] = ax.text(1.2, -0.55, "", ha="left", va="center", **small)
    # the two products: a fixed symbol, then the number as plain text (cheap to redraw)
    art["fc_label"] = ax.text(3.25, _CELL_Y + 0.36, "", ha="right", va="bottom", **small)
    art["fc"] = ax.text(3.25, _CELL_Y + 0.36, "", ha="left", va="bottom", **small)
    art["ig_label"] = ax.text(5.45, 4.55, "", ha="right", va="center", **small)
    art["ig"] = ax.text(5.45, 4.55, "", ha="left", va="center", **small)
    if title:
        ax.set_title(title)
    drawing = CellDrawing(ax, art, parts)
    if step is not None:
        art["fc_label"].set_text(r"$f_t c_{t-1}$")
        art["ig_label"].set_text(r"$i_t g_t$")
        _colour_keys(ax)
        update_lstm_cell(drawing, step, unit, example)
    return drawing


def update_lstm_cell(drawing: CellDrawing, step, unit: int = 0, example: int = 0) -> CellDrawing:
    """Write the values of `step` into `drawing` (from draw_lstm_cell); returns the drawing.

    Gates are written with three decimals, signed values with two, each with more where
    needed so that a gate below 1 never reads as 1 (see lstmlearn.plots.style.number_text).
    """
    if not isinstance(drawing, CellDrawing):
        raise TypeError(
            f"drawing should be the CellDrawing that draw_lstm_cell returned, but it is a {type(drawing).__name__}."
        )
    art = drawing.artists
    v = cell_values(step, unit, example)
    for k in ("i", "f", "g", "o", "tanh_c"):
        patch, fn, value = art[k]
        signed = k in ("g", "tanh_c")
        rgba = mpl.colormaps[DIVERGING if signed else SEQUENTIAL]((_NORM11 if signed else _NORM01)(v[k]))
        patch.set_facecolor(rgba)
        if fn is not None:
            fn.set_color(text_color_on(rgba))
        text = _squashed(v[k], signed)
        value.set_text(text)
        value.set_fontsize(10 if len(text) <= 6 else 8 if len(text) <= 8 else 7)  # a long value fits beside its gate
    art["c_prev"].set_text(_signed(v["c_prev"]))
    art["c"].set_text(_signed(v["c"]))
    art["h_prev"].set_text(_signed(v["h_prev"]))
    art["h"].set_text(_signed(v["h"], (-1, 1)))
    art["x"].set_text("" if v["x"] is None else _signed(v["x"]))
    art["fc"].set_text(" = " + _signed(v["fc"]))
    art["ig"].set_text(" = " + _signed(v["ig"], (-1, 1)))
    return drawing


def _colour_keys(ax):
    """Two small colour bars under the cell: the gates' 0..1 scale and the -1..1 scale."""
    ax.set_ylim(-2.2, 6.75)
    for x0, cmap, norm, label in (
        (3.2, SEQUENTIAL, _NORM01, r"$i_t, f_t, o_t$"),
        (7.6, DIVERGING, _NORM11, r"$g_t, \tanh(c_t)$"),
    ):
        cax = ax.inset_axes([x0, -1.55, 3.0, 0.28], transform=ax.transData)
        cbar = ax.figure.colorbar(mpl.cm.ScalarMappable(norm, cmap), cax=cax, orientation="horizontal")
        cbar.set_ticks([norm.vmin, (norm.vmin + norm.vmax) / 2, norm.vmax])
        cbar.ax.tick_params(labelsize=8, length=2, pad=1)
        cax.set_title(label, fontsize=9, pad=2)


def _squashed(v, signed):
    """A sigmoid (0, 1) or tanh (-1, 1) value in at most 8 characters, never reading as a bound:
    0.731, 0.99998, 1−2e−06 (below 1 by 2e-6), 1−<6e−17 (rounded onto 1 in float64), 4e−18;
    every minus written as U+2212, as in the readouts."""
    return _squashed_ascii(v, signed).replace("-", MINUS)  # the minus sign, as in every readout


def _squashed_ascii(v, signed):
    sign = ("+" if v >= 0 else "-") if signed else ""
    a = abs(v)
    if 0 < a < 1e-3:
        return f"{sign}{a:.0e}"
    gap = 1.0 - a
    if a < 0.5 or gap >= 1e-5:
        return number_text(v, 2, sign=True, within=(-1, 1)) if signed else number_text(v, within=(0, 1))
    if gap > 0:
        return f"{sign}1\u2212{gap:.0e}"
    return sign + number_text(a, within=(0, 1)).replace(" - ", "\u2212")  # 1−<6e-17


def _signed(v, within=None):
    """A signed value with two decimals (more where it would read as a whole number), written with
    the minus sign U+2212 as every readout is."""
    if abs(v) >= 100:
        text = f"{v:+.1e}"
    elif 0 < abs(v) < 1e-3:
        text = f"{v:+.0e}"
    else:
        text = number_text(v, 2, sign=True, within=within)
    return text.replace("-", MINUS)
