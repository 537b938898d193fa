"""The code passes the linter configured in pyproject.toml ([tool.ruff])."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed (pip install -e '.[dev]')")
def test_ruff_check_passes():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", str(ROOT)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, f"ruff check found problems (fix them, or run ruff check --fix):\n{run.stdout}{run.stderr}"


# The modules of the equations and the engine. (The rest of the package is meant to follow;
# widen this list to every module as they are documented.)
DOCUMENTED = ("lstmlearn", "lstmlearn._checks", "lstmlearn.activations", "lstmlearn.params", "lstmlearn.pytorch_layout",
              "lstmlearn.rnn", "lstmlearn.lstm", "lstmlearn.bptt", "lstmlearn.gru", "lstmlearn.variants",
              "lstmlearn.engine", "lstmlearn.engine.lstm", "lstmlearn.engine.rnn", "lstmlearn.engine.gru",
              "lstmlearn.engine.variants", "lstmlearn.cores",
              "lstmlearn.gradflow", "lstmlearn.exercises.backprop")


def _undocumented(module):
    import inspect

    found = []
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if obj.__doc__ is None or (inspect.isclass(obj) and obj.__doc__.startswith(f"{name}(")):  # a bare NamedTuple
            found.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                fn = getattr(member, "__func__", member)
                if not attr.startswith("_") and (inspect.isfunction(fn) or isinstance(fn, property)) and not fn.__doc__:
                    found.append(f"{name}.{attr}")
    return found


@pytest.mark.parametrize("name", DOCUMENTED)
def test_every_public_function_and_class_has_a_docstring(name):
    import importlib

    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"
    assert not _undocumented(module), f"{name}: no docstring for {_undocumented(module)}"
