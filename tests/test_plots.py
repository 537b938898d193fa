"""Every figure function on real traces: right artists, labels and data; never plt.show()."""

import ast
import inspect
import math
import pkgutil
import re
import subprocess
import sys
import types
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn import plots
from helpers import lstm_problem, rnn_problem


@pytest.fixture(autouse=True)
def close_figures(monkeypatch):
    def no_show(*args, **kwargs):
        raise AssertionError("figure functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    yield
    plt.close("all")


@pytest.fixture
def trace():
    p, X, h0, c0, _ = lstm_problem(T=12, B=2, D=3, H=5, seed=4)
    return ll.lstm_forward(X, p, h0, c0)[1]


def test_import_lstmlearn_does_not_import_matplotlib_or_ipywidgets():
    code = (
        "import sys, lstmlearn as ll; assert 'matplotlib' not in sys.modules; "
        "assert 'ipywidgets' not in sys.modules; ll.plots.draw_lstm_cell; "
        "assert 'matplotlib' in sys.modules; ll.widgets.gate_explorer; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"MPLBACKEND": "Agg", "PYTHONPATH": str(__import__("pathlib").Path(ll.__file__).parents[1])},
    )
    assert out.stdout.strip() == "ok", out.stderr
    with pytest.raises(AttributeError, match="no attribute 'plotz'"):
        ll.plotz


def test_cell_diagram_without_a_step_shows_symbols_only():
    drawing = plots.draw_lstm_cell()
    ax, art = drawing.ax, drawing.artists
    assert all(art[k][2].get_text() == "" for k in ("i", "f", "g", "o"))
    labels = {t.get_text() for t in ax.texts}
    assert {"$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$h_t$", "$c_t$", "$f_t$", "$i_t$", "$g_t$", "$o_t$"} <= labels
    assert not ax.axison


def test_cell_diagram_with_a_step_shows_that_units_values(trace):
    t, b, u = 7, 1, 3
    step = ll.LSTMStep(*(a[t] for a in trace))
    fig, ax = plt.subplots()
    drawing = plots.draw_lstm_cell(step, unit=u, example=b, ax=ax)
    assert drawing.ax is ax
    art = drawing.artists
    for k in ("i", "f", "o"):
        assert art[k][2].get_text() == f"{trace[ll.LSTMStep._fields.index(k)][t, b, u]:.3f}"
    assert art["g"][2].get_text() == f"{trace.g[t, b, u]:+.2f}".replace("-", plots.style.MINUS)
    assert art["c"].get_text() == f"{trace.c[t, b, u]:+.2f}".replace("-", plots.style.MINUS)
    assert art["c_prev"].get_text() == f"{trace.c[t - 1, b, u]:+.2f}".replace(
        "-", plots.style.MINUS
    )  # c_{t-1} is the previous step's c
    assert art["h"].get_text() == f"{trace.h[t, b, u]:+.2f}".replace("-", plots.style.MINUS)
    assert art["x"].get_text() == ""  # D = 3: no single x value to show
    # the forget box is coloured by its value on viridis' 0..1 scale
    np.testing.assert_allclose(art["f"][0].get_facecolor(), plt.get_cmap("viridis")(trace.f[t, b, u]))


def test_cell_values_picks_unit_and_example(trace):
    step = ll.LSTMStep(*(a[2] for a in trace))
    v = plots.cell_values(step, unit=4, example=1)
    assert v["f"] == trace.f[2, 1, 4] and v["h_prev"] == trace.h[1, 1, 4]
    assert v["fc"] == pytest.approx(trace.f[2, 1, 4] * trace.c[1, 1, 4])
    with pytest.raises(IndexError, match="unit=9"):
        plots.cell_values(step, unit=9)


def test_the_diagrams_numbers_write_the_minus_sign_as_the_readouts_do():
    """Every number the cell diagram writes uses U+2212, as readouts and sliders do, never "-"."""
    rng = np.random.default_rng(5)
    p = ll.init_lstm(1, 1, rng)
    shown = []
    for x, h, c in ((-2.5, -0.9, -3.0), (-1e-4, -0.2, -150.0), (-40.0, 0.5, -1e-5)):
        step = ll.lstm_step(np.array([[x]]), np.array([[h]]), np.array([[c]]), p)
        drawing = plots.draw_lstm_cell(step)
        texts = [t.get_text() for t in drawing.ax.texts]
        shown += [t for t in texts if "\u2212" in t]
        assert not [t for t in texts if "$" not in t and re.search(r"-\d|-<", t)], texts  # symbols aside
        plt.close(drawing.ax.figure)
    assert len(shown) >= 6, shown  # negative values were drawn, with the minus sign


def test_update_lstm_cell_needs_a_drawing():
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="draw_lstm_cell"):
        plots.update_lstm_cell(ax, None)


