"""Every explorer's picture shows what its `compute` returned: after each of several control
moves, every drawn artist (line data, bar widths, colours, image data, the numbers written into
a figure) is read back from the figure and compared with .values (or, for what .values does not
hold, with a computation from the controls). A second check makes the list complete: any artist
that changes as the controls move must be one of those compared, so a new artist without a
statement of what it shows fails here. (The explorers come from test_explorer_controls.EXPLORERS,
and the temperature explorer, which needs the shipped character model, from here.)"""

import math
import re
from pathlib import Path

import ipywidgets as W
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axis import Axis
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Text
from test_explorer_controls import EXPLORERS

import lstmlearn as ll
from lstmlearn.plots.style import DIVERGING, SEQUENTIAL, text_color_on

MOVES = 8  # control moves per explorer, each followed by the full comparison


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- reading a figure back -----------------------------------------------------------------


def reading(text):
    """The number a text in a figure shows and how far the true value may be from it (half a
    unit of its last digit): "0.731" -> (0.731, 5e-4), "+3e-04" -> (3e-4, 5e-5), "1−2e-06"
    (below 1 by 2e-6) -> (0.999998, 5e-7), "1−<6e-17" -> (1.0, 6e-17)."""
    s = text.strip().removeprefix("=").strip().replace("\u2212", "-")
    near_one = re.fullmatch(r"([+-]?)1\s*-\s*(<?)([0-9.e+-]+)", s)
    if near_one:
        sign, below, gap = near_one.groups()
        gap_value, gap_tol = reading(gap)
        side = -1.0 if sign == "-" else 1.0
        if below:  # below the bound by less than the float resolves
            return side * 1.0, float(gap)
        return side * (1.0 - gap_value), gap_tol
    if s.lstrip("+-") == "\u221e":
        return (-math.inf if s.startswith("-") else math.inf), 0.0
    mantissa, _, exponent = s.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return float(s), 0.5 * 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def shows(artist, value, what):
    """Assert that the Text `artist` reads as `value` (to the digits it shows)."""
    shown, tol = reading(artist.get_text())
    assert abs(shown - value) <= tol * (1 + 1e-9) + 1e-15, (
        f"{what}: the figure shows {artist.get_text()!r}, but it is {value!r}"
    )


def line_shows(line, x, y, what, floor=None):
    """Assert that `line` draws y against x (y raised to `floor` where a log axis needs it)."""
    y = np.asarray(y, dtype=float)
    y = y if floor is None else np.maximum(y, floor)
    x_drawn, y_drawn = np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)
    assert x_drawn.shape == np.shape(x), f"{what}: drawn {x_drawn.shape[0]} points, but there are {len(x)}"
    np.testing.assert_array_equal(x_drawn, x, err_msg=f"{what}: the steps drawn")
    np.testing.assert_allclose(y_drawn, y, rtol=1e-12, atol=0, err_msg=f"{what}: the values drawn")


def colour_shows(patch, value, signed, what):
    """Assert that a diagram box is filled with the colour of `value` on its scale."""
    cmap = mpl.colormaps[DIVERGING if signed else SEQUENTIAL]
    want = cmap(mpl.colors.Normalize(-1.0 if signed else 0.0, 1.0)(value))
    np.testing.assert_allclose(patch.get_facecolor(), want, atol=1e-12, err_msg=f"{what}: the box's colour")


def _artists(fig):
    """Everything drawn inside the figure's axes (axes of subfigures and insets too), and the
    figure's own texts, but not the axes' furniture (ticks, spines, the background patch)."""
    out = [t for f in fig.findobj(mpl.figure.FigureBase) for t in f.texts]  # suptitles, figure texts
    for ax in fig.findobj(mpl.axes.Axes):
        for a in ax.get_children():
            if isinstance(a, (Axis, Spine, mpl.legend.Legend)) or a is ax.patch:
                continue
            if isinstance(a, (Line2D, Patch, Text, AxesImage)):
                out.append(a)
    return out


