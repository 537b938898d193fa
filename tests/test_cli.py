"""python -m lstmlearn learner-copies: every misuse is one line on stderr and exit status 2."""

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from lstmlearn import learner_copies

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "python -m lstmlearn learner-copies: error:"


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def _run(capsys, monkeypatch):
    """_run(*args, cwd=...) -> Run: the command's main, in this process."""
    def run(*args, cwd):
        monkeypatch.chdir(cwd)
        try:
            code = learner_copies.main([str(a) for a in args])
        except SystemExit as exit:  # argparse's own usage errors
            code = exit.code
        out, err = capsys.readouterr()
        return Run(code, out, err)
    return run


def _one_line_error(run, *words):
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert run.stderr.startswith(PREFIX), run.stderr
    for word in words:
        assert word in run.stderr, (word, run.stderr)


@pytest.fixture
def notebooks(tmp_path):
    """A small course folder: two of the course's notebooks."""
    folder = tmp_path / "nbs"
    folder.mkdir()
    for name in ("00_start_here.ipynb", "03_gates.ipynb"):
        (folder / name).write_bytes((ROOT / "notebooks" / name).read_bytes())
    return folder


def test_missing_notebooks_folder(_run, tmp_path):
    _one_line_error(_run("--notebooks", tmp_path / "nowhere", "out", cwd=tmp_path), "nowhere", "does not exist")


def test_notebooks_folder_without_notebooks(_run, tmp_path):
    (tmp_path / "empty").mkdir()
    _one_line_error(_run("--notebooks", "empty", "out", cwd=tmp_path), "no notebooks")


def test_notebooks_argument_is_a_file(_run, tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    _one_line_error(_run("--notebooks", "a.ipynb", "out", cwd=tmp_path), "a.ipynb", "not a folder")


def test_output_is_the_input(_run, notebooks, tmp_path):
    _one_line_error(_run("--notebooks", notebooks, notebooks, cwd=tmp_path), "must differ")


def test_output_inside_the_input(_run, notebooks, tmp_path):
    _one_line_error(_run("--notebooks", notebooks, notebooks / "learner", cwd=tmp_path), "inside")
    assert not (notebooks / "learner").exists()


def test_output_is_an_existing_file(_run, notebooks, tmp_path):
    (tmp_path / "out").write_text("x")
    _one_line_error(_run("--notebooks", notebooks, "out", cwd=tmp_path), "out", "is a file")


def test_existing_different_files_are_not_overwritten(_run, notebooks, tmp_path):
    out = tmp_path / "out"
    assert _run("--notebooks", notebooks, out, cwd=tmp_path).returncode == 0
    again = _run("--notebooks", notebooks, out, cwd=tmp_path)  # the same copies again: fine
    assert again.returncode == 0, again.stderr
    (out / "03_gates.ipynb").write_text("an instructor's edited copy")
    _one_line_error(_run("--notebooks", notebooks, out, cwd=tmp_path), "03_gates.ipynb", "--overwrite")
    assert (out / "03_gates.ipynb").read_text() == "an instructor's edited copy"
    assert _run("--notebooks", notebooks, out, "--overwrite", cwd=tmp_path).returncode == 0
    assert (out / "03_gates.ipynb").read_text() != "an instructor's edited copy"


def test_without_notebooks_argument_it_uses_the_course_from_anywhere(_run, tmp_path):
    run = _run("copies", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert len(list((tmp_path / "copies").glob("*.ipynb"))) == len(list((ROOT / "notebooks").glob("*.ipynb")))


def test_missing_output_argument_is_a_usage_error(_run, tmp_path):
    run = _run(cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "out_dir" in run.stderr


def test_misuse_through_python_dash_m(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "LSTMLEARN_DATA"}
    run = subprocess.run([sys.executable, "-m", "lstmlearn", "learner-copies", "--notebooks", "nowhere", "out"],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    _one_line_error(run, "nowhere", "does not exist")