def test_drawings_are_returned_not_hidden_on_matplotlib_objects(trace):
    """What a drawing function drew comes back to the caller; nothing rides on the Axes or Figure."""
    step = ll.LSTMStep(*(a[3] for a in trace))
    drawing = plots.draw_lstm_cell(step, unit=1)
    assert "lstm_cell_artists" not in vars(drawing.ax)
    assert set(drawing.dynamic) <= set(drawing.ax.get_children())  # the artists an update changes
    later = ll.LSTMStep(*(a[8] for a in trace))
    assert plots.update_lstm_cell(drawing, later, unit=1) is drawing
    assert drawing.artists["f"][2].get_text() == plots.style.number_text(trace.f[8, 0, 1], within=(0, 1))
    maps = plots.plot_trace_heatmaps(trace, quantities=("f", "c"), t=2)
    assert "heatmap_cursors" not in vars(maps.figure)
    assert len(maps.axes) == len(maps.images) == len(maps.cursors) == 2
    assert plots.set_heatmap_cursor(maps, 7) is maps
    assert [c.get_xdata()[0] for c in maps.cursors] == [7, 7]


@pytest.mark.parametrize("name, lo, hi", [("sigmoid", 0, 1), ("tanh", -1, 1)])
def test_activation_curve_with_operating_point(name, lo, hi):
    z = 1.3
    ax = plots.plot_activation(name, z=z)
    curve = ax.lines[0]
    (point,) = [line for line in ax.lines if line.get_marker() == "o"]
    zz = curve.get_xdata()
    expected = 1 / (1 + np.exp(-zz)) if name == "sigmoid" else np.tanh(zz)
    np.testing.assert_allclose(curve.get_ydata(), expected)
    value = 1 / (1 + np.exp(-z)) if name == "sigmoid" else np.tanh(z)
    np.testing.assert_allclose(point.get_xydata(), [[z, value]])
    assert ax.get_xlabel().startswith("$z$") and ax.get_title() == f"{name}: range ({lo}, {hi})"
    assert any(f"({z:.2f}, {value:.3f})" == t.get_text() for t in ax.texts)
    assert len(plots.plot_activation(name).lines) == len(ax.lines) - 2  # no point, no guide
    with pytest.raises(ValueError, match="name must be"):
        plots.plot_activation("relu")


def test_trace_heatmaps_one_panel_per_quantity_with_cursor(trace):
    maps = plots.plot_trace_heatmaps(trace, quantities=("f", "c", "h"), example=1, t=5)
    fig = maps.figure
    panels = [ax for ax in fig.axes if ax.images and ax.get_ylabel() == "unit"]
    assert panels == list(maps.axes)
    assert len(panels) == 3
    for ax, k in zip(panels, ("f", "c", "h")):
        np.testing.assert_array_equal(ax.images[0].get_array(), getattr(trace, k)[:, 1, :].T)
        assert ax.get_title(loc="left").startswith(f"${k}_t$")
    assert panels[0].images[0].get_clim() == (0.0, 1.0)
    m = np.abs(trace.c[:, 1]).max()
    assert panels[1].images[0].get_clim() == pytest.approx((-m, m))
    assert panels[0].images[0].get_cmap().name == "viridis" and panels[1].images[0].get_cmap().name == "PuOr"
    assert [c.get_xdata()[0] for c in maps.cursors] == [5, 5, 5]
    plots.set_heatmap_cursor(maps, 9)
    assert all(c.get_xdata()[0] == 9 and c.get_visible() for c in maps.cursors)
    plots.set_heatmap_cursor(maps, None)
    assert not any(c.get_visible() for c in maps.cursors)
    assert panels[-1].get_xlabel() == "step $t$"
    with pytest.raises(ValueError, match="quantities"):
        plots.plot_trace_heatmaps(trace, quantities=("q",))