def _look(a):
    """What an artist looks like: the state a control move could change."""
    if isinstance(a, Line2D):
        return (
            "line",
            a.get_visible(),
            np.asarray(a.get_xdata(), float).tobytes(),
            np.asarray(a.get_ydata(), float).tobytes(),
        )
    if isinstance(a, Text):
        return ("text", a.get_visible(), a.get_text(), tuple(map(float, a.get_position())), str(a.get_color()))
    if isinstance(a, AxesImage):
        return ("image", a.get_visible(), np.asarray(a.get_array()).tobytes())
    if isinstance(a, mpl.patches.Rectangle):
        return ("bar", a.get_visible(), a.get_x(), a.get_y(), a.get_width(), a.get_height(), a.get_facecolor())
    return ("patch", a.get_visible(), tuple(a.get_facecolor()))


# --- what each explorer's artists must show -----------------------------------------------------


def _lines_by_label(ax):
    return {line.get_label(): line for line in ax.lines}


def _vanishing(e, built):
    v, ax = e.values, e.figure.axes[0]
    lines = _lines_by_label(ax)
    rnn = next(line for label, line in lines.items() if "RNN" in label)
    lstm = next(line for label, line in lines.items() if "LSTM" in label)
    floor = ll.plots.gradflow.LOG_FLOOR
    line_shows(rnn, v["t"], v["rnn"], "the RNN curve", floor)
    line_shows(lstm, v["t"], v["lstm"], "the LSTM cell-path curve", floor)
    np.testing.assert_allclose(v["lstm"], e.controls["f"].value ** (v["t"][-1] - v["t"]), rtol=1e-12)
    assert ax.get_xlim() == (0, v["t"][-1])
    return [rnn, lstm]


def _cell_state(e, built):
    v, (ax_c, ax_g) = e.values, e.figure.axes[:2]
    line_c, line_d, line_g = ax_c.lines[0], ax_c.lines[1], ax_g.lines[0]
    line_shows(line_c, v["t"], v["c"], "c_t")
    line_shows(line_d, v["t"], v["decay"], "f^t c_0")
    line_shows(line_g, v["t"], v["grad"], "dc_T/dc_t", floor=1e-300)
    fixed, half = ax_c.lines[2], ax_c.lines[3]
    fp, hl, T = v["fixed_point"], v["half_life"], v["t"][-1]
    assert fixed.get_visible() == (fp is not None and abs(fp) < 1e6), "the fixed-point line's visibility"
    if fixed.get_visible():
        np.testing.assert_allclose(fixed.get_ydata(), [fp, fp], rtol=1e-12)
    (label,) = ax_c.texts
    assert half.get_visible() == label.get_visible() == (0 < hl <= T), "the half-life mark's visibility"
    if half.get_visible():
        np.testing.assert_allclose(half.get_xdata(), [hl, hl], rtol=1e-12)
        assert label.get_position()[0] == hl
        number = re.search(r"half-life ([0-9.]+) steps", label.get_text()).group(1)
        assert abs(float(number) - hl) <= 0.05 + 1e-12, f"the half-life label says {number}, but it is {hl}"
    return [line_c, line_d, line_g, fixed, half, label]


def _diagram(cell, s, what):
    """The cell diagram's boxes, colours and numbers for the one-unit values s."""
    art, drawn = cell.artists, []
    for k in ("i", "f", "g", "o", "tanh_c"):
        box, symbol, value = art[k]
        signed = k in ("g", "tanh_c")
        colour_shows(box, s[k], signed, f"{what}: the {k} box")
        shows(value, s[k], f"{what}: the number beside {k}")
        if symbol is not None:
            assert symbol.get_color() == text_color_on(box.get_facecolor()), f"{what}: {k}'s symbol is unreadable"
        drawn += [a for a in (box, symbol, value) if a is not None]
    for k in ("c_prev", "c", "h_prev", "h", "fc", "ig"):
        shows(art[k], s[k], f"{what}: the number at {k}")
        drawn.append(art[k])
    if s["x"] is None:
        assert art["x"].get_text() == ""
    else:
        shows(art["x"], s["x"], f"{what}: the number at x")
    return drawn + [art["x"]]


