"""What every explorer shares: controls, the numbers shown, and a figure drawn as a PNG.

An explorer keeps one matplotlib Figure (not tracked by pyplot) and, on every control
change, recomputes its numbers with plain lstmlearn functions, updates the figure's
artists in place and renders the figure to a PNG shown in an ipywidgets.Image. The
rendering is exactly what the inline backend would do for a figure (Agg + PNG), without
rebuilding axes, and it works the same in a notebook and headless in the tests.

Layouts reflow: controls take the width of their column (up to a maximum), grids make as
many columns as fit, rows of controls wrap, and figures shrink to the notebook's width.
"""

from __future__ import annotations

import base64
import html
import io
import math
import operator
import re

import ipywidgets as W
import numpy as np
import PIL.Image
import traitlets

from ..plots.style import readout_text
from .names import CONTROL_NAMES, aria_script

CONTROL_WIDTH = "360px"  # the widest a control grows; it shrinks with its column
SEED_MAX = 2**32 - 1  # seeds run 0 .. 2^32 - 1 (numpy accepts any integer >= 0; a browser's numbers stay exact)


class Explorer:
    """An interactive view: .controls (name -> widget), .values (name -> numbers shown),
    .widget (the layout to display), .figure (the matplotlib Figure), .readout (the numbers
    as the page shows them, HTML) and .picture (the figure as the page shows it, PNG bytes).
    Each control's tooltip, unless it was given one, says what it moves ("x_t, the input",
    names.CONTROL_NAMES), and the page names its handle so (names.ARIA_SCRIPT); each control
    has the DOM class lstmlearn-control-<its name in .controls>.

    compute(params) -> data     does the maths (plain lstmlearn functions): what draw needs
    numbers(data) -> values     the numbers shown (.values); by default data is the values
    draw(data) -> bool          updates the figure's artists; True if something static
                                changed too (e.g. axis limits), so all must be redrawn
    describe(values) -> str     the numbers as HTML
    alt                         what the figure shows, in words (default: the title); the
                                picture's text alternative (.alt) is this and the numbers
                                of the readout, renewed on every update

    `dynamic` lists the artists that change on every update. They are drawn on top of a
    saved picture of everything else (blitting), so an update redraws a few artists
    instead of the whole figure. Displaying the Explorer displays .widget, plus a static
    PNG of the figure for viewers without a kernel.
    """

    def __init__(
        self,
        controls: dict,
        compute,
        draw,
        describe,
        figure,
        dynamic=(),
        title: str = "",
        layout=None,
        numbers=None,
        alt: str = "",
    ):
        self.controls = dict(controls)
        self.title = title  # the heading shown above the controls
        self.figure = figure
        self.values = {}
        self._compute, self._draw, self._describe = compute, draw, describe
        self._numbers_of = numbers if numbers is not None else (lambda data: data)
        self._dynamic = list(dynamic)
        for artist in self._dynamic:
            artist.set_animated(True)  # left out of full draws; drawn over the saved background
        self._background = None
        self._alt = alt or title or "The explorer's figure"
        self._image = W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
        self._readout = W.HTML()
        header = [W.HTML(f"<b>{title}</b>")] if title else []
        controls_box = layout if layout is not None else W.VBox(list(self.controls.values()))
        self.widget = W.VBox(header + [controls_box, self._readout, self._image], layout=W.Layout(max_width="100%"))
        for name, control in self.controls.items():
            if control.tooltip is None:
                control.tooltip = CONTROL_NAMES.get(name, name)  # what it moves, in words
            control.add_class(f"lstmlearn-control-{name}")
            control.observe(self._on_change, names="value")
        self.update()

    @property
    def readout(self) -> str:
        """The numbers as the page shows them: the HTML under the controls."""
        return self._readout.value

    @property
    def alt(self) -> str:
        """The picture's text alternative: what it shows, then the numbers the readout shows."""
        numbers = html.unescape(re.sub(r"<[^>]+>", "", self._readout.value.replace("</span>", "; ")))
        numbers = " ".join(numbers.split()).strip("; ")
        what = self._alt if self._alt.endswith((".", "?", "!")) else f"{self._alt}."  # a title may ask a question
        return f"{what} {numbers}." if numbers else what

    @property
    def picture(self) -> bytes:
        """The figure as the page shows it: the PNG of the last update."""
        return bytes(self._image.value)

    def params(self) -> dict:
        """The controls' current values, name -> value."""
        return {name: c.value for name, c in self.controls.items()}

    def update(self) -> dict:
        """Recompute, redraw and re-render; returns the new .values."""
        data = self._compute(self.params())
        values = self._numbers_of(data)
        if self._draw(data):
            self._background = None
        self.values = values
        self._readout.value = self._describe(values)
        self._image.value = self.png()
        return self.values

    def png(self) -> bytes:
        """Render the figure with Agg and encode it as PNG (what the notebook shows)."""
        canvas = self.figure.canvas
        # a coordinate as tiny as a subnormal number (a bar 5e-324 long) underflows in
        # matplotlib's transforms: it lands on the same pixel as 0, which is right
        with np.errstate(under="ignore"):
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
        bundle["image/png"] = base64.b64encode(self.picture).decode("ascii")
        bundle["text/plain"] = self.alt  # what a viewer without images shows
        return bundle, {"image/png": {"alt": self.alt}}  # nbconvert writes it as the img's alt

    def _ipython_display_(self):
        """The widget (with its static PNG), then the script that names its controls in the page."""
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)
        display({"application/javascript": aria_script(), "text/plain": ""}, raw=True)

    def __repr__(self):
        return f"<{type(self).__name__} controls={list(self.controls)} values={list(self.values)}>"


