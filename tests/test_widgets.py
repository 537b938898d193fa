"""The explorers driven headless: set a control's .value, check the numbers shown against an
independent numpy computation, and check that extreme settings stay finite and quiet."""

import html
import re
import warnings

import ipywidgets as W

from lstmlearn.widgets.names import CONTROL_NAMES
import matplotlib.pyplot as plt
import numpy as np
import pytest
from traitlets import TraitError

import lstmlearn as ll

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def strict():
    """Every numpy floating-point error (underflow too) and every warning become errors."""
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def number_text(v, **kwargs):
    """A number as the figures write it (lstmlearn.plots.style.number_text)."""
    return ll.plots.style.number_text(v, **kwargs)


def readout_text(v, **kwargs):
    """A number as the readouts write it (lstmlearn.plots.style.readout_text: the minus sign U+2212)."""
    return ll.plots.style.readout_text(v, **kwargs)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _no_nan_shown(explorer):
    html = explorer.readout.lower()
    assert "nan" not in html and "inf" not in html.replace("&infin;", "")


def _check_explorer_shape(e, controls):
    assert list(e.controls) == controls
    assert all(isinstance(c, W.ValueWidget) for c in e.controls.values())
    for name, c in e.controls.items():  # a name that says what the control moves: the symbol, then words
        assert c.tooltip == CONTROL_NAMES[name], (name, c.tooltip)
        assert len(c.tooltip.split(", ", 1)[1].split()) >= 2 and f"lstmlearn-control-{name}" in c._dom_classes
    assert isinstance(e.widget, W.Box)
    assert e.picture.startswith(PNG)  # drawn when created
    bundle, metadata = e._repr_mimebundle_()
    assert metadata["image/png"]["alt"] == bundle["text/plain"] == e.alt
    shown = re.findall(r"<code>([^<]*)</code>", e.readout)  # the numbers shown are in the text alternative
    assert shown and all(html.unescape(n) in e.alt for n in shown), (shown, e.alt)
    assert not re.search(r"[.?!]\.", e.alt), e.alt  # one full stop after the description, or its own "?"
    assert "application/vnd.jupyter.widget-view+json" in bundle and "image/png" in bundle


GATE_CONTROLS = [
    "x",
    "h_prev",
    "c_prev",
    "w_xi",
    "w_hi",
    "b_i",
    "w_xf",
    "w_hf",
    "b_f",
    "w_xg",
    "w_hg",
    "b_g",
    "w_xo",
    "w_ho",
    "b_o",
]


def test_gate_explorer_values_follow_the_sliders():
    e = ll.widgets.gate_explorer()
    _check_explorer_shape(e, GATE_CONTROLS)
    first_png = e.picture
    rng = np.random.default_rng(0)
    for _ in range(3):
        setting = {name: round(float(rng.uniform(-2, 2)), 1) for name in GATE_CONTROLS}
        setting["h_prev"] = round(setting["h_prev"] / 2, 2)
        for name, value in setting.items():
            e.controls[name].value = value
        s = setting
        z = {k: s[f"w_x{k}"] * s["x"] + s[f"w_h{k}"] * s["h_prev"] + s[f"b_{k}"] for k in "ifgo"}
        i, f, o, g = _sigmoid(z["i"]), _sigmoid(z["f"]), _sigmoid(z["o"]), np.tanh(z["g"])
        c = f * s["c_prev"] + i * g
        expected = {"i": i, "f": f, "g": g, "o": o, "c": c, "h": o * np.tanh(c)}
        for k, v in expected.items():
            assert e.values[k] == pytest.approx(v, rel=1e-12), k
    assert e.picture != first_png  # the picture was redrawn
    diagram = {t.get_text() for t in e.figure.axes[1].texts}
    assert number_text(e.values["f"], within=(0, 1)) in diagram  # the diagram shows the current f
    assert readout_text(e.values["h"], within=(-1, 1)) in e.readout


def test_gate_explorer_keyword_start_values():
    e = ll.widgets.gate_explorer(b_f=-3.0, x=0.0, h_prev=0.0)
    assert e.controls["b_f"].value == -3.0
    assert e.values["f"] == pytest.approx(_sigmoid(-3.0))


def test_gate_explorer_extreme_weights_stay_finite(strict):
    e = ll.widgets.gate_explorer()
    for sign in (1.0, -1.0):
        for name, c in e.controls.items():
            c.value = c.max if sign > 0 else c.min
        assert all(np.isfinite(e.values[k]) for k in "ifgoch")
        assert 0.0 <= e.values["f"] <= 1.0 and -1.0 <= e.values["g"] <= 1.0
        _no_nan_shown(e)