def _gate(e, built):
    v, p = e.values, e.params()
    # what .values holds, and what follows from it and the controls (independent of the diagram code)
    s = dict(v, x=p["x"], h_prev=p["h_prev"], c_prev=p["c_prev"], tanh_c=math.tanh(v["c"]))
    s |= {"fc": v["f"] * p["c_prev"], "ig": v["i"] * v["g"]}
    assert math.isclose(v["c"], s["fc"] + s["ig"], rel_tol=1e-12, abs_tol=1e-15)
    ax_bars = e.figure.axes[0]
    bars = [b for b in ax_bars.patches if b.get_facecolor() != mpl.colors.to_rgba("0.92")]
    names = [t.get_text().strip("$")[0] for t in ax_bars.get_yticklabels()]  # bottom to top
    for bar in bars:
        k = names[round(bar.get_y() + bar.get_height() / 2)]
        assert bar.get_width() == v[k], f"the {k} bar is {bar.get_width()} long, but {k} = {v[k]}"
    assert sorted(names) == sorted("ifgo") and len(bars) == 4
    return bars + _diagram(built["drawing"], s, "gate explorer")


def _stepper(e, built):
    v = e.values
    trace, example = built["trace"]
    t, unit = e.controls["t"].value, e.controls["unit"].value
    assert (v["t"], v["unit"]) == (t, unit)
    for k in ("i", "f", "g", "o", "c", "h"):
        assert v[k] == getattr(trace, k)[t - 1, example, unit], f"stepper .values[{k!r}]"
    at = {k: float(getattr(trace, k)[t - 1, example, unit]) for k in ("h_prev", "c_prev", "i", "f", "g", "o", "c")}
    s = at | {
        "x": None,
        "tanh_c": math.tanh(at["c"]),
        "h": v["h"],
        "fc": at["f"] * at["c_prev"],
        "ig": at["i"] * at["g"],
    }
    assert math.isclose(v["h"], at["o"] * math.tanh(at["c"]), rel_tol=1e-12, abs_tol=1e-15)
    drawn = _diagram(built["drawing"], s, f"stepper at t = {t}")
    title = next(a.title for a in e.figure.findobj(mpl.axes.Axes) if a.title.get_text().startswith("step t"))
    assert title.get_text() == f"step t = {t} of {trace.h.shape[0]}, unit {unit}"
    drawn.append(title)
    panels = [a for a in e.figure.findobj(mpl.axes.Axes) if a.images]
    for ax in panels:
        k = ax._left_title.get_text().split("$")[1][0]  # "$f_t$  forget gate"
        np.testing.assert_array_equal(ax.images[0].get_array(), getattr(trace, k)[:, example, :].T)
        cursor, marker = ax.lines
        assert list(cursor.get_xdata()) == [t, t] and cursor.get_visible(), f"the cursor of the {k} panel"
        assert list(marker.get_ydata()) == [unit], f"the unit marker of the {k} panel"
        drawn += [cursor, marker]
    assert len(panels) == 6
    return drawn


def _rnn_memory(e, built):
    v, ax = e.values, e.figure.axes[0]
    line_shows(ax.lines[0], v["t"], v["gap"], "||h_t - h'_t||", floor=1e-40)
    return [ax.lines[0]]


def _gradient_flow(e, built):
    v, ax = e.values, e.figure.axes[0]
    lines = ax.lines[:3]
    for line, key in zip(lines, ("rnn_h", "lstm_h", "lstm_c")):
        line_shows(line, v["t"], v[key], key, floor=1e-40)
    return lines


def _forget_bias(e, built):
    v, ax = e.values, e.figure.axes[0]
    curves = [line for line in ax.lines if line.get_label().startswith("seed")]
    for k, line in enumerate(curves):
        x, y = v["curves"][k] if k < len(v["curves"]) else ([], [])
        line_shows(line, x, y, f"seed {k}'s curve")
    f0 = re.search(r"starts at (.*)$", ax.title.get_text()).group(1)
    assert f0 == ll.plots.style.number_text(v["f0"], within=(0, 1)), f"the title's f0 {f0}"
    assert math.isclose(v["f0"], 1 / (1 + math.exp(-e.controls["forget_bias"].value)), rel_tol=1e-12)
    shows(Text(text=f0), v["f0"], "the title's f0")
    return curves + [ax.title]


