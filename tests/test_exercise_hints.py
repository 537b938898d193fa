"""The self-checks of notebooks 01-06 tried with the mistakes learners actually write (written here the way a
learner would write them, not as the registry's own lambdas)."""

import contextlib
import functools
import io
import re
import sys

import numpy as np
import pytest

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
        i, f = ll.sigmoid(z[:, :H]), ll.sigmoid(z[:, H : 2 * H])
        o, g = ll.sigmoid(z[:, 2 * H : 3 * H]), np.tanh(z[:, 3 * H :])  # CS231n / Karpathy: i, f, o, g
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


def test_the_transposed_recurrent_weights_get_the_transpose_hint():
    """h_prev @ W_h.T runs (W_h is square) and gives numbers: the commonest mistake in a step."""

    def rnn_step(x, h_prev, W_x, W_h, b):
        return np.tanh(x @ W_x + h_prev @ W_h.T + b)

    def forget_gate(x, h_prev, W_x, W_h, b):
        return ll.sigmoid(x @ W_x + h_prev @ W_h.T + b)

    def candidate(x, h_prev, W_x, W_h, b):
        return np.tanh(x @ W_x + h_prev @ W_h.T + b)

    for name, wrong in [("rnn_step", rnn_step), ("forget_gate", forget_gate), ("candidate", candidate)]:
        ok, out = _check(name, wrong)
        assert not ok and "Hint: no transpose" in out and "h_prev @ W_h," in out, (name, out)


def test_the_sigmoid_that_overflows_fails_and_is_told_why():
    def sigmoid(z):
        return np.exp(z) / (1 + np.exp(z))  # inf / inf = NaN for large z

    ok, out = _check("sigmoid", sigmoid)
    assert not ok and "NaN" in out and "overflows" in out.split("Hint:", 1)[1]
    with np.errstate(all="ignore"):
        assert np.isnan(sigmoid(np.array([800.0]))[0])  # the check's inputs reach such z

    def textbook(z):
        return 1 / (1 + np.exp(-z))  # exp(800) = inf only makes the result 0, which is right

    assert _check("sigmoid", textbook)[0]


def test_clip_grad_norm_accepts_pytorchs_epsilon_and_no_larger_one():
    def clip(eps):
        def clip_grad_norm(grads, max_norm):
            norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
            scale = min(1.0, max_norm / (norm + eps))  # torch.nn.utils.clip_grad_norm_ with eps = 1e-6
            return {k: g * scale for k, g in grads.items()}, norm

        return clip_grad_norm

    assert _check("clip_grad_norm", clip(1e-6))[0]
    ok, out = _check("clip_grad_norm", clip(1e-3))  # 0.02 % off: not what the exercise asks
    assert not ok and "expected" in out


def test_predicting_that_a_gate_reaches_1_is_not_close():
    """03's first prediction: b_f = 4 makes f = sigma(5) = 0.9933, and c = 2 f + sigma(1) tanh(-1).
    The misconception f = 1 (and the c it gives) must not pass as close."""
    f = float(ll.sigmoid(5.0))
    c = 2 * f + float(ll.sigmoid(1.0)) * np.tanh(-1.0)
    c_if_f_were_1 = 2 + float(ll.sigmoid(1.0)) * np.tanh(-1.0)
    actual, within = {"f": f, "c": c}, {"f": (0, 1)}

    def judged(**guesses):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            ll.exercises.reveal(guesses, actual, within=within)
        return buf.getvalue().splitlines()

    (line,) = judged(f=1.0)
    assert line.startswith("Off:") and "never reaches 1" in line
    (line,) = judged(c=c_if_f_were_1)
    assert line.startswith("Off:") and "off by 0.013" in line
    (line,) = judged(f=0.999)  # 0.006 off, but 1 - 0.001 against 1 - 0.0067
    assert line.startswith("Off:") and "6.7 times too small" in line
    assert all(line.startswith("Close:") for line in judged(f=0.99, c=round(c, 3)))
    (line,) = judged(f=0.5)
    assert line.startswith("Off:") and "off by 0.493" in line


OWN_ANSWERS = {  # exercise -> a learner's function that hands the work to lstmlearn's own answer
    "sigmoid": lambda z: ll.sigmoid(z),
    "rnn_step": lambda x, h_prev, W_x, W_h, b: ll.rnn_step(x, h_prev, ll.RNNParams(W_x, W_h, b)).h,
    "clip_grad_norm": lambda grads, max_norm: ll.clip_grad_norm(grads, max_norm),
    "half_life": lambda f: ll.memory.half_life(f),
    "lstm_step": lambda x, h_prev, c_prev, p: tuple(ll.lstm_step(x, h_prev, c_prev, p)[-2:][::-1]),
    "lstm_sequence": lambda X, p: ll.lstm_forward(X, p)[0],
}


def test_a_call_to_lstmlearns_own_answer_is_refused():
    for name, answer in OWN_ANSWERS.items():
        ok, out = _check(name, answer)
        assert not ok and "calls lstmlearn's own" in out, (name, out)
    assert set(OWN_ANSWERS) <= {n for n, e in ll.exercises._REGISTRY.items() if e.own}