def test_cell_state_explorer_matches_the_closed_form():
    e = ll.widgets.cell_state_explorer()
    _check_explorer_shape(e, ["f", "i", "g", "c0", "T"])
    for name, value in {"f": 0.8, "i": 0.4, "g": -0.6, "c0": 1.5, "T": 30}.items():
        e.controls[name].value = value
    t = np.arange(31)
    f, ig, c0 = 0.8, 0.4 * -0.6, 1.5
    np.testing.assert_allclose(e.values["c"], f**t * c0 + ig * (1 - f**t) / (1 - f), rtol=1e-12)
    np.testing.assert_allclose(e.values["decay"], f**t * c0, rtol=1e-12)
    np.testing.assert_allclose(e.values["grad"], f ** (30 - t), rtol=1e-12)
    assert e.values["half_life"] == pytest.approx(np.log(2) / -np.log(f))
    assert e.values["grad_0"] == pytest.approx(f**30)
    assert e.values["fixed_point"] == pytest.approx(ig / (1 - f))
    ax_c = e.figure.axes[0]
    np.testing.assert_allclose(ax_c.lines[0].get_ydata(), e.values["c"])  # the curve drawn is c_t


def test_cell_state_explorer_extremes(strict):
    e = ll.widgets.cell_state_explorer()
    for setting in ({"f": 1.0, "T": 500}, {"f": 0.0, "T": 500}, {"f": 0.995, "i": 1.0, "g": 1.0, "T": 500}):
        for name, value in setting.items():
            e.controls[name].value = value
        assert np.all(np.isfinite(e.values["c"])) and np.all(np.isfinite(e.values["grad"]))
        _no_nan_shown(e)
    e.controls["f"].value = 1.0
    assert e.values["half_life"] == np.inf and e.values["fixed_point"] is None
    assert "\u221e" in e.readout


def _independent_rnn_norms(rho, activation, T, H, seed):
    """The documented construction of vanishing_curves, in plain numpy, with explicit products."""
    rng = np.random.default_rng(seed)
    W_h = rng.normal(0.0, 1.0 / np.sqrt(H), size=(H, H))
    W_h *= rho / np.max(np.abs(np.linalg.eigvals(W_h)))
    W_x = rng.normal(0.0, 1.0, size=(1, H))
    X = rng.normal(size=(T, 1, 1))
    phi = np.tanh if activation == "tanh" else (lambda a: np.maximum(a, 0))
    h, dphi = np.zeros(H), []
    for t in range(T):
        a = X[t, 0] @ W_x + h @ W_h
        h = phi(a)
        dphi.append(1 - h**2 if activation == "tanh" else (a > 0).astype(float))
    norms, P = [1.0], np.eye(H)
    for s in range(T - 1, -1, -1):  # P_t = J_T ... J_{t+1}, J_s = diag(phi'(a_s)) W_h^T
        P = P @ np.diag(dphi[s]) @ W_h.T
        norms.append(np.linalg.norm(P, 2))
    return np.array(norms[::-1])


@pytest.mark.parametrize("rho, activation", [(0.8, "tanh"), (1.5, "relu")])
def test_vanishing_explorer_matches_explicit_jacobian_products(rho, activation):
    e = ll.widgets.vanishing_gradient_explorer()
    _check_explorer_shape(e, ["spectral_radius", "activation", "T", "f"])
    e.controls["spectral_radius"].value = rho
    e.controls["activation"].value = activation
    e.controls["T"].value = 25
    e.controls["f"].value = 0.9
    np.testing.assert_allclose(e.values["rnn"], _independent_rnn_norms(rho, activation, 25, 32, 0), rtol=1e-8)
    np.testing.assert_allclose(e.values["lstm"], 0.9 ** (25 - np.arange(26)), rtol=1e-12)
    assert e.values["lstm_0"] == pytest.approx(0.9**25)
    np.testing.assert_allclose(e.figure.axes[0].lines[0].get_xdata(), np.arange(26))
    assert e.figure.axes[0].get_xlim() == (0, 25)


def test_vanishing_explorer_extremes(strict):
    e = ll.widgets.vanishing_gradient_explorer()
    for setting in (
        {"activation": "relu", "spectral_radius": 2.0, "T": 300, "f": 1.0},
        {"activation": "relu", "spectral_radius": 0.1, "T": 300, "f": 0.0},
        {"activation": "tanh", "spectral_radius": 2.0, "T": 300, "f": 0.5},
        {"activation": "tanh", "spectral_radius": 0.1, "T": 5},
    ):
        for name, value in setting.items():
            e.controls[name].value = value
        assert np.all(np.isfinite(e.values["rnn"])) and np.all(np.isfinite(e.values["lstm"]))
        _no_nan_shown(e)


