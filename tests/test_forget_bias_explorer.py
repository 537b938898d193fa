"""The forget-bias explorer (notebook 09) driven headless on a small record."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lstmlearn as ll


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_forget_bias_explorer_on_a_small_record():
    runs = [{"forget_bias": b, "eval_step": [0, 100], "score": [0.15, s], "final_score": s,
             "first_step_reaching_target": 100 if s >= 0.95 else None, "baseline": {"score": 0.154}}
            for b, s in [(0.0, 0.2), (0.0, 0.1), (3.0, 0.99), (3.0, 0.97)]]
    e = ll.widgets.forget_bias_explorer({"runs": runs})
    e.controls["forget_bias"].value = 3.0
    assert e.values["reached"] == 2 and e.values["final_mean"] == pytest.approx(0.98)
    assert e.values["f0"] == pytest.approx(1 / (1 + np.exp(-3.0)))
    e.controls["forget_bias"].value = 0.0
    assert e.values["reached"] == 0 and e.values["half_life"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="no recorded run has forget_bias = 1.0"):
        ll.widgets.forget_bias_values(runs, 1.0)