def test_gradient_flow_plot_rnn_and_lstm():
    T = 20
    p, X, h0, c0, W = lstm_problem(T, 2, 3, 4, seed=1)
    _, lt = ll.lstm_forward(X, p, h0, c0)
    lg = ll.lstm_backward(W, lt, p)
    pr, Xr, hr, Wr = rnn_problem(T, 2, 3, 4, seed=1)
    _, rt = ll.rnn_forward(Xr, pr, hr)
    rg = ll.rnn_backward(Wr, rt, pr)
    ax = plots.plot_gradient_flow(rg, lg)
    assert ax.get_yscale() == "log" and len(ax.lines) == 3
    rnn_line, lstm_h, lstm_c = ax.lines
    np.testing.assert_allclose(rnn_line.get_ydata(), np.linalg.norm(rg.dh.reshape(T, -1), axis=1))
    np.testing.assert_allclose(lstm_c.get_ydata(), np.linalg.norm(lg.dc.reshape(T, -1), axis=1))
    np.testing.assert_array_equal(lstm_h.get_xdata(), np.arange(1, T + 1))
    assert "RNN" in rnn_line.get_label() and "c_t" in lstm_c.get_label()
    assert ax.get_xlabel() == "step $t$"
    with pytest.raises(ValueError, match="Pass rnn_grads"):
        plots.plot_gradient_flow()


def test_gradient_norms_plot_labels_regimes_and_floors_zeros():
    ax = plots.plot_gradient_norms({"RNN": np.array([0.0, 1e-3, 1.0]), "LSTM": np.ones(3)})
    assert ax.get_yscale() == "log"
    assert np.all(ax.lines[0].get_ydata() > 0)  # an exact 0 is drawn at a floor, not dropped
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "vanishing" in texts and "exploding" in texts


def test_gradient_norms_several_curves_of_one_kind_get_distinct_colours_and_fitted_limits():
    curves = {f"RNN, rho = {r}": r ** np.arange(10.0) for r in (0.5, 0.9, 1.5)}
    ax = plots.plot_gradient_norms(curves, t=np.arange(10))
    colours = {line.get_color() for line in ax.lines[:3]}
    assert len(colours) == 3
    low, high = ax.get_ylim()
    assert low <= 0.5**9 and high >= 1.5**9 and low > 1e-6 and high < 1e3


def test_gradient_norms_curves_of_one_kind_never_look_like_the_rnn_curve():
    curves = {
        "LSTM c_t, b_f = 5": np.ones(5),
        "LSTM c_t, b_f = 0": 0.5 ** np.arange(5.0),
        "RNN h_t": 0.3 ** np.arange(5.0),
    }
    ax = plots.plot_gradient_norms(curves)
    lstm_5, lstm_0, rnn = (line.get_color() for line in ax.lines[:3])
    assert rnn == "#D55E00" and len({lstm_5, lstm_0, rnn}) == 3
    assert not {lstm_5, lstm_0} & {"#D55E00", "#E69F00"}  # neither vermillion nor the orange beside it


def _history(n=50):
    rng = np.random.default_rng(0)
    return types.SimpleNamespace(
        step=np.arange(n),
        loss=np.exp(-np.arange(n) / 20) * 0.1 + 0.01,
        grad_norm=rng.random(n) + 0.1,
        time=np.linspace(0, 2.0, n),
        eval_step=[0, 25, 49],
        score=[0.1, 0.5, 0.8],
        score_name="accuracy",
        baseline={"loss": 1 / 24, "score": 0.154},
    )


