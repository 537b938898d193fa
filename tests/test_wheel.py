"""The wheel is the whole course, with no clone: build it, install it, lay out the course, run it.

Builds the sdist and the wheel from it with the standard `build` package, installs the
wheel (not editable) into a fresh virtual environment outside the repository, lays out the
course with the installed `lstmlearn course` command, and executes every notebook of the
laid-out copy with nbval there, with nothing of this checkout on the path. It needs the
package index to install the wheel's dependencies, and takes a few minutes (most of it the
notebooks and the install).
"""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = "Scripts" if os.name == "nt" else "bin"


def _run(args, cwd, timeout=1800, env=None):
    run = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert run.returncode == 0, (
        f"{' '.join(map(str, args))} exited with {run.returncode}\n"
        f"--- stdout (end)\n{run.stdout[-4000:]}\n--- stderr (end)\n{run.stderr[-4000:]}"
    )
    return run


def _course_files():
    """What the wheel must carry: every notebook, its solutions, and every file under data/."""
    files = {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    files |= {f"notebooks/solutions/{p.name}" for p in (ROOT / "notebooks" / "solutions").glob("*.py")}
    files |= {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "data").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }
    return files


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(work folder, environment without this checkout, the venv's bin folder)."""
    work = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "build", "--outdir", work / "dist", ROOT], cwd=work)
    wheels = list((work / "dist").glob("lstmlearn-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as whl:
        names = whl.namelist()
        shipped = {n.removeprefix("lstmlearn/_course/") for n in names if n.startswith("lstmlearn/_course/")}
        entry_points = next(whl.read(n).decode() for n in whl.namelist() if n.endswith("entry_points.txt"))
    assert shipped == _course_files()
    assert "lstmlearn/jupyter_config/labconfig/default_setting_overrides.json" in names  # lstmlearn lab's defaults
    assert "lstmlearn = lstmlearn.__main__:main" in entry_points
    _run([sys.executable, "-m", "venv", work / "venv"], cwd=work)
    bindir = work / "venv" / BIN
    _run([bindir / "python", "-m", "pip", "install", "--quiet", wheels[0], "pytest", "nbval"], cwd=work)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LSTMLEARN_DATA", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != ROOT / ".venv" / BIN)
    where = _run([bindir / "python", "-c", "import lstmlearn; print(lstmlearn.__file__)"], cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(work / "venv"), where.stdout  # the wheel, not this checkout
    return work, env, bindir


def test_installed_wheel_lays_out_a_course_in_which_every_notebook_runs(installed):
    work, env, bindir = installed
    first = _run([bindir / "lstmlearn", "course", "my-lstm-course"], cwd=work, env=env)
    notebooks = len(list((ROOT / "notebooks").glob("*.ipynb")))
    assert f"added: {notebooks} notebooks" in first.stdout
    # not activated: the command printed opens it with this environment's own lstmlearn lab
    lstmlearn = (bindir / "lstmlearn").relative_to(work)
    assert first.stdout.strip().splitlines()[-1].strip() == f"{lstmlearn} lab my-lstm-course"
    again = _run([bindir / "lstmlearn", "course", "my-lstm-course"], cwd=work, env=env)
    assert f"unchanged: {notebooks} notebooks" in again.stdout and "added" not in again.stdout
    course = work / "my-lstm-course"
    (course / "pytest.ini").write_text("[pytest]\n")  # no configuration from anywhere else
    _run(
        [
            bindir / "python",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            ROOT / "notebooks" / "nbval_sanitize.cfg",
            ".",
        ],
        cwd=course,
        env=env,
    )


def test_installed_wheel_lays_out_learner_copies_and_passes_the_doctor(installed):
    work, env, bindir = installed
    _run([bindir / "python", "-m", "lstmlearn", "course", "learner", "--learner"], cwd=work, env=env)
    copy = json.loads((work / "learner" / "03_gates.ipynb").read_text())
    tags = [t for cell in copy["cells"] for t in cell.get("metadata", {}).get("tags", [])]
    assert "solution" not in tags and "solution-removed" in tags
    doctor = _run([bindir / "python", "-m", "lstmlearn", "doctor"], cwd=work, env=env)
    assert "[FAIL]" not in doctor.stdout
    assert f"{(bindir / 'lstmlearn').relative_to(work)} lab my-lstm-course" in doctor.stdout