class NumberSlider(W.FloatSlider):
    """A FloatSlider that refuses NaN with a TraitError naming the control.

    ipywidgets' own FloatSlider clamps a value to [min, max] but lets NaN through (every
    comparison with NaN is false), and the NaN would reach the maths. Infinities are
    clamped to the ends like any other value out of range.
    """

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if math.isnan(value):
            key = [
                c.removeprefix("lstmlearn-control-") for c in self._dom_classes if c.startswith("lstmlearn-control-")
            ]
            name = (f"controls[{key[0]!r}] " if key else "") + f"({self.tooltip or self.description})"
            raise traitlets.TraitError(
                f"{name}: NaN is not a value of this slider; give a number in [{self.min}, {self.max}]."
            )
        return super()._validate_value(proposal)


def _control_layout():
    return W.Layout(width="auto", min_width="240px", max_width=CONTROL_WIDTH)  # the column's width, within limits


def slider(description, value, lo, hi, step, continuous=True, readout_format=".2f"):
    """A NumberSlider with the course's look: symbol as description, live by default."""
    return NumberSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=continuous,
        readout_format=readout_format,
        style={"description_width": "60px"},
        layout=_control_layout(),
    )


def int_slider(description, value, lo, hi, continuous=True):
    """An IntSlider with the course's look: symbol as description, integers lo .. hi,
    live by default (pass continuous=False where an update redraws the axes)."""
    return W.IntSlider(
        value=value,
        min=lo,
        max=hi,
        description=description,
        continuous_update=continuous,
        style={"description_width": "60px"},
        layout=_control_layout(),
    )


def seed_control(value, description="seed"):
    """A box for a random seed: integers 0 .. SEED_MAX only (the control refuses a negative
    seed by clamping it to 0, in the browser and in Python). A value outside that range as
    the starting value is a ValueError."""
    try:
        number = operator.index(value)
    except TypeError:
        number = None
    if number is None or isinstance(value, bool) or not 0 <= number <= SEED_MAX:
        raise ValueError(f"seed must be an integer in 0 .. {SEED_MAX}, but it is {value!r}.")
    return W.BoundedIntText(
        value=number,
        min=0,
        max=SEED_MAX,
        description=description,
        style={"description_width": "60px"},
        layout=W.Layout(width="100%", max_width="200px"),
    )


def flow_row(children):
    """Controls side by side that wrap onto more lines when the notebook is narrow."""
    return W.HBox(list(children), layout=W.Layout(flex_flow="row wrap", align_items="center"))


GROUP_HEADING_WIDTH = "120px"  # the heading at the start of a row of controls
GROUP_CONTROL_MIN = "220px"  # the narrowest a control of a row gets before the row wraps


def group_row(heading: str, children):
    """A row of controls that belong together, its heading (HTML) first; on a narrow notebook
    the controls wrap under one another. The row has the DOM class lstmlearn-group, and the
    page makes it a group named by its heading (names.ARIA_SCRIPT)."""
    title = W.HTML(f"<b>{heading}</b>", layout=W.Layout(flex=f"0 0 {GROUP_HEADING_WIDTH}"))  # the rows line up
    for control in children:  # share the row's width (down to GROUP_CONTROL_MIN each) before wrapping
        control.layout.flex = "1 1 0px"
        control.layout.min_width = GROUP_CONTROL_MIN
    row = W.HBox([title, *children], layout=W.Layout(flex_flow="row wrap", align_items="center", width="100%"))
    row.add_class("lstmlearn-group")
    return row


def check_number(name, value, lo=-math.inf, hi=math.inf):
    """Raise ValueError unless `value` is a finite number in [lo, hi] (an explorer's input)."""
    try:
        ok = math.isfinite(float(value)) and lo <= float(value) <= hi
    except (TypeError, ValueError):
        ok = False
    if not ok:
        where = "a finite number" + ("" if (lo, hi) == (-math.inf, math.inf) else f" in [{lo:g}, {hi:g}]")
        raise ValueError(f"{name} must be {where}, but it is {value!r}.")


def fmt(v, digits=3, within=None):
    """A number for the HTML readout (lstmlearn.plots.style.readout_text, HTML-escaped):
    never a value it is not (a gate of 0.9998 is not 1.000); inf as the symbol, and the
    minus sign U+2212 that the sliders write (never an ASCII hyphen).
    within : the open range of a squashed value, (0, 1) for a sigmoid, (-1, 1) for tanh."""
    return html.escape(readout_text(v, digits, within=within))


def table(rows):
    """The readout: (label, value) pairs in a compact, monospaced style, wrapping onto more
    lines when the notebook is narrow."""
    cells = "".join(f"<span style='white-space:nowrap'>{k} = <code>{v}</code></span>" for k, v in rows)
    return f"<div style='display:flex;flex-wrap:wrap;column-gap:20px;padding:0 10px'>{cells}</div>"
