"""The notebooks' self-checks: right answers pass, known mistakes get their hint, nothing crashes."""

import dataclasses
import re
import threading
import time
import warnings

import numpy as np
import pytest

from lstmlearn import exercises as ex
from lstmlearn.exercises import checker

NAMES = sorted(ex.exercises())


@pytest.fixture
def own_allowed(monkeypatch):
    """The references and known mistakes call lstmlearn's own answers (an exercise's `own`), which
    a check refuses (tested in test_exercise_hints.py); here they stand for a learner's numbers."""
    for name, e in list(ex._REGISTRY.items()):
        monkeypatch.setitem(ex._REGISTRY, name, dataclasses.replace(e, own=()))


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes(name, capsys, own_allowed):
    assert ex.check(name, ex._REGISTRY[name].reference)
    assert capsys.readouterr().out.startswith("Correct:")


@pytest.mark.parametrize("name,hint", [(n, h) for n in NAMES for h in ex._REGISTRY[n].mistakes])
def test_each_known_mistake_gets_its_hint(name, hint, capsys, own_allowed):
    wrong = ex._REGISTRY[name].mistakes[hint]
    assert not ex.check(name, wrong)
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and checker.plain(hint) in out  # printed as plain text: no emphasis stars


@pytest.mark.parametrize("name", NAMES)
def test_not_attempted_and_crashing_answers_never_raise(name, capsys):
    def stub(**kwargs):
        raise NotImplementedError

    assert not ex.check(name, lambda *a, **k: stub())
    assert capsys.readouterr().out.startswith("Not attempted yet:")
    assert not ex.check(name, lambda *a, **k: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert not ex.check(name, lambda *a, **k: None)
    assert "returned None" in capsys.readouterr().out
    assert not ex.check(name, None)
    assert not ex.check(name, 42)


def test_wrong_shape_and_unknown_exercise(capsys):
    assert not ex.check("sigmoid", lambda z: np.zeros(3))
    assert "expected shape ()" in capsys.readouterr().out
    assert not ex.check("no_such_exercise", lambda z: z)
    assert "there is no exercise called 'no_such_exercise'" in capsys.readouterr().out


def test_a_correct_learner_answer_written_differently():
    def sigmoid(z):
        return 0.5 * (1 + np.tanh(z / 2))  # sigma(z) = (1 + tanh(z/2)) / 2, safe for any z

    assert ex.check("sigmoid", sigmoid, verbose=False)

    def cell_update(f, i, g, c_prev):
        return i * g + c_prev * f

    assert ex.check("cell_update", cell_update, verbose=False)


# --- answers that only look right ----------------------------------------------------------


def clip_in_place(grads, max_norm):
    """Rescales the caller's arrays instead of returning new ones."""
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return grads, norm


def test_an_answer_that_changes_its_inputs_in_place_is_caught(capsys):
    assert not ex.check("clip_grad_norm", clip_in_place)
    out = capsys.readouterr().out
    assert "changed its input grads" in out and "Hint" not in out


def test_changing_p_in_place_is_named_as_such_not_blamed_on_the_gate_order(capsys, own_allowed):
    reference = ex._REGISTRY["lstm_step"].reference

    def lstm_step(x, h_prev, c_prev, p):
        h, c = reference(x, h_prev, c_prev, p)
        p.b[:] = 0.0  # e.g. a bias "reset" left in by mistake
        return h, c

    assert not ex.check("lstm_step", lstm_step)
    out = capsys.readouterr().out
    assert "changed its input p" in out and "gate order" not in out


def test_reference_and_learner_get_independent_deep_copies(monkeypatch):
    got = {}

    def reference(d):
        got["reference"] = d
        return d["a"] * 2

    def learner(d):
        got["learner"] = d
        return d["a"] * 2

    monkeypatch.setitem(
        ex._REGISTRY, "double", ex.Exercise("00", "2 a", reference, lambda rng: [dict(d={"a": np.ones(2)})])
    )
    assert ex.check("double", learner, verbose=False)
    assert got["reference"] is not got["learner"] and got["reference"]["a"] is not got["learner"]["a"]


def test_a_complex_answer_is_refused_even_with_the_right_real_part(capsys):
    with warnings.catch_warnings():  # as in a notebook, where numpy's ComplexWarning is only a warning
        warnings.simplefilter("ignore")
        assert not ex.check("sigmoid", lambda z: 1 / (1 + np.exp(-np.asarray(z))) + 0.5j)
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and "complex" in out


def test_a_text_answer_is_refused(capsys):
    assert not ex.check("copy_baseline", lambda T: str(10 * np.log(8) / (T + 20)))
    assert "str" in capsys.readouterr().out


# --- answers that never return -------------------------------------------------------------


def test_an_endless_loop_is_stopped_and_reported(capsys):
    ticks = [0]

    def sigmoid(z):
        while True:
            ticks[0] += 1

    before = threading.active_count()
    start = time.perf_counter()
    assert not ex.check("sigmoid", sigmoid, time_limit=0.5)
    assert time.perf_counter() - start < 5
    out = capsys.readouterr().out
    assert "did not return within 0.5 s" in out and "loop" in out
    time.sleep(0.2)
    stopped_at = ticks[0]
    time.sleep(0.2)
    assert ticks[0] == stopped_at  # the runaway computation was stopped, not left running
    assert threading.active_count() == before


def test_a_check_within_the_time_limit_keeps_its_result(own_allowed):
    assert ex.check("sigmoid", ex._REGISTRY["sigmoid"].reference, verbose=False, time_limit=5)


# --- what the learner reads ----------------------------------------------------------------


def test_not_attempted_says_to_run_this_same_cell(capsys):
    def sigmoid(z):
        raise NotImplementedError

    ex.check("sigmoid", sigmoid)
    out = capsys.readouterr().out
    assert out.startswith("Not attempted yet:") and "run this cell again" in out and "this check again" not in out


def test_in_a_notebook_the_message_is_shown_as_text_that_wraps_between_words(monkeypatch):
    shown = []
    monkeypatch.setattr(checker, "_in_notebook", lambda: True)
    monkeypatch.setattr(checker, "_display", lambda bundle: shown.append(bundle))

    def sigmoid(z):
        raise NotImplementedError

    result = ex.check("sigmoid", sigmoid)
    (bundle,) = shown
    assert bundle["text/plain"] == result.message
    html = bundle["text/html"]
    assert "word-break: normal" in html and "white-space: pre-wrap" in html
    assert "<code>raise NotImplementedError</code>" in html and "`" not in html


def test_verdicts_are_words_first_and_colour_second(capsys, own_allowed):
    """Right and wrong read apart without colour or emoji fonts: a word leads; in HTML it is also coloured."""
    from lstmlearn.exercises import checker

    good = ex.check("sigmoid", ex._REGISTRY["sigmoid"].reference, verbose=False).message
    bad = ex.check("sigmoid", lambda z: np.zeros_like(np.asarray(z, dtype=float)), verbose=False).message
    assert good.startswith("Correct: ") and bad.startswith("Not yet: ")
    assert all(ord(ch) < 0x2000 for ch in good + bad)  # no emoji, no symbol a missing font turns into a box
    html = checker._html(bad)
    assert html.count("<strong") == 1 and f'color: {checker.VERDICTS["Not yet:"]}">Not yet:</strong>' in html
    assert checker.VERDICTS["Correct:"] != checker.VERDICTS["Not yet:"]


def test_a_hints_emphasis_is_rendered_in_html_and_left_out_of_plain_text(monkeypatch, capsys, own_allowed):
    """'goes *against* the gradient' reads as emphasis in a notebook and as plain words elsewhere."""
    shown = []
    monkeypatch.setattr(checker, "_in_notebook", lambda: True)
    monkeypatch.setattr(checker, "_display", lambda bundle: shown.append(bundle))
    result = ex.check("gd_step", lambda w, grad, lr: np.asarray(w) + lr * np.asarray(grad))  # the wrong sign
    (bundle,) = shown
    assert "goes against the gradient: subtract lr * grad." in result.message and "*" not in result.message.replace(
        " * ", ""
    )
    assert bundle["text/plain"] == result.message
    assert "goes <em>against</em> the gradient: subtract lr * grad." in bundle["text/html"]
    monkeypatch.setattr(checker, "_in_notebook", lambda: False)
    ex.check("gd_step", lambda w, grad, lr: np.asarray(w) + lr * np.asarray(grad))
    assert "goes against the gradient" in capsys.readouterr().out
    # only a star that touches a word on its inside is emphasis; code spans are left as written
    assert checker.plain("`a *b* c` and *d*, h**2, lr * grad, *e f*") == "`a *b* c` and d, h**2, lr * grad, e f"
    assert checker._html("x**2 *y*").endswith(">x**2 <em>y</em></div>")


def test_no_hint_of_any_exercise_shows_a_star_that_is_not_arithmetic():
    hints = [(name, hint) for name, e in ex._REGISTRY.items() for hint in e.mistakes]
    assert any("*" in h for _, h in hints)  # some hints stress a word, so this looks at something
    for name, hint in hints:
        text = re.sub(r"`[^`]+`", "", checker.plain(hint)).replace("**", "").replace(" * ", "")
        assert "*" not in text, (name, checker.plain(hint))