def _linear_recurrence(e, built):
    v = e.values
    lines_s, lines_g = (_lines_by_label(ax) for ax in e.figure.axes[:2])
    for label, key in (("LSTM $c_t$", "lstm_c"), ("LSTM $h_t$", "lstm_h"), ("minLSTM $h_t$", "min_h")):
        line_shows(lines_s[label], v["t"], v[key], key)
    lstm = next(line for label, line in lines_g.items() if label.startswith("LSTM"))
    minimal = next(line for label, line in lines_g.items() if label.startswith("minLSTM"))
    floor = ll.plots.gradflow.LOG_FLOOR
    line_shows(lstm, v["t"], v["lstm_grad"], "the LSTM's gradient", floor)
    line_shows(minimal, v["t"], v["min_grad"], "the minLSTM's gradient", floor)
    # the minLSTM's gradient along its state is the product of its later decays f'_{t+1} .. f'_T
    with np.errstate(under="ignore"):
        product = np.append(np.cumprod(v["min_f"][:0:-1])[::-1], 1.0)
    np.testing.assert_allclose(v["min_grad"], product, rtol=1e-10, atol=1e-300)
    assert v["t"][-1] == e.controls["T"].value
    return list(lines_s.values()) + [lstm, minimal]


def _temperature(e, built):
    v, ax = e.values, e.figure.axes[0]
    bars = list(ax.patches)
    assert len(bars) == len(v["top"]) == ll.widgets.temperature.TOP
    p = v["p"]
    for k, (bar, (ch, prob)) in enumerate(zip(bars, v["top"])):
        assert bar.get_height() == prob == p[built["vocab"].chars.index(ch)], f"bar {k} ({ch!r})"
        assert k == 0 or prob <= v["top"][k - 1][1], "the bars are the most likely characters, in order"
    assert sum(prob for _, prob in v["top"]) <= 1 + 1e-12 and np.sort(p)[::-1][len(bars)] <= v["top"][-1][1]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [{"\n": "\u23ce", " ": "\u2423"}.get(ch, ch) for ch, _ in v["top"]], "the bars' labels"
    return bars


def _temperature_explorer():
    root = Path(__file__).resolve().parents[1]
    params, model, meta = ll.load_model(root / "data" / "models" / "char_lstm.npz")
    params = {k: a.astype(np.float64) for k, a in params.items()}
    vocab = ll.tasks.Vocab(str(meta["chars"]))
    return ll.widgets.temperature_explorer(params, model, vocab, prime="The ", n=20), {"vocab": vocab}


ALSO = {
    "temperature_explorer": _temperature_explorer
}  # built here, not by test_explorer_controls: which -> (explorer, built)


def _kv_memory(e, built):
    v, (ax_v, ax_e) = e.values, e.figure.axes[:2]
    line_v, line_h = ax_v.lines[:2]
    line_e, line_t, line_d, now = ax_e.lines[:4]
    P, d, j = v["P"], v["d"], v["j"]
    assert (P, d) == (e.controls["P"].value, e.controls["d"].value) and j == min(e.controls["j"].value, P)
    line_shows(line_v, np.arange(1, d + 1), v["v_j"], "v_j")
    line_shows(line_h, np.arange(1, d + 1), v["h"], "C k_j")
    # what the lines show, from kv_memory itself: the read is C k_j of the stored pairs
    rng = np.random.default_rng([0, P, d])
    K = ll.widgets.kv_memory._keys(rng, P, d, "orthogonal" if v["orthogonal"] else "random")
    V = ll.kv_memory.random_unit_vectors(rng, P, d)
    np.testing.assert_allclose(v["v_j"], V[j - 1], rtol=1e-12)
    np.testing.assert_allclose(v["h"], sum(V[p] * (K[p] @ K[j - 1]) for p in range(P)), rtol=1e-10, atol=1e-12)
    assert v["error_j"] == pytest.approx(np.linalg.norm(v["h"] - v["v_j"]), rel=1e-12)
    line_shows(line_e, v["curve_P"], v["curve_error"], "the mean error against P")
    line_shows(line_t, v["curve_P"], np.sqrt((v["curve_P"] - 1) / d), "sqrt((P - 1) / d)")
    np.testing.assert_array_equal(line_d.get_xdata(), [d, d])
    np.testing.assert_array_equal(now.get_xdata(), [P])
    np.testing.assert_allclose(now.get_ydata(), [v["curve_error"][P - 1]], rtol=1e-12)
    return [line_v, line_h, line_e, line_t, line_d, now]


CHECKS = {  # the names of lstmlearn.widgets.EXPLORERS
    "gate_explorer": _gate,
    "cell_state_explorer": _cell_state,
    "vanishing_gradient_explorer": _vanishing,
    "rnn_memory_explorer": _rnn_memory,
    "gradient_flow_explorer": _gradient_flow,
    "sequence_stepper": _stepper,
    "forget_bias_explorer": _forget_bias,
    "temperature_explorer": _temperature,
    "linear_recurrence_explorer": _linear_recurrence,
    "kv_memory_explorer": _kv_memory,
}