def test_history_plot_draws_loss_grad_norm_score_and_chance_lines():
    h = _history()
    fig = plots.plot_history(h)
    loss_ax, grad_ax, score_ax = fig.axes
    np.testing.assert_array_equal(loss_ax.lines[0].get_ydata(), h.loss)
    np.testing.assert_array_equal(grad_ax.lines[0].get_ydata(), h.grad_norm)
    np.testing.assert_array_equal(score_ax.lines[0].get_ydata(), h.score)
    chance_loss, chance_score = loss_ax.lines[1], score_ax.lines[1]
    assert chance_loss.get_linestyle() == "--" and chance_loss.get_ydata()[0] == pytest.approx(1 / 24)
    assert "chance" in chance_loss.get_label() and "chance" in chance_score.get_label()
    assert chance_score.get_ydata()[0] == 0.154
    assert score_ax.get_title() == "accuracy" and grad_ax.get_yscale() == "log"
    labels = [t.get_text() for t in loss_ax.get_legend().get_texts()]
    assert labels == ["training loss", "chance (0.0417)"]


def test_history_plot_without_baseline_and_into_given_axes():
    h = _history()
    h.baseline = {}
    fig, axes = plt.subplots(1, 3)
    assert plots.plot_history(h, ax=axes) is fig
    assert len(axes[0].lines) == 1 and len(axes[2].lines) == 1
    del h.score_name
    with pytest.raises(TypeError, match="score_name"):
        plots.plot_history(h)


def test_history_plot_needs_three_axes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="three Axes"):
        plots.plot_history(_history(), ax=ax)


# --- numbers as the figures and explorers write them ------------------------------------------


@pytest.mark.parametrize(
    "v, kwargs, text",
    [
        (0.5, {}, "0.500"),
        (0.99982, {"within": (0, 1)}, "0.9998"),  # sigma(8.5): not 1.000
        (0.99996, {"within": (0, 1)}, "0.99996"),
        (0.9999999, {"within": (0, 1)}, "1 - 1.0e-07"),  # still below 1 with six decimals: its distance
        (-0.99996, {"within": (-1, 1)}, "-0.99996"),
        (-0.9999999, {"within": (-1, 1)}, "-1 + 1.0e-07"),
        (0.49999999, {"within": (0, 1)}, "0.500"),  # not a bound: rounded as usual
        (0.99982, {}, "1.000"),  # a number with no bounds is rounded as usual
        (4.000000000000001, {}, "4.000"),  # 0.4 / (1 - 0.9): float noise stays out of sight
        (1.0, {}, "1.000"),
        (-2.0, {}, "-2.000"),
        (0.0, {}, "0.000"),
        (4e-4, {}, "4.00e-04"),
        (-3e-7, {}, "-3.00e-07"),
        (12345.6, {}, "1.23e+04"),
        (0.996, {"digits": 2, "sign": True, "within": (-1, 1)}, "+0.996"),
        (-0.5, {"digits": 2, "sign": True}, "-0.50"),
        (0.25, {"digits": 2, "sign": True}, "+0.25"),
        (1.0, {"within": (0, 1)}, "1 - <6e-17"),  # sigma(40) rounds to 1.0 in float64; the gate is below 1
        (np.float32(1.0), {"within": (0, 1)}, "1 - <3e-08"),
        (-1.0, {"within": (-1, 1)}, "-1 + <6e-17"),
        (0.0, {"within": (0, 1)}, "0 + <3e-324"),
        (0.3, {"within": (0, 1)}, "0.300"),
        (math.inf, {}, "\u221e"),
        (-math.inf, {}, "-\u221e"),
        (None, {}, "-"),
    ],
)
def test_number_text_never_reads_as_a_value_it_is_not(v, kwargs, text):
    assert plots.style.number_text(v, **kwargs) == text