def test_sequence_stepper_shows_the_recorded_step():
    rng = np.random.default_rng(5)
    p = ll.init_lstm(2, 4, rng)
    X = rng.normal(size=(9, 2, 2))
    _, trace = ll.lstm_forward(X, p)
    e = ll.widgets.sequence_stepper(trace, example=1)
    _check_explorer_shape(e, ["t", "unit"])
    assert e.controls["t"].max == 9 and e.controls["unit"].max == 3
    e.controls["t"].value = 6
    e.controls["unit"].value = 2
    v = e.values
    for k in ("i", "f", "g", "o", "c", "h"):
        assert v[k] == getattr(trace, k)[5, 1, 2]
    assert v["c_prev"] == trace.c[4, 1, 2]
    assert v["c"] == pytest.approx(v["f"] * v["c_prev"] + v["i"] * v["g"], rel=1e-12)
    assert v["h"] == pytest.approx(v["o"] * np.tanh(v["c"]), rel=1e-12)
    cursors = [
        line
        for ax in e.figure.subfigs[1].axes
        for line in ax.lines
        if line.get_color() == "red" and len(line.get_xdata()) == 2
    ]  # the vertical lines
    assert len(cursors) == 6 and all(line.get_xdata()[0] == 6 for line in cursors)
    with pytest.raises(ValueError, match="t must be"):
        ll.widgets.step_of(trace, 0)


def _independent_influence(rho, T, H, seed):
    """||h_t - h'_t|| with plain numpy, drawing the RNN exactly as rnn_with_spectral_radius does."""
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, 1.0 / np.sqrt(H), size=(H, H))
    W_h = W * (rho / np.max(np.abs(np.linalg.eigvals(W))))
    W_x = rng.normal(0.0, 1.0, size=(1, H))
    x = rng.normal(size=T)
    h, h2, out = np.zeros(H), np.zeros(H), []
    for t in range(T):
        h = np.tanh(x[t] * W_x[0] + h @ W_h)
        h2 = np.tanh((x[t] + (1.0 if t == 0 else 0.0)) * W_x[0] + h2 @ W_h)
        out.append(np.linalg.norm(h - h2))
    return np.array(out)


@pytest.mark.parametrize("rho", [0.5, 1.3])
def test_rnn_memory_explorer_matches_numpy(rho):
    e = ll.widgets.rnn_memory_explorer()
    _check_explorer_shape(e, ["spectral_radius", "T", "activation"])
    e.controls["spectral_radius"].value = rho
    e.controls["T"].value = 40
    np.testing.assert_allclose(e.values["gap"], _independent_influence(rho, 40, 16, 0), rtol=1e-10, atol=1e-14)
    assert e.values["gap_T"] == e.values["gap"][-1]


def test_rnn_memory_explorer_extremes(strict):
    e = ll.widgets.rnn_memory_explorer()
    for rho, act in [(2.0, "relu"), (0.1, "tanh"), (2.0, "tanh")]:
        e.controls["activation"].value = act
        e.controls["spectral_radius"].value = rho
        e.controls["T"].value = 200
        assert np.all(np.isfinite(e.values["gap"]))
        _no_nan_shown(e)


def test_gradient_flow_explorer_truncation_and_forget_bias():
    e = ll.widgets.gradient_flow_explorer()
    _check_explorer_shape(e, ["forget_bias", "T", "truncate"])
    e.controls["T"].value = 60
    full = {k: e.values[k].copy() for k in ("rnn_h", "lstm_h", "lstm_c")}
    e.controls["truncate"].value = 15
    for k, v in full.items():
        assert np.all(e.values[k][:45] == 0), k  # nothing reaches beyond the window
        np.testing.assert_allclose(e.values[k][45:], v[45:], rtol=1e-12)  # inside it, the exact gradient
    e.controls["truncate"].value = 0
    e.controls["forget_bias"].value = 8.0
    assert e.values["mean_f"] > 0.99
    high = e.values["lstm_c_1"]
    e.controls["forget_bias"].value = -3.0
    assert e.values["mean_f"] < 0.1 and e.values["lstm_c_1"] < 1e-20 < high


