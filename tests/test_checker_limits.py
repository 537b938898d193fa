"""The exercise checker's limits: an answer whose result cannot be read is the answer's failure,
and a C call that holds the interpreter past the time limit is reported as such."""

import ctypes
import os
import time

import numpy as np
import pytest

from lstmlearn import exercises as ex


class Unreadable:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no numbers here")


def test_a_result_whose_array_raises_is_the_answers_failure(capsys):
    result = ex.check("sigmoid", lambda z: Unreadable())
    out = capsys.readouterr().out
    assert not result and "checker itself failed" not in out
    assert "your function returned a Unreadable" in out and "RuntimeError: no numbers here" in out


def _hold_the_interpreter(seconds: float) -> None:
    """A C call that keeps the GIL for `seconds` (ctypes.PyDLL does not release it)."""
    ctypes.PyDLL(None).usleep(int(seconds * 1e6))


@pytest.mark.skipif(os.name == "nt", reason="usleep from the C library")
@pytest.mark.parametrize("then", ["loops", "returns the answer"])
def test_a_call_holding_the_interpreter_past_the_limit_is_reported_as_uninterruptible(capsys, then):
    def sigmoid(z):
        _hold_the_interpreter(2.5)
        while then == "loops":
            pass
        return 1 / (1 + np.exp(-z))

    t0 = time.perf_counter()
    result = ex.check("sigmoid", sigmoid, time_limit=0.2)
    out = capsys.readouterr().out
    assert not result and time.perf_counter() - t0 < 10
    assert "did not return within 0.2 s" in out and "can interrupt" in out and "holds Python's interpreter" in out


def test_a_function_stopped_in_time_gets_no_such_note(capsys):
    def sigmoid(z):
        while True:
            pass

    assert not ex.check("sigmoid", sigmoid, time_limit=0.2)
    out = capsys.readouterr().out
    assert "did not return within 0.2 s" in out and "holds Python's interpreter" not in out