@pytest.mark.parametrize(
    "v, kwargs, text",
    [
        (-0.7625, {}, "\u22120.762"),
        (-1e-7, {}, "\u22121.00e\u221207"),
        (1.0, {"within": (0, 1)}, "1 \u2212 <6e-17".replace("e-", "e\u2212")),
        (-math.inf, {}, "\u2212\u221e"),
        (0.25, {"sign": True}, "+0.250"),
    ],
)
def test_readout_text_is_number_text_with_the_minus_sign(v, kwargs, text):
    assert plots.style.readout_text(v, **kwargs) == text
    assert "-" not in text


def test_number_text_refuses_nan_and_values_outside_their_range():
    with pytest.raises(ValueError, match="NaN"):
        plots.style.number_text(float("nan"))
    with pytest.raises(ValueError, match="within"):
        plots.style.number_text(1.5, within=(0, 1))


def test_nice_ceiling_is_the_next_1_2_5_step_at_every_scale():
    rng = np.random.default_rng(0)
    edges = [1.0, 2.0, 5.0, 10.0, 0.1, 1e-300, 1e300, np.nextafter(1000.0, 2000.0), 999.9999999999999]
    values = np.concatenate([10.0 ** rng.uniform(-300, 300, 2000), edges])
    for v in values:
        c = plots.style.nice_ceiling(v)
        assert c >= v
        mantissa = c / 10.0 ** math.floor(math.log10(c) + 1e-9)
        assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-9, (v, c)
        assert c / v <= 2.5 * (1 + 1e-12)  # never more than one 1-2-5 step above v
    for bad in (float("nan"), float("inf"), 0.0, -1.0):
        with pytest.raises(ValueError, match="positive"):
            plots.style.nice_ceiling(bad)
    assert plots.style.nice_ceiling(23.7, steps=(1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)) == 25.0


def test_activation_point_near_a_bound_does_not_read_as_the_bound():
    ax = plots.plot_activation("tanh", z=6.0)  # tanh(6) = 0.99998771
    (label,) = [t.get_text() for t in ax.texts if t.get_text().startswith("(")]
    assert label == "(6.00, 0.99999)"


# --- the house rules of plots/ and widgets/ ---------------------------------------------------


def _modules(package):
    path = Path(package.__file__).parent
    return [(f"{package.__name__}.{m.name}", path / f"{m.name}.py") for m in pkgutil.iter_modules([str(path)])]


def test_plots_and_widgets_use_no_private_name_of_another_module():
    """No `from x import _name` and no private module from elsewhere. Allowed: widgets/_base.py
    inside the widgets package (its shared base) and lstmlearn/_checks.py (the package's checks)."""
    import lstmlearn.widgets

    allowed = {("lstmlearn.widgets", "_base"), ("lstmlearn", "_checks")}
    borrowed = []
    for package in (plots, lstmlearn.widgets):
        for name, path in _modules(package):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.ImportFrom):
                    base = name.rsplit(".", node.level)[0] if node.level else ""
                    module = ".".join(p for p in (base, node.module) if p)
                    parent, _, last = module.rpartition(".")
                    if last.startswith("_") and not last.startswith("__") and (parent, last) not in allowed:
                        names.append(module)
                    names += [f"{module}.{a.name}" for a in node.names if a.name.startswith("_")]
                elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.endswith("_"):
                    own = (
                        isinstance(node.value, ast.Name)
                        and node.value.id in ("self", "cls")
                        or (isinstance(node.value, ast.Call) and ast.unparse(node.value.func) == "super")
                    )
                    if not own:  # _repr_mimebundle_ and dunders end with "_": protocols, not private names
                        names.append(ast.unparse(node))
                borrowed += [f"{name} uses {n}" for n in names]
    assert borrowed == []