def test_lstm_sequence_cannot_hand_its_loop_to_any_lstm_forward():
    """However the package's loop is reached (an alias, a wrapper, the engine's copy), it
    is the same code object, and the check sees it run; ll.lstm_step for each step is the exercise."""
    forward = ll.lstm_forward
    wrapped = functools.partial(forward)
    tries = {
        "an alias": lambda X, p: forward(X, p)[0],
        "a partial": lambda X, p: wrapped(X, p)[0],
        "the engine's forward": lambda X, p: ll.engine.lstm_forward(X, p)[0],
    }
    for how, answer in tries.items():
        ok, out = _check("lstm_sequence", answer)
        assert not ok and "lstm_forward" in out, (how, out)

    def lstm_sequence(X, p):
        h = c = np.zeros((X.shape[1], p.hidden_size))
        Hs = []
        for x in X:
            s = ll.lstm_step(x, h, c, p)
            h, c = s.h, s.c
            Hs.append(h)
        return np.stack(Hs)

    assert _check("lstm_sequence", lstm_sequence)[0]
    assert sys.getprofile() is None


def test_numbers_that_differ_are_shown_with_the_digits_that_differ():
    def rnn_step(x, h_prev, W_x, W_h, b):
        return np.tanh(x @ W_x + h_prev @ W_h + b) * (1 + 1e-6)  # off by more than rtol = 1e-7

    ok, out = _check("rnn_step", rnn_step)
    want, got = re.search(r"expected (\S+?)(?: at index \(.*?\))?, but got (\S+)\.", out).groups()
    assert not ok and want != got and abs(float(got) / float(want) - 1 - 1e-6) < 1e-7, out


@pytest.mark.parametrize("name", sorted(n for n, e in ll.exercises._REGISTRY.items() if e.own))
def test_every_reference_that_uses_lstmlearns_answer_is_refused_as_a_learners(name):
    """The reference answers are lstmlearn's own functions (or call them): handed in as a learner's
    function, through a wrapper, each must be refused, and only for that reason."""
    ex = ll.exercises._REGISTRY[name]

    def learner(**kwargs):
        return ex.reference(**kwargs)

    ok, out = _check(name, learner)
    assert not ok and "calls lstmlearn's own" in out, out
    assert any(f"`{f.__module__}.{f.__qualname__}`" in out for f in ex.own)


# --- notebook 10: a minGRU step, the scan's combine step, the reverse-scan backward -----------------


def _min_gru_parts(x, p):
    H = p.W.shape[1] // 2
    z = x @ p.W + p.b
    return 1 / (1 + np.exp(-z[:, :H])), z[:, H:]


def test_min_gru_step_with_the_lstms_tanh_gets_the_candidate_hint():
    def min_gru_step(x, h_prev, p):
        i, g = _min_gru_parts(x, p)
        return (1 - i) * h_prev + i * np.tanh(g)

    ok, out = _check("min_gru_step", min_gru_step)
    assert not ok and "no tanh" in out.split("Hint:", 1)[1]


def test_min_gru_step_with_the_gate_on_the_wrong_side_gets_the_hint():
    def min_gru_step(x, h_prev, p):
        i, g = _min_gru_parts(x, p)
        return i * h_prev + (1 - i) * g  # the course's GRU keeps z of the old state; here i is written

    ok, out = _check("min_gru_step", min_gru_step)
    assert not ok and "keeps 1 - i of the old state" in out


def test_min_gru_step_that_calls_lstmlearn_is_refused_and_the_right_one_passes():
    ok, out = _check("min_gru_step", lambda x, h_prev, p: ll.min_rnn_step(x, h_prev, p, "gru").h)
    assert not ok and "lstmlearn's own" in out and "min_rnn_step" in out

    def min_gru_step(x, h_prev, p):
        i, g = _min_gru_parts(x, p)
        return (1 - i) * h_prev + i * g

    assert _check("min_gru_step", min_gru_step)[0]


def test_combine_in_the_wrong_order_is_refused_with_the_order_hint():
    def combine(left, right):
        (a, b), (a2, b2) = left, right
        return a * a2, a * b2 + b  # the second step applied first

    ok, out = _check("scan_combine", combine)
    assert not ok and "the second step's a'" in out
    ok, out = _check("scan_combine", lambda left, right: (left[0] * right[0], left[1] + right[1]))
    assert not ok and "a' b + b', not b + b'" in out


def test_combine_that_calls_lstmlearn_is_refused_and_the_right_one_passes():
    ok, out = _check("scan_combine", lambda left, right: ll.scan.combine(left, right))
    assert not ok and "lstmlearn's own" in out
    assert _check("scan_combine", lambda left, right: (left[0] * right[0], right[0] * left[1] + right[1]))[0]


