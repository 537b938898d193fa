"""The hints of notebooks 01-05 meet the mistakes learners actually write (written here the way a
learner would write them, not as the registry's own lambdas)."""

import contextlib
import io

import numpy as np

import lstmlearn as ll


def _check(name, fn):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        ok = ll.exercises.check(name, fn)
    return bool(ok), buf.getvalue()


def test_lstm_step_in_cs231n_gate_order_gets_the_order_hint():
    def lstm_step(x, h_prev, c_prev, p):
        H = p.hidden_size
        z = x @ p.W_x + h_prev @ p.W_h + p.b
        i, f = ll.sigmoid(z[:, :H]), ll.sigmoid(z[:, H:2 * H])
        o, g = ll.sigmoid(z[:, 2 * H:3 * H]), np.tanh(z[:, 3 * H:])  # CS231n / Karpathy: i, f, o, g
        c = f * c_prev + i * g
        return o * np.tanh(c), c

    ok, out = _check("lstm_step", lstm_step)
    assert not ok and "i, f, o, g" in out and "columns 2H:3H are the candidate g" in out


def test_forget_gate_without_its_bias_gets_the_bias_hint():
    ok, out = _check("forget_gate", lambda x, h_prev, W_x, W_h, b: ll.sigmoid(x @ W_x + h_prev @ W_h))
    assert not ok and "add the bias b" in out


def test_half_life_hints_guide_without_giving_the_formula():
    for wrong in [lambda f: np.log(f) / np.log(0.5), lambda f: np.log(2) / np.log(f), lambda f: 1 / np.log(f)]:
        ok, out = _check("half_life", wrong)
        hint = out.split("Hint:", 1)[1]
        assert not ok and "ln(1/2) / ln(f)" not in hint and "np.log(0.5) / np.log(f)" not in hint
    assert "ln(1/2)" not in ll.exercises.exercises()["half_life"]  # the task (a learner copy's hint) neither
    assert _check("half_life", lambda f: np.log(0.5) / np.log(f))[0]
