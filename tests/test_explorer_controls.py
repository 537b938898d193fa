"""Every control of every explorer, fuzzed: its ends, one step inside and just beyond them, NaN,
the infinities, huge, tiny and negative numbers, unknown options, then a seeded rapid sequence
of random settings. Each value is either refused by its control (a TraitError naming the
control) or shown: no NaN in the numbers or the readout, a picture, no numpy floating-point
error (underflow included) and no warning. (The temperature explorer's controls, text among
them, are fuzzed in test_temperature_explorer.py.)"""

import math
import re
import warnings

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pytest
from traitlets import TraitError

import lstmlearn as ll

NAN, INF = float("nan"), float("inf")
ODD_NUMBERS = [NAN, INF, -INF, -1e300, 1e300, -1.0, -0.0, 0.0, 5e-324, 1e-17, 0.3]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _stepper():
    rng = np.random.default_rng(2)
    p = ll.init_lstm(2, 3, rng, forget_bias=6.0)  # saturated forget gates, near 1
    _, trace = ll.lstm_forward(3 * rng.normal(size=(7, 2, 2)), p)
    return ll.widgets.sequence_stepper(trace, example=1)


def _forget_bias():
    runs = [
        {
            "forget_bias": b,
            "eval_step": [0, 50, 100],
            "score": [0.15, 0.5, s],
            "final_score": s,
            "first_step_reaching_target": None,
            "baseline": {"score": 0.154},
        }
        for b, s in [(-1.0, 0.2), (0.0, 0.3), (5.0, 0.99), (10.0, 0.97)]
    ]
    return ll.widgets.forget_bias_explorer({"runs": runs})


BUILDERS = {  # built small, or with the input a notebook gives them; the rest of the table with its defaults
    "vanishing_gradient_explorer": lambda: ll.widgets.vanishing_gradient_explorer(T_max=120),
    "gradient_flow_explorer": lambda: ll.widgets.gradient_flow_explorer(T=40, T_max=120),
    "sequence_stepper": _stepper,
    "forget_bias_explorer": _forget_bias,
}
ELSEWHERE = {"temperature_explorer": "tests/test_temperature_explorer.py (it needs a trained model)"}
EXPLORERS = {
    name: BUILDERS.get(name, entry.make) for name, entry in ll.widgets.EXPLORERS.items() if name not in ELSEWHERE
}


def test_every_explorer_of_the_table_is_tested_here_or_elsewhere():
    for name, entry in ll.widgets.EXPLORERS.items():
        assert not entry.needs or name in BUILDERS or name in ELSEWHERE, (
            f"{name} needs {entry.needs}: add a builder for it to BUILDERS in this file"
        )


@pytest.mark.parametrize("which", list(EXPLORERS))
def test_the_table_names_the_title_the_page_shows(which):
    assert EXPLORERS[which]().title == ll.widgets.EXPLORERS[which].title


def candidates(control):
    """(value, refused?) pairs for one control."""
    if isinstance(control, W.FloatSlider):
        lo, hi, step = control.min, control.max, control.step
        values = ODD_NUMBERS + [lo, hi, lo + step, hi - step, math.nextafter(hi, INF), math.nextafter(lo, -INF)]
        return [(v, math.isnan(v)) for v in values]
    if isinstance(control, W.IntSlider):
        lo, hi = control.min, control.max
        return [(v, False) for v in (-1, 0, 1, lo, hi, lo + 1, hi - 1, hi + 1, lo - 1, -(2**63), 2**63, 10**30)]
    if isinstance(control, W.SelectionSlider):
        return [(v, False) for v in control.options] + [(99.0, True), (NAN, True)]
    if isinstance(control, W.ToggleButtons):
        return [(v, False) for v in control.options] + [("sigmoid", True), ("", True)]
    raise AssertionError(f"no candidates for a {type(control).__name__}: add them to this test")


def _numbers(values):
    for v in values.values():
        if isinstance(v, (list, tuple)):
            for item in v:
                yield from (x for x in item if not isinstance(x, str)) if isinstance(item, tuple) else [item]
        elif v is not None:
            yield v


def check_shown(e, what):
    for name, c in e.controls.items():
        if hasattr(c, "min"):
            assert c.min <= c.value <= c.max, f"{what}: {name} = {c.value} outside its control"
    for x in _numbers(e.values):
        assert not np.any(np.isnan(np.asarray(x, dtype=float))), f"{what}: NaN in .values"
    shown = re.findall(r"<code>(.*?)</code>", e.readout)
    assert shown and not any("nan" in s.lower() for s in shown), f"{what}: readout {shown}"
    assert e.picture.startswith(b"\x89PNG")


def put(e, name, value, refused, what):
    before = e.readout
    try:
        e.controls[name].value = value
    except TraitError as error:
        assert refused, f"{what}: refused with {error}"
        assert e.readout == before  # nothing changed
        if isinstance(e.controls[name], W.FloatSlider):
            assert name in str(error) and "NaN" in str(error)
        return
    assert not refused, f"{what}: accepted, now {e.controls[name].value!r}"
    check_shown(e, what)


@pytest.fixture
def strict():
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("which", list(EXPLORERS))
def test_every_control_at_every_odd_value(which, strict):
    e = EXPLORERS[which]()
    for name, control in e.controls.items():
        start = control.value
        for value, refused in candidates(control):
            put(e, name, value, refused, f"{which}.{name} = {value!r}")
        control.value = start


@pytest.mark.parametrize("which", list(EXPLORERS))
def test_rapid_random_sequences_of_settings(which, strict):
    """A learner dragging several sliders quickly: 40 random settings in a row, from the table."""
    e = EXPLORERS[which]()
    table = [(name, value, refused) for name, c in e.controls.items() for value, refused in candidates(c)]
    rng = np.random.default_rng(sum(map(ord, which)))
    for k in rng.integers(len(table), size=40):
        name, value, refused = table[k]
        put(e, name, value, refused, f"{which} after a sequence: {name} = {value!r}")