def _build(which, monkeypatch):
    """The explorer, and what it was built with: the cell diagram it drew (gate explorer and
    stepper) and the stepper's (trace, example)."""
    drawings, traces = [], []
    real_draw = ll.plots.diagram.draw_lstm_cell

    def recording_draw(*args, **kwargs):
        drawings.append(real_draw(*args, **kwargs))
        return drawings[-1]

    real_stepper = ll.widgets.stepper.sequence_stepper

    def recording_stepper(trace, unit=0, example=0, **kwargs):
        traces.append((trace, example))
        return real_stepper(trace, unit=unit, example=example, **kwargs)

    for module in (ll.widgets.gate, ll.widgets.stepper):
        monkeypatch.setattr(module, "draw_lstm_cell", recording_draw)
    monkeypatch.setattr(ll.widgets, "sequence_stepper", recording_stepper)
    if which in ALSO:
        return ALSO[which]()
    e = EXPLORERS[which]()
    return e, {"drawing": drawings[-1] if drawings else None, "trace": traces[-1] if traces else None}


def _moves(e, rng):
    """MOVES settings a learner could choose: each a control and a value inside its range."""
    for _ in range(MOVES):
        name = list(e.controls)[rng.integers(len(e.controls))]
        c = e.controls[name]
        if isinstance(c, W.FloatSlider):
            value = float(np.round(rng.uniform(c.min, c.max) / c.step) * c.step)
        elif isinstance(c, W.IntSlider):
            value = int(rng.integers(c.min, c.max + 1))
        elif isinstance(c, W.BoundedIntText):  # a seed
            value = int(rng.integers(0, 1000))
        elif isinstance(c, W.Text):  # a prime: known characters, an unknown one, nothing usable
            value = ["The ", "and the", "caf\u00e9 ", "\u00e9"][rng.integers(4)]
        else:
            value = c.options[rng.integers(len(c.options))]
        yield name, value


def test_every_explorer_is_checked():
    assert set(CHECKS) == set(ll.widgets.EXPLORERS) == set(EXPLORERS) | set(ALSO), (
        "add a check of what the new explorer's picture shows"
    )


@pytest.mark.parametrize("which", list(EXPLORERS) + list(ALSO))
def test_the_picture_shows_the_values_after_each_move(which, monkeypatch):
    e, built = _build(which, monkeypatch)
    rng = np.random.default_rng(sum(map(ord, which)) + 22)
    before = {id(a): _look(a) for a in _artists(e.figure)}
    checked = {id(a) for a in CHECKS[which](e, built)}
    changed = set()
    for name, value in _moves(e, rng):
        e.controls[name].value = value
        assert e.picture.startswith(b"\x89PNG")
        checked |= {id(a) for a in CHECKS[which](e, built)}
        now = {id(a): _look(a) for a in _artists(e.figure)}
        changed |= {k for k in now if k not in before or not _same_look(now[k], before[k])}
        before = now
    unchecked = [_name(a) for a in _artists(e.figure) if id(a) in changed - checked]
    assert not unchecked, (
        f"{which}: these artists change with the controls, but no check says what they show: {unchecked}"
    )
    assert changed, f"{which}: nothing in the picture moved in {MOVES} control moves"


def _name(a):
    """An artist as a failure message names it."""
    if isinstance(a, Text):
        return f"the text {a.get_text()!r}"
    return f"a {type(a).__name__} labelled {a.get_label()!r} in the axes titled {a.axes.get_title()!r}"


def _same_look(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y for x, y in zip(a, b))


def test_reading_numbers_back():
    assert reading("0.731") == (0.731, pytest.approx(5e-4))
    assert reading(" = +0.52")[0] == 0.52
    assert reading("+3e-04") == (3e-4, pytest.approx(5e-5))
    assert reading("1\u22122e-06") == (pytest.approx(0.999998), pytest.approx(5e-7))
    assert reading("-1\u22122e-06")[0] == pytest.approx(-0.999998)
    assert reading("1\u2212<6e-17") == (1.0, 6e-17)
    assert reading("+1.2e+02") == (120.0, pytest.approx(5.0))
