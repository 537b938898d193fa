"""lstmlearn course DIR: lays out the course, opens with one command, and never overwrites your work."""

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lstmlearn import course
from lstmlearn.course import MANIFEST, lay_out
from lstmlearn.learner_copies import STUB_TAG

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def _run(*args, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "LSTMLEARN_DATA"}
    return subprocess.run(
        [sys.executable, "-m", "lstmlearn", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def _status(placed):
    return {p.path: p.status for p in placed}


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    dest = tmp_path_factory.mktemp("course") / "my-lstm-course"
    return dest, lay_out(dest)


def test_lays_out_every_notebook_and_the_data(laid_out):
    dest, placed = laid_out
    assert sorted(p.name for p in dest.glob("*.ipynb")) == NOTEBOOKS
    for name in NOTEBOOKS:
        assert (dest / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
    shipped = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "data").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }
    assert {p.relative_to(dest).as_posix() for p in (dest / "data").rglob("*") if p.is_file()} == shipped
    assert set(_status(placed).values()) == {"added"}
    manifest = json.loads((dest / MANIFEST).read_text())
    assert manifest["learner"] is False and set(manifest["files"]) == set(_status(placed))


def test_second_run_changes_nothing(laid_out):
    dest, _ = laid_out
    before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    again = lay_out(dest)
    assert set(_status(again).values()) == {"unchanged"}
    assert {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()} == before


def test_rerun_keeps_your_edits_and_writes_the_course_version_beside_them(tmp_path):
    dest = tmp_path / "c"
    lay_out(dest)
    mine = dest / "03_gates.ipynb"
    mine.write_text(mine.read_text().replace("Gates", "Gates (my notes)", 1))
    edited = mine.read_bytes()
    (dest / "05_lstm_step_by_step.ipynb").unlink()  # deleted: comes back
    placed = _status(lay_out(dest))
    assert mine.read_bytes() == edited
    assert placed["03_gates.ipynb"] == "kept" and placed["05_lstm_step_by_step.ipynb"] == "added"
    beside = dest / "03_gates.new.ipynb"
    assert beside.read_bytes() == (ROOT / "notebooks" / "03_gates.ipynb").read_bytes()
    # a third run: still yours, the copy beside it is not duplicated
    assert _status(lay_out(dest))["03_gates.ipynb"] == "kept" and not (dest / "03_gates.new-2.ipynb").exists()
    # you edit the copy beside it too: the course's version goes to the next free name
    beside.write_text("{}")
    lay_out(dest)
    assert beside.read_text() == "{}" and (dest / "03_gates.new-2.ipynb").is_file()
    assert mine.read_bytes() == edited


def test_a_file_you_did_not_change_is_updated_when_the_course_changes(tmp_path):
    shipped = tmp_path / "shipped"
    for sub in ("notebooks", "data/eval", "data/results"):
        (shipped / sub).mkdir(parents=True)
    nb = shipped / "notebooks" / "00_x.ipynb"
    nb.write_text("version 1")
    (shipped / "data" / "eval" / "a.npz").write_bytes(b"a")
    dest = tmp_path / "c"
    lay_out(dest, root=shipped)
    nb.write_text("version 2")
    assert _status(lay_out(dest, root=shipped)) == {
        "00_x.ipynb": "updated",
        "data/eval/a.npz": "unchanged",
        "HELP.md": "unchanged",
    }
    assert (dest / "00_x.ipynb").read_text() == "version 2"


def test_files_present_before_the_first_run_are_never_overwritten(tmp_path):
    dest = tmp_path / "c"
    dest.mkdir()
    (dest / "00_start_here.ipynb").write_text("a learner's own file of that name")
    placed = _status(lay_out(dest))
    assert (dest / "00_start_here.ipynb").read_text() == "a learner's own file of that name"
    assert placed["00_start_here.ipynb"] == "kept" and (dest / "00_start_here.new.ipynb").is_file()


def test_learner_copies_have_no_solutions(tmp_path):
    dest = tmp_path / "learner"
    lay_out(dest, learner=True)
    nb = nbformat.read(dest / "03_gates.ipynb", as_version=4)
    tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
    assert "solution" not in tags and STUB_TAG in tags
    assert not (dest / "solutions").exists()
    assert json.loads((dest / MANIFEST).read_text())["learner"] is True
    assert set(_status(lay_out(dest, learner=True)).values()) == {"unchanged"}


def test_command_prints_what_it_did_and_the_command_that_opens_it(tmp_path):
    run = _run("course", "my-lstm-course", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    notebooks = len(list((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")))
    assert f"added: {notebooks} notebooks" in run.stdout and run.stderr == ""
    last = run.stdout.strip().splitlines()[-1].strip()
    assert last.endswith(" lab my-lstm-course"), last
    program = last.removesuffix(" lab my-lstm-course").removesuffix(" -m lstmlearn")
    assert program == "lstmlearn" or Path(tmp_path, program).exists() or Path(program).exists(), program
    again = _run("course", "my-lstm-course", cwd=tmp_path)
    assert again.returncode == 0 and f"unchanged: {notebooks} notebooks" in again.stdout and "added" not in again.stdout


def test_open_command_uses_this_environments_lstmlearn_lab(monkeypatch, tmp_path):
    env = tmp_path / "env" / "bin"
    env.mkdir(parents=True)
    (env / "python").write_text("")
    monkeypatch.setattr(sys, "executable", str(env / "python"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert course.open_command("my course") == "env/bin/python -m lstmlearn lab 'my course'"  # no script
    (env / "lstmlearn").write_text("")
    (env / "lstmlearn").chmod(0o755)
    assert course.open_command("c") == "env/bin/lstmlearn lab c"  # not activated: its path
    monkeypatch.setenv("PATH", str(env))
    assert course.open_command("c") == "lstmlearn lab c"  # activated: just lstmlearn


def test_the_summary_counts_notebooks_solutions_data_and_the_help_page_apart(laid_out):
    dest, placed = laid_out
    solutions = len(list((ROOT / "notebooks" / "solutions").glob("*.py")))
    data = sum(1 for p in (dest / "data").rglob("*") if p.is_file())
    assert solutions and data
    text = course.summary(placed, dest, learner=False)
    assert (
        f"  added: {len(NOTEBOOKS)} notebooks, {solutions} solution files, {data} data files and 1 help page" in text
    ), text
    again = course.summary(lay_out(dest), dest, learner=False)
    assert f"  unchanged: {len(NOTEBOOKS)} notebooks, {solutions} solution files," in again
    only = [course.Placed("data/x.json", "updated")]
    assert course.summary(only, dest, learner=True).splitlines()[1] == "  updated: 1 data file"


def test_the_help_page_says_how_to_open_check_see_a_solution_and_reset(laid_out, tmp_path):
    import lstmlearn as ll
    from lstmlearn.__main__ import COMMANDS

    dest, _ = laid_out
    text = (dest / "HELP.md").read_text()
    for command in ("lab", "doctor", "course"):  # every command it names is one the package has
        assert f"`lstmlearn {command} " in text or f"`lstmlearn {command}`" in text, command
        assert command in COMMANDS
    assert "ll.exercises.solution(" in text and callable(ll.exercises.solution)
    (dest / "03_gates.ipynb").unlink()  # reset a notebook as the page says: delete it, lay out again
    placed = {p.path: p.status for p in lay_out(dest)}
    assert placed["03_gates.ipynb"] == "added"
    assert (dest / "03_gates.ipynb").read_bytes() == (ROOT / "notebooks" / "03_gates.ipynb").read_bytes()
    learner = tmp_path / "learner"
    lay_out(learner, learner=True)
    assert (learner / "HELP.md").read_text() == text  # a workshop copy has it too


@pytest.mark.parametrize("case", ["file", "course-notebooks", "course-data", "course-root"])
def test_misuse_is_one_line_with_status_2(tmp_path, case, capsys):
    target = {
        "file": str(tmp_path / "a-file"),
        "course-notebooks": str(ROOT / "notebooks"),
        "course-data": str(ROOT / "data" / "eval"),
        "course-root": str(ROOT),
    }[case]
    (tmp_path / "a-file").write_text("x")
    assert course.main([target]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and err.startswith("lstmlearn course: error:"), err


def test_missing_folder_argument_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit:
        course.main([])
    assert exit.value.code == 2 and "dir" in capsys.readouterr().err


def test_a_file_that_cannot_be_written_is_one_line_with_status_1(tmp_path, monkeypatch, capsys):
    def refuse(path, content):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(course, "_write_atomically", refuse)
    assert course.main([str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "could not write" in err and "Permission denied" in err


def test_help_and_usage():
    assert _run("--help").returncode == 0
    run = _run("frobnicate")
    assert run.returncode == 2 and "course" in run.stdout and "unknown command 'frobnicate'" in run.stderr


def test_solutions_released_later_keep_the_learners_work(tmp_path):
    """Learner copies first; the same command without --learner later hands out the solutions."""
    dest = tmp_path / "c"
    lay_out(dest, learner=True)
    worked = dest / "03_gates.ipynb"
    worked.write_text(worked.read_text().replace("not included in this copy", "my answer", 1))
    mine = worked.read_bytes()
    placed = _status(lay_out(dest))
    assert placed["03_gates.ipynb"] == "kept" and worked.read_bytes() == mine
    assert (dest / "03_gates.new.ipynb").read_bytes() == (ROOT / "notebooks" / "03_gates.ipynb").read_bytes()
    assert placed["04_cell_state.ipynb"] == "updated"
    shipped = ROOT / "notebooks" / "solutions" / "03_gates.py"
    assert (
        placed["solutions/03_gates.py"] == "added"
        and (dest / "solutions" / "03_gates.py").read_bytes() == shipped.read_bytes()
    )
    assert (dest / "04_cell_state.ipynb").read_bytes() == (ROOT / "notebooks" / "04_cell_state.ipynb").read_bytes()


def test_a_damaged_manifest_keeps_every_differing_file(tmp_path):
    dest = tmp_path / "c"
    lay_out(dest)
    (dest / "01_gradients_and_rnns.ipynb").write_text("changed")
    for damaged in ("not json", "[]", '{"files": [1, 2]}'):
        (dest / MANIFEST).write_text(damaged)
        placed = _status(lay_out(dest))
        assert placed["01_gradients_and_rnns.ipynb"] == "kept"
        assert (dest / "01_gradients_and_rnns.ipynb").read_text() == "changed"


def test_a_full_copy_shows_solutions_on_request(laid_out, monkeypatch, capsys):
    import lstmlearn as ll

    dest, _ = laid_out
    monkeypatch.chdir(dest)  # where the notebook's kernel runs
    ll.exercises.solution("sigmoid")
    out = capsys.readouterr().out
    assert out.startswith("Solution of sigmoid") and "def " in out


# --- permissions, a killed copy, and what is in the way -------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_files_get_the_permissions_of_a_normal_copy(tmp_path):
    old = os.umask(0o022)
    try:
        lay_out(tmp_path / "c", learner=True)
    finally:
        os.umask(old)
    modes = {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "c").rglob("*") if p.is_file()}
    assert modes == {"0o644"}


def test_the_temporaries_of_a_killed_copy_are_removed_on_the_next_run(tmp_path):
    from lstmlearn import atomic

    dest = tmp_path / "c"
    lay_out(dest, learner=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = [dest / atomic.temporary_name(dest / NOTEBOOKS[0], dead.pid, "ab12cd34")]
    left.append(dest / "data" / atomic.temporary_name(dest / MANIFEST, dead.pid, "ab12cd35"))  # not the manifest's
    left.append(dest / atomic.temporary_name(dest / MANIFEST, dead.pid, "ab12cd36"))
    for path in left:
        path.write_bytes(b"half")
    lay_out(dest, learner=True)
    assert [p.exists() for p in left] == [False, True, False]


@pytest.mark.parametrize(
    "make, named",
    [
        (lambda d: (d.parent / "gone").rmdir() or d.symlink_to(d.parent / "gone"), "does not exist"),
        (lambda d: d.mkdir() or (d / "data").write_text("x"), "data is a file"),
        (lambda d: d.mkdir() or (d / MANIFEST).mkdir(), "lstmlearn-course.json is a folder"),
    ],
    ids=["dangling-link", "data-is-a-file", "manifest-is-a-folder"],
)
def test_what_is_in_the_way_is_named(tmp_path, make, named, capsys):
    (tmp_path / "gone").mkdir()
    dest = tmp_path / "c"
    make(dest)
    assert course.main([str(dest)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and named in err, err
    assert ("move it away" in err or "remove the link" in err) and ".tmp" not in err


def test_a_write_that_fails_names_the_destination_never_a_temporary(tmp_path, monkeypatch, capsys):
    from lstmlearn import atomic

    def read_only(src, dst):
        raise PermissionError(13, "Permission denied", src)  # as os.replace names it: the temporary

    monkeypatch.setattr(atomic.os, "replace", read_only)
    assert course.main([str(tmp_path / "c"), "--learner"]) == 1
    err = capsys.readouterr().err
    assert ".tmp" not in err and str(tmp_path / "c") in err and "choose a folder of your own" in err, err
    assert not [p for p in (tmp_path / "c").rglob("*.tmp")]


def test_a_folder_replaced_by_a_file_is_named(tmp_path):
    from lstmlearn import atomic

    (tmp_path / "data").write_text("in the way")
    with pytest.raises(OSError) as caught:
        atomic.atomic_write_bytes(tmp_path / "data" / "x.txt", b"x")
    assert caught.value.filename == str(tmp_path / "data" / "x.txt")
    assert "(a file is in the way" in course._advice(OSError(errno.ENOTDIR, "Not a directory"))


def test_an_installed_course_can_be_stripped_of_its_solutions(tmp_path):
    package = tmp_path / "lstmlearn"
    for rel in ("_course/notebooks/solutions/s01.py", "_course/notebooks/01_x.ipynb", "_course/data/d.txt"):
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text("{}")
    clone_solutions = ROOT / "notebooks" / "solutions"
    assert course.strip_installed_solutions(package) == package / "_course" / "notebooks" / "solutions"
    assert not (package / "_course" / "notebooks" / "solutions").exists()
    assert (package / "_course" / "notebooks" / "01_x.ipynb").exists()
    assert course.strip_installed_solutions(package) is None  # nothing left to remove
    files = course.shipped_files(learner=False, root=package / "_course")
    assert not [name for name in files if name.startswith("solutions/")]
    assert clone_solutions.is_dir() and course.strip_installed_solutions(ROOT) is None  # a clone is never touched
