"""The notebooks' self-checks: right answers pass, known mistakes get their hint, nothing crashes."""

import numpy as np
import pytest

from lstmlearn import exercises as ex

NAMES = sorted(ex.exercises())


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes(name, capsys):
    assert ex.check(name, ex._REGISTRY[name].reference)
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize("name,hint", [(n, h) for n in NAMES for h in ex._REGISTRY[n].mistakes])
def test_each_known_mistake_gets_its_hint(name, hint, capsys):
    wrong = ex._REGISTRY[name].mistakes[hint]
    assert not ex.check(name, wrong)
    out = capsys.readouterr().out
    assert out.startswith("❌") and hint in out


@pytest.mark.parametrize("name", NAMES)
def test_not_attempted_and_crashing_answers_never_raise(name, capsys):
    def stub(**kwargs):
        raise NotImplementedError

    assert not ex.check(name, lambda *a, **k: stub())
    assert "not attempted yet" in capsys.readouterr().out
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
    assert "There is no exercise called 'no_such_exercise'" in capsys.readouterr().out


def test_a_correct_learner_answer_written_differently():
    def sigmoid(z):
        return np.exp(z) / (1 + np.exp(z))

    assert ex.check("sigmoid", sigmoid, verbose=False)

    def cell_update(f, i, g, c_prev):
        return i * g + c_prev * f

    assert ex.check("cell_update", cell_update, verbose=False)