def test_every_public_name_in_plots_and_widgets_has_a_docstring():
    import importlib

    import lstmlearn.widgets

    missing = []
    for package in (plots, lstmlearn.widgets):
        for name, _ in _modules(package):
            module = importlib.import_module(name)
            for attr, obj in vars(module).items():
                if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                    continue
                if (inspect.isfunction(obj) or inspect.isclass(obj)) and not inspect.getdoc(obj):
                    missing.append(f"{name}.{attr}")
    assert missing == []


@pytest.mark.parametrize(
    "labels",
    [
        [f"RNN, rho = {r}" for r in (0.5, 0.9, 1.2, 2.0)],
        ["LSTM cell path $c_T$, b_f = 5", "LSTM cell path $c_T$, b_f = 0", "RNN path"],
        ["LSTM f = 0.9", "LSTM f = 0.99"],
    ],
)
def test_gradient_norm_curves_differ_by_more_than_colour(labels):
    t = np.arange(40)
    ax = ll.plots.plot_gradient_norms({label: 0.9 ** (t * (k + 1)) for k, label in enumerate(labels)})
    lines = [line for line in ax.lines if line.get_label() in labels]
    looks = {(str(line.get_linestyle()), line.get_marker()) for line in lines}
    assert len(lines) == len(labels) and len(looks) == len(labels), looks
    plt.close(ax.figure)


# --- the walk-through: one diagram per equation, the parts it touches picked out ---------


def _picked(drawing):
    """The parts highlight_parts picked out: the ones left fully opaque."""
    return {name for name, artists in drawing.parts.items() if all(a.get_alpha() in (None, 1) for a in artists)}


def test_every_part_of_the_diagram_is_named_and_drawn():
    drawing = plots.draw_lstm_cell()
    assert set(drawing.parts) == set(plots.diagram.PART_NAMES)
    assert all(drawing.parts[name] for name in drawing.parts)
    drawn = set(drawing.ax.lines) | set(drawing.ax.patches) | set(drawing.ax.texts)
    assert all(a in drawn for artists in drawing.parts.values() for a in artists)


@pytest.mark.parametrize("row", sorted(plots.EQUATION_PARTS))
def test_highlight_picks_out_exactly_the_parts_of_each_row_by_width_and_opacity(row):
    plain = plots.draw_lstm_cell()
    drawing = plots.highlight_parts(plots.draw_lstm_cell(), plots.EQUATION_PARTS[row].parts)
    assert _picked(drawing) == set(plots.EQUATION_PARTS[row].parts)
    for name, artists in drawing.parts.items():
        for a, before in zip(artists, plain.parts[name]):
            if name in plots.EQUATION_PARTS[row].parts and hasattr(a, "get_linewidth"):
                assert a.get_linewidth() == pytest.approx(before.get_linewidth() * plots.walkthrough.THICKER)
            elif name not in plots.EQUATION_PARTS[row].parts:
                assert a.get_alpha() == plots.walkthrough.FADED


def test_each_equation_touches_the_parts_its_symbols_name():
    rows = plots.EQUATION_PARTS
    gates = {"f": 2, "i": 3, "g": 4, "o": 8}
    for k, r in gates.items():  # a gate's row: its gate and no other, fed by [h_{t-1}, x_t]
        assert {"h_prev_in", "x_in", "bus", f"to_{k}"} <= set(rows[r].parts)
        assert set(rows[r].parts) & set(gates) == {k}
    for r, row in rows.items():  # every gate, product or input a row's equation writes is picked out
        for symbol, part in (("f_t", "f"), ("i_t", "i"), ("g_t", "g"), ("o_t", "o"), ("c_{t-1}", "c_in")):
            if symbol in row.equation.split("=")[-1] and r not in (7,):
                assert part in row.parts, (r, symbol)
    assert {"mul_f", "mul_ig", "add", "c_out"} <= set(rows[7].parts)
    assert {"mul_o", "tanh_c", "o", "h_out"} <= set(rows[10].parts)
    assert all("to_" not in p for r in (5, 6, 7, 9, 10, 11) for p in rows[r].parts)  # no new gate computed