def _learner_backward(dy, a, h, shift=True, h_before=True):
    """A learner's loop for the reverse scan; shift=False uses a_t where a_{t+1} belongs,
    h_before=False multiplies by h_t instead of h_{t-1}."""
    T = len(dy)
    dh = np.zeros_like(dy)
    for t in reversed(range(T)):
        later = 0.0 if t == T - 1 else (a[t + 1] if shift else a[t]) * dh[t + 1]
        dh[t] = dy[t] + later
    h_prev = np.concatenate([np.zeros_like(h[:1]), h[:-1]])
    return dh * (h_prev if h_before else h), dh


def test_the_reverse_scan_with_a_t_instead_of_a_t_plus_1_gets_the_shift_hint():
    ok, out = _check("scan_backward", lambda dy, a, h: _learner_backward(dy, a, h, shift=False))
    assert not ok and "a_{t+1}, the next step's decay" in out


def test_the_reverse_scan_with_h_t_in_da_gets_the_state_before_hint():
    ok, out = _check("scan_backward", lambda dy, a, h: _learner_backward(dy, a, h, h_before=False))
    assert not ok and "the state before the step" in out


def test_the_backward_without_the_later_steps_is_refused():
    ok, out = _check("scan_backward", lambda dy, a, h: (dy * np.concatenate([np.zeros_like(h[:1]), h[:-1]]), dy))
    assert not ok and "dy_t plus what comes back" in out


def test_the_reverse_scan_that_calls_lstmlearn_is_refused_and_a_learners_loop_passes():
    ok, out = _check("scan_backward", lambda dy, a, h: tuple(ll.scan_backward(dy, a, h)[:2]))
    assert not ok and "lstmlearn's own" in out and "scan_backward" in out
    assert _check("scan_backward", _learner_backward)[0]


# --- notebook 11 -------------------------------------------------------------------------------


def test_an_unstabilised_slstm_step_is_refused_with_the_stabiliser_hint():
    def slstm_stabilised_step(i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev):
        with np.errstate(over="ignore", invalid="ignore"):
            i, f = np.exp(i_tilde), ll.sigmoid(f_tilde)  # the sLSTM without its stabiliser
            c = f * c_prev + i * np.tanh(z_tilde)
            n = f * n_prev + i
            return ll.sigmoid(o_tilde) * c / n, c, n, np.zeros_like(c)

    ok, out = _check("slstm_stabilised_step", slstm_stabilised_step)
    assert not ok and "exp(i~) alone overflows" in out


def test_an_slstm_step_right_but_for_h_is_refused():
    def slstm_stabilised_step(i_tilde, f_tilde, z_tilde, o_tilde, c_prev, n_prev, m_prev):
        log_f = -np.logaddexp(0, -f_tilde)
        m = np.maximum(log_f + m_prev, i_tilde)
        i, f = np.exp(i_tilde - m), np.exp(log_f + m_prev - m)
        c = f * c_prev + i * np.tanh(z_tilde)
        n = f * n_prev + i
        return ll.sigmoid(o_tilde) * np.tanh(c), c, n, m  # the LSTM's readout, not c / n

    ok, out = _check("slstm_stabilised_step", slstm_stabilised_step)
    assert not ok and "result 1 of 4" in out


def test_a_memory_written_as_k_v_transposed_gets_the_outer_product_hint():
    def mlstm_write_read(C_prev, n_prev, q, k, v, i, f, m, eps):
        C = f * C_prev + i * k[:, None] * v[None, :]  # k v^T
        n = f * n_prev + i * k
        return C, n, C @ q / (max(abs(n @ q), np.exp(-m)) + eps)

    ok, out = _check("mlstm_write_read", mlstm_write_read)
    assert not ok and "np.outer(v, k)" in out


def test_a_decay_mask_without_its_causal_zeros_or_with_f_s_is_refused():
    def full(I_tilde, F_tilde):
        cum = np.cumsum(-np.logaddexp(0, -F_tilde))
        log_D = cum[:, None] - cum[None, :] + I_tilde[None, :]
        return np.exp(log_D - log_D.max(axis=1, keepdims=True))

    ok, out = _check("decay_mask", full)
    assert not ok and "the mask is causal" in out

    def from_s(I_tilde, F_tilde):
        log_f = -np.logaddexp(0, -F_tilde)
        cum = np.concatenate([[0.0], np.cumsum(log_f)])[:-1]  # sum_{r<t}: one step late on both sides
        T = len(cum)
        log_D = np.where(np.tri(T, dtype=bool), cum[:, None] - cum[None, :] + I_tilde[None, :], -np.inf)
        return np.exp(log_D - log_D.max(axis=1, keepdims=True))

    assert not _check("decay_mask", from_s)[0]

    def right(I_tilde, F_tilde):
        cum = np.cumsum(-np.logaddexp(0, -F_tilde))
        T = len(cum)
        log_D = np.where(np.tri(T, dtype=bool), cum[:, None] - cum[None, :] + I_tilde[None, :], -np.inf)
        return np.exp(log_D - log_D.max(axis=1, keepdims=True))

    assert _check("decay_mask", right)[0]
