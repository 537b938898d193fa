"""What every explorer shares: controls, the numbers shown, and a figure drawn as a PNG.

An explorer keeps one matplotlib Figure (not tracked by pyplot) and, on every control
change, recomputes its numbers with plain lstmlearn functions, updates the figure's
artists in place and renders the figure to a PNG shown in an ipywidgets.Image. The
rendering is exactly what the inline backend would do for a figure (Agg + PNG), without
rebuilding axes, and it works the same in a notebook and headless in the tests.
"""

from __future__ import annotations

import base64
import io
import math

import ipywidgets as W
import PIL.Image


class Explorer:
    """An interactive view: .controls (name -> widget), .values (name -> numbers shown),
    .widget (the layout to display), .figure (the matplotlib Figure). Each control's tooltip
    is its name in .controls, unless it was given one.

    compute(params) -> values   does the maths (plain lstmlearn functions)
    draw(values) -> bool        updates the figure's artists; True if something static
                                changed too (e.g. axis limits), so all must be redrawn
    describe(values) -> str     the numbers as HTML

    `dynamic` lists the artists that change on every update. They are drawn on top of a
    saved picture of everything else (blitting), so an update redraws a few artists
    instead of the whole figure. Displaying the Explorer displays .widget, plus a static
    PNG of the figure for viewers without a kernel.
    """

    def __init__(self, controls: dict, compute, draw, describe, figure, dynamic=(), title: str = "",
                 layout=None):
        self.controls = dict(controls)
        self.figure = figure
        self.values = {}
        self._compute, self._draw, self._describe = compute, draw, describe
        self._dynamic = list(dynamic)
        for artist in self._dynamic:
            artist.set_animated(True)  # left out of full draws; drawn over the saved background
        self._background = None
        self._image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self._numbers = W.HTML()
        header = [W.HTML(f"<b>{title}</b>")] if title else []
        controls_box = layout if layout is not None else W.VBox(list(self.controls.values()))
        self.widget = W.VBox(header + [controls_box, self._numbers, self._image])
        for name, control in self.controls.items():
            if control.tooltip is None:
                control.tooltip = name  # hover a control to see its key in .controls
            control.observe(self._on_change, names="value")
        self.update()

    def params(self) -> dict:
        """The controls' current values, name -> value."""
        return {name: c.value for name, c in self.controls.items()}

    def update(self) -> dict:
        """Recompute, redraw and re-render; returns the new .values."""
        self.values = self._compute(self.params())
        if self._draw(self.values):
            self._background = None
        self._numbers.value = self._describe(self.values)
        self._image.value = self.png()
        return self.values

    def png(self) -> bytes:
        """Render the figure with Agg and encode it as PNG (what the notebook shows)."""
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # everything but the dynamic artists
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.figure.draw_artist(artist)
        buf = io.BytesIO()
        width, height = canvas.get_width_height(physical=True)
        rgba = PIL.Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        rgba.convert("RGB").save(buf, format="png", compress_level=1)  # fast, still small (~30 kB)
        return buf.getvalue()

    def _on_change(self, change):
        self.update()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["image/png"] = base64.b64encode(self._image.value).decode("ascii")
        return bundle

    def __repr__(self):
        return f"<{type(self).__name__} controls={list(self.controls)} values={list(self.values)}>"


def slider(description, value, lo, hi, step, continuous=True, readout_format=".2f"):
    """A FloatSlider with the course's look: symbol as description, live by default."""
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         continuous_update=continuous, readout_format=readout_format,
                         style={"description_width": "60px"}, layout=W.Layout(width="300px"))


def int_slider(description, value, lo, hi, continuous=True):
    return W.IntSlider(value=value, min=lo, max=hi, description=description, continuous_update=continuous,
                       style={"description_width": "60px"}, layout=W.Layout(width="300px"))


def fmt(v, digits=3):
    """A number for the HTML readout: never 'nan'; inf is written as the symbol."""
    if v is None:
        return "-"
    if math.isinf(v):
        return "&infin;" if v > 0 else "-&infin;"
    if v != 0 and (abs(v) >= 1e4 or abs(v) < 1e-3):
        return f"{v:.{digits - 1}e}"
    return f"{v:.{digits}f}"


def table(rows):
    """An HTML table of (label, value) rows in a compact, monospaced style."""
    cells = "".join(f"<td style='padding:0 10px'>{k} = <code>{v}</code></td>" for k, v in rows)
    return f"<table><tr>{cells}</tr></table>"
