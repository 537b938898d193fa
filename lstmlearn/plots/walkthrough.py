"""The LSTM step equation by equation, each on the cell diagram with the parts it touches
picked out (notebook 05's walk-through, in the manner of Olah's "Understanding LSTM Networks").

    EQUATION_PARTS   row -> Row(equation, parts): which parts of the diagram each row of the
                     walk-through touches (its inputs, the gate or operation, the wire it feeds)
    highlight_parts  pick out some parts of a drawing: thick and dark, the rest faded
    plot_walkthrough the rows as small multiples, one diagram per equation

A picked-out part differs from the others by more than colour: its lines are twice as thick
and fully drawn, the other parts fade to a fifth of their opacity, and each diagram is titled
with its row's equation, so the pictures read the same in greyscale.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .diagram import PART_NAMES, CellDrawing, draw_lstm_cell

FADED = 0.2  # the opacity of the parts an equation does not touch
THICKER = 2.2  # how much thicker a picked-out line or outline is drawn


class Row(NamedTuple):
    """One row of the walk-through: its equation (matplotlib mathtext) and the parts it touches."""

    equation: str
    parts: tuple


def _row(equation: str, *parts: str) -> Row:
    return Row(equation, parts)


_INPUTS = ("h_prev_in", "x_in", "bus")  # [h_{t-1}, x_t]: what every gate reads
EQUATION_PARTS = {
    1: _row(r"$[h_{t-1}, x_t]$", *_INPUTS),
    2: _row(r"$f_t = \sigma(x_t W_{xf} + h_{t-1} W_{hf} + b_f)$", *_INPUTS, "to_f", "f"),
    3: _row(r"$i_t = \sigma(x_t W_{xi} + h_{t-1} W_{hi} + b_i)$", *_INPUTS, "to_i", "i"),
    4: _row(r"$g_t = \tanh(x_t W_{xg} + h_{t-1} W_{hg} + b_g)$", *_INPUTS, "to_g", "g"),
    5: _row(r"$i_t \odot g_t$", "i", "g", "i_out", "g_out", "mul_ig"),
    6: _row(r"$f_t \odot c_{t-1}$", "c_in", "f", "f_out", "mul_f"),
    7: _row(r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$", "mul_f", "c_mid", "mul_ig", "ig_out", "add", "c_out"),
    8: _row(r"$o_t = \sigma(x_t W_{xo} + h_{t-1} W_{ho} + b_o)$", *_INPUTS, "to_o", "o"),
    9: _row(r"$\tanh(c_t)$", "c_out", "tanh_in", "tanh_c"),
    10: _row(r"$h_t = o_t \odot \tanh(c_t)$", "o", "o_out", "tanh_c", "tanh_out", "mul_o", "h_out"),
    11: _row(r"$(h_t, c_t) \to$ step $t + 1$", "c_out", "h_out"),
}


def highlight_parts(drawing: CellDrawing, parts) -> CellDrawing:
    """Pick out `parts` of `drawing` (from draw_lstm_cell); returns the drawing.

    parts : names from lstmlearn.plots.diagram.PART_NAMES
    The picked-out parts are drawn fully opaque, their lines and outlines THICKER times as
    thick and in black where they were grey; every other part fades to opacity FADED.
    Call it on a fresh drawing: the widths it multiplies are the drawing's own.
    """
    if not isinstance(drawing, CellDrawing) or not drawing.parts:
        raise TypeError(
            f"drawing should be the CellDrawing that draw_lstm_cell returned, but it is a {type(drawing).__name__}."
        )
    chosen = set(parts)
    unknown = sorted(chosen - set(drawing.parts))
    if unknown:
        raise ValueError(f"parts {unknown} are not parts of the drawing; the parts are {sorted(drawing.parts)}.")
    for name, artists in drawing.parts.items():
        for a in artists:
            if name not in chosen:
                a.set_alpha(FADED)
            elif isinstance(a, Line2D):
                a.set_linewidth(a.get_linewidth() * THICKER)
                a.set_color("black")
            elif isinstance(a, Patch):
                a.set_linewidth(a.get_linewidth() * THICKER)
                if isinstance(a.get_edgecolor(), tuple) and np.allclose(a.get_edgecolor()[:3], 0.25):
                    a.set_edgecolor("black")
                if name == "c_out" or name == "h_out":
                    a.set_color("black")
            else:  # a text: the label of a gate, an input or an output
                a.set_fontweight("bold")
    return drawing


def plot_walkthrough(rows=None, axes=None, ncols: int = 3):
    """The walk-through's rows as small multiples: one cell diagram per row, titled with the
    row's number and equation, the parts it touches picked out (highlight_parts).

    rows : row numbers of EQUATION_PARTS (all eleven if None)
    axes : a sequence of at least len(rows) Axes to draw into; a new figure with `ncols`
        columns if None (the axes left over are switched off)
    Returns the array of axes, one per row, in order (the leftover axes after them).
    """
    rows = list(EQUATION_PARTS) if rows is None else list(rows)
    bad = [r for r in rows if r not in EQUATION_PARTS]
    if bad or not rows:
        raise ValueError(f"rows should be row numbers of the walk-through, 1 to {len(EQUATION_PARTS)}, but got {rows}.")
    if axes is None:
        nrows = -(-len(rows) // ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.3 * nrows))
        fig.subplots_adjust(left=0.01, right=0.99, top=0.97, bottom=0.01, wspace=0.04, hspace=0.15)  # fixed: quick
    axes = np.ravel(axes)
    if len(axes) < len(rows):
        raise ValueError(f"axes should hold at least {len(rows)} Axes, one per row, but it holds {len(axes)}.")
    for ax, r in zip(axes, rows):
        drawing = draw_lstm_cell(ax=ax)
        for text in ax.texts:  # a small copy: smaller letters, so that "tanh" fits its box
            text.set_fontsize(0.8 * text.get_fontsize())
        highlight_parts(drawing, EQUATION_PARTS[r].parts)
        ax.set_title(f"{r}.  {EQUATION_PARTS[r].equation}", fontsize=10, loc="left")
    for ax in axes[len(rows) :]:
        ax.axis("off")
    return axes


def walkthrough_alt(rows=None) -> str:
    """A text alternative for plot_walkthrough(rows): each row's equation and the parts it picks out."""
    rows = list(EQUATION_PARTS) if rows is None else list(rows)
    described = [
        f"{r}. {EQUATION_PARTS[r].equation.replace('$', '')}: "
        + ", ".join(PART_NAMES[p] for p in EQUATION_PARTS[r].parts)
        for r in rows
    ]
    return (
        f"{len(rows)} small copies of the LSTM cell diagram, one per equation, each with the parts the "
        "equation touches drawn thick and the rest faded. " + "; ".join(described) + "."
    )