def test_gradient_flow_rnn_curve_is_the_jacobian_product():
    """The RNN curve equals ||1 @ J_T ... J_{t+1}|| computed with explicit matrices."""
    v = ll.widgets.gradient_flow_values(1.0, 12, H=5, seed=3)
    p = ll.init_rnn(1, 5, rng=np.random.default_rng(3))
    X = np.random.default_rng(4).normal(size=(12, 1, 1))
    h, hs = np.zeros(5), []
    for t in range(12):
        h = np.tanh(X[t, 0] @ p.W_x + h @ p.W_h + p.b)
        hs.append(h)
    g, expected = np.ones(5), [np.linalg.norm(np.ones(5))]
    for t in range(11, 0, -1):
        g = g @ ((1 - hs[t] ** 2)[:, None] * p.W_h.T)
        expected.append(np.linalg.norm(g))
    np.testing.assert_allclose(v["rnn_h"], expected[::-1], rtol=1e-10)


# --- what every explorer shows, read through its public accessors ------------------------------


def test_explorer_readout_and_picture_are_what_the_page_shows():
    e = ll.widgets.gate_explorer()
    assert isinstance(e.readout, str) and "<code>" in e.readout
    assert e.picture.startswith(PNG)
    before = e.readout, e.picture
    e.controls["b_f"].value = -4.0
    assert e.readout != before[0] and e.picture != before[1]
    assert readout_text(e.values["f"], within=(0, 1)) in e.readout


def _shown(readout):
    """The numbers in a readout, as the page shows them."""
    return re.findall(r"<code>(.*?)</code>", readout)


def test_gate_readouts_never_show_a_gate_below_1_as_1():
    e = ll.widgets.gate_explorer(b_f=8.0)  # x = 1, h_prev = 0: z_f = 0.5 + 8 = 8.5, f = 0.99980
    assert 0.9997 < e.values["f"] < 0.9999
    assert _shown(e.readout)[1] == "0.9998"
    diagram = [t.get_text() for t in e.figure.axes[1].texts]
    assert "0.9998" in diagram and "1.000" not in diagram
    for c in e.controls.values():  # every pre-activation at +40: each sigmoid and tanh is 1.0 in float64
        c.value = c.max
    assert e.values["f"] == 1.0 and e.values["g"] == 1.0
    shown = dict(zip("ifgoch", _shown(e.readout)))
    for k in "ifgo":
        assert shown[k] == "1 \u2212 &lt;6e\u221217", k  # the gate is below 1 by less than float64 can show
    diagram = [t.get_text() for t in e.figure.axes[1].texts]
    # beside the boxes, short: below 1 by less than float64 resolves
    assert diagram.count("1\u2212<6e\u221217") == 3 and "+1\u2212<6e\u221217" in diagram and "1.000" not in diagram
    assert shown["h"] == "0.99999"  # o tanh(c) with c = 6


def test_every_readout_writes_one_minus_sign():
    """Negative numbers, exponents and "1 - <6e-17" all write U+2212, as the sliders do."""
    e = ll.widgets.gate_explorer(x=-2.0, c_prev=-4.0)
    shown = dict(zip("ifgoch", _shown(e.readout)))
    assert e.values["c"] < 0 and shown["c"] == "\u2212" + readout_text(-e.values["c"])
    v = ll.widgets.vanishing_gradient_explorer(spectral_radius=0.5, T=100)
    assert any("e\u2212" in s for s in _shown(v.readout)), _shown(v.readout)  # a tiny norm, in scientific notation
    for explorer in (e, v, ll.widgets.cell_state_explorer(g=-0.8), ll.widgets.rnn_memory_explorer()):
        assert not any("-" in s for s in _shown(explorer.readout)), _shown(explorer.readout)


def test_sequence_stepper_readouts_of_saturated_gates():
    rng = np.random.default_rng(1)
    p = ll.init_lstm(1, 2, rng, forget_bias=10.0)
    _, trace = ll.lstm_forward(rng.normal(size=(4, 1, 1)), p)
    e = ll.widgets.sequence_stepper(trace)
    f = e.values["f"]
    assert 0.9999 < f < 1
    assert _shown(e.readout)[1] == readout_text(f, within=(0, 1)) and not _shown(e.readout)[1].startswith("1.0")


def test_gradient_flow_mean_forget_value_near_1_is_not_shown_as_1():
    e = ll.widgets.gradient_flow_explorer(T=20)
    e.controls["forget_bias"].value = 8.0
    assert 0.999 < e.values["mean_f"] < 1
    assert _shown(e.readout)[0] == readout_text(e.values["mean_f"], within=(0, 1)) != "1.000"