def test_highlight_and_walkthrough_refuse_what_is_not_theirs():
    with pytest.raises(ValueError, match=r"\['gate_z'\] are not parts"):
        plots.highlight_parts(plots.draw_lstm_cell(), ["f", "gate_z"])
    with pytest.raises(TypeError, match="draw_lstm_cell"):
        plots.highlight_parts(plt.gca(), ["f"])
    with pytest.raises(ValueError, match="1 to 11"):
        plots.plot_walkthrough(rows=[0, 3])
    _, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="at least 3 Axes"):
        plots.plot_walkthrough(rows=[1, 2, 3], axes=axes)


def test_walkthrough_titles_each_diagram_with_its_row_and_describes_it():
    axes = plots.plot_walkthrough()
    assert len(axes) == 12 and not axes[11].axison
    for ax, (r, row) in zip(axes, plots.EQUATION_PARTS.items()):
        assert ax.get_title(loc="left") == f"{r}.  {row.equation}"
    alt = plots.walkthrough_alt([2, 7])
    assert alt.startswith("2 small copies") and "the forget gate" in alt and "the sum f_t c_{t-1} + i_t g_t" in alt


# --- a figure shown with its text alternative ------------------------------------------------


def test_show_gives_a_figure_its_text_alternative_in_html_and_in_the_png_metadata(monkeypatch):
    import base64
    import html
    import re

    import IPython.display

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [2, 3])
    alt = 'A line from (0, 2) to (1, 3): "rising" & <straight>'
    data, metadata = plots.figure_bundle(fig, alt)
    png = base64.b64decode(data["image/png"])
    assert png == plots.output.figure_png(fig) and png.startswith(b"\x89PNG")
    img = re.fullmatch(
        r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)" class="lstmlearn-figure">', data["text/html"]
    )
    assert img, data["text/html"][:200]
    assert img.group(1) == data["image/png"]  # the same picture for JupyterLab and for static viewers
    assert html.unescape(img.group(2)) == alt == data["text/plain"] == metadata["image/png"]["alt"]
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    plots.show(fig, alt="Two points.\n  A line.")
    ((args, kwargs),) = shown
    assert kwargs["raw"] and args[0]["text/plain"] == "Two points. A line." == kwargs["metadata"]["image/png"]["alt"]
    assert not plt.fignum_exists(fig.number)  # closed: the inline backend will not show it again


@pytest.mark.parametrize("alt", ["", "   ", None, 3])
def test_show_refuses_a_figure_without_words(alt):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt must say in words what the figure shows"):
        plots.figure_bundle(fig, alt)


def test_every_notebook_figure_is_shown_with_a_text_alternative():
    """No notebook calls plt.show() (its <img> has no alt in JupyterLab): each figure goes through
    lstmlearn.plots.show with an alt that is computed (an f-string), not typed."""
    sources = sorted((Path(__file__).parents[1] / "notebooks" / "src").glob("*.py"))
    assert sources
    for src in sources:
        tree = ast.parse(src.read_text())
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        named = [ast.unparse(c.func) for c in calls]
        assert "plt.show" not in named, (
            f"{src.name}: plt.show() shows a figure without alt text; use ll.plots.show(fig, alt=...)"
        )
        for call in calls:
            if ast.unparse(call.func).endswith("plots.show"):
                alt = [k.value for k in call.keywords if k.arg == "alt"] or call.args[1:2]
                if alt and isinstance(alt[0], ast.Name):  # alt=alt: the value last assigned to that name above
                    given = [
                        a.value
                        for a in ast.walk(tree)
                        if isinstance(a, ast.Assign)
                        and a.lineno < call.lineno
                        and any(isinstance(t, ast.Name) and t.id == alt[0].id for t in a.targets)
                    ]
                    alt = sorted(given, key=lambda v: v.lineno)[-1:]
                computed = alt and any(isinstance(n, (ast.FormattedValue, ast.Call)) for n in ast.walk(alt[0]))
                assert computed, (
                    f"{src.name}, line {call.lineno}: the alt text must come from the cell's values (an f-string)"
                )