def test_cell_state_axes_fit_the_curves_and_the_legend_stays_off_them():
    e = ll.widgets.cell_state_explorer()
    ax = e.figure.axes[0]
    for f in (0.5, 0.7, 0.9, 0.995):
        e.controls["f"].value = f
        e.picture  # drawn
        low, high = ax.get_ylim()
        data = np.concatenate([e.values["c"], e.values["decay"]])
        assert low <= data.min() and data.max() <= high
        assert low > -0.1 * (high - low), f"f = {f}: an empty negative range ({low}, {high})"
        assert high < 2.6 * max(data.max(), 0.1), f"f = {f}: the top of the axis is far above the curves"
    legends = [a.get_legend() for a in e.figure.axes if a.get_legend()] + list(e.figure.legends)
    renderer = e.figure.canvas.get_renderer()
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for a in e.figure.axes:
            assert not box.overlaps(a.get_window_extent(renderer)), "a legend sits on a plot"
    e.controls["c0"].value = -2.0
    e.controls["g"].value = -1.0
    low, high = ax.get_ylim()
    assert high < 0.1 * (high - low)  # all negative now: no empty positive range either


def _all_explorers():
    rng = np.random.default_rng(5)
    _, trace = ll.lstm_forward(rng.normal(size=(6, 1, 2)), ll.init_lstm(2, 3, rng))
    runs = [
        {
            "forget_bias": b,
            "eval_step": [0, 100],
            "score": [0.15, 0.5],
            "final_score": 0.5,
            "first_step_reaching_target": None,
            "baseline": {"score": 0.154},
        }
        for b in (0.0, 3.0)
    ]
    return [
        ll.widgets.gate_explorer(),
        ll.widgets.cell_state_explorer(),
        ll.widgets.vanishing_gradient_explorer(),
        ll.widgets.rnn_memory_explorer(),
        ll.widgets.gradient_flow_explorer(T=20),
        ll.widgets.sequence_stepper(trace),
        ll.widgets.forget_bias_explorer({"runs": runs}),
    ]


def _boxes(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _boxes(child)


def test_explorer_layouts_reflow_instead_of_fixed_pixel_columns():
    """Controls take the width they are given, grids make as many columns as fit, rows wrap."""
    for e in _all_explorers():
        for w in _boxes(e.widget):
            assert not re.search(r"\d+px", w.layout.width or ""), (e, w, w.layout.width)
            if isinstance(w, W.GridBox):
                assert "auto-fill" in w.layout.grid_template_columns or "auto-fit" in w.layout.grid_template_columns
            if isinstance(w, W.HBox):
                assert w.layout.flex_flow == "row wrap", (e, w)


# --- values the controls accept, values they refuse -------------------------------------------


def test_float_sliders_refuse_nan_and_name_the_control():
    for e in _all_explorers():
        for name, c in e.controls.items():
            if not isinstance(c, W.FloatSlider):
                continue
            before, shown = c.value, e.readout
            with pytest.raises(TraitError, match=f"{name}.*NaN"):
                c.value = float("nan")
            assert c.value == before and e.readout == shown


def test_explorer_arguments_out_of_range_are_refused():
    with pytest.raises(TraitError, match="b_f.*NaN"):
        ll.widgets.gate_explorer(b_f=float("nan"))
    with pytest.raises(TraitError, match="f.*NaN"):
        ll.widgets.cell_state_explorer(f=float("nan"))


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: ll.widgets.cell_state_values(0.9, float("nan"), 0.5, 1.0, 10), "i"),
        (lambda: ll.widgets.cell_state_values(0.9, 0.5, float("nan"), 1.0, 10), "g"),
        (lambda: ll.widgets.cell_state_values(0.9, 0.5, 0.5, float("inf"), 10), "c0"),
        (lambda: ll.widgets.vanishing_values(0.9, "tanh", 10, float("nan")), "f"),
        (lambda: ll.widgets.vanishing_values(0.9, "tanh", 10, 1.5), "f"),
        (lambda: ll.widgets.gradient_flow_values(float("nan"), 10), "forget_bias"),
        (lambda: ll.widgets.gate_values(float("nan"), 0.0, 0.0, **ll.widgets.gate.DEFAULT_WEIGHTS), "x"),
    ],
)
def test_values_functions_name_the_bad_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        call()


def test_no_floating_point_error_at_the_extremes_of_any_explorer(strict):
    """Underflow to 0 (f^t c_0 after 500 steps, gradients cut to nothing) is harmless and silent."""
    e = ll.widgets.cell_state_explorer()
    for name, value in {"f": 0.005, "T": 500, "c0": 2.0, "i": 0.0}.items():
        e.controls[name].value = value
    assert e.values["c"][-1] == 0.0
    e = ll.widgets.gradient_flow_explorer()
    for name, value in {"forget_bias": -3.0, "T": 300, "truncate": 0}.items():
        e.controls[name].value = value
    assert e.values["lstm_c_1"] < 1e-30
    _no_nan_shown(e)
