"""`python -m lstmlearn course DIR`: your own copy of the course, to work in.

    lstmlearn course my-lstm-course              the notebooks, their solutions (solutions/) and data
    lstmlearn course my-lstm-course --learner    the same without the solutions (for a workshop)

The notebooks go into DIR with a short HELP.md, the data they read into DIR/data (where
`ll.data_dir()` finds it), and the command prints the one command that opens DIR in
JupyterLab (`lstmlearn lab DIR`, lstmlearn/lab.py). The shipped
notebooks stay as they are; you work, run and save in your copy.

Running it again on the same DIR adds what is missing and never overwrites your work. DIR
keeps a manifest, .lstmlearn-course.json, with the SHA-256 of every file as it was laid
out. For each file of the course:

    not in DIR                             written
    in DIR, same content as the course     left alone
    in DIR, unchanged since it was laid    replaced by the course's version (an update)
      out, and the course has changed
    in DIR, changed by you                 kept; the course's version is written beside it,
      (or not laid out by this command)    as NAME.new.EXT (NAME.new-2.EXT, ... if that is taken)

Files are written atomically (lstmlearn.atomic): a copy that is killed leaves every file
whole, and the next run removes the temporaries it left. They get the permissions a normal
copy would (0644 under umask 022), so a copy in a shared class folder can be read by all.

Exit status: 0 when the course is laid out, 2 for a misuse (DIR is a file, a dangling link,
the course's own folder, or something in the way of DIR/data or the manifest), 1 when a file
cannot be written (the message names it, and says what to do).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from .atomic import atomic_write_bytes, remove_orphans
from .paths import course_root

MANIFEST = ".lstmlearn-course.json"
PROG = "lstmlearn course"
HELP = "HELP.md"
HELP_TEXT = """\
# Help for your copy of the LSTM course

**Open the course.** In a terminal, in this folder, run `lstmlearn lab .` (or
`python -m lstmlearn lab .`, with the Python of the environment the course is installed in).
JupyterLab opens in your browser; start with `00_start_here.ipynb`. On a JupyterHub the
course is already open.

**Check the setup.** `lstmlearn doctor` checks Python, the packages and JupyterLab, and says
how to fix whatever fails.

**Run a notebook.** Run cells from top to bottom with Shift + Enter. If something looks
wrong: *Kernel > Restart Kernel and Run All Cells*. Every notebook is deterministic, so you
see the numbers the text talks about.

**See a solution**, after trying: run `ll.exercises.solution("name")` in a new cell, with
the exercise's name from its check, `ll.exercises.check("name", ...)`; or open the file in
`solutions/`. A workshop copy (laid out with `--learner`) has no solutions: ask your
instructor.

**Reset a notebook.** Delete (or rename) it, then run `lstmlearn course .` in this folder:
it writes the course's version of every file that is missing. It never overwrites a file you
changed; the course's version goes beside yours, as `NAME.new.ipynb`.
"""
SKIP = {"__pycache__", ".ipynb_checkpoints", ".DS_Store"}


class Placed(NamedTuple):
    """What happened to one file of the course: `status` is added, updated, unchanged or kept.

    `path` is the file's place in DIR (relative); for a file you changed (status "kept"),
    `beside` is where the course's version went.
    """

    path: str
    status: str
    beside: str = ""


class CourseError(Exception):
    """A misuse of the course command: the message says what to do instead."""


def shipped_files(learner: bool = False, root: Path | None = None) -> dict:
    """{path in DIR: bytes} for every file of the course, as it would be laid out.

    Notebooks go to the top of DIR with HELP.md (how to open the course, check the setup, see
    a solution, reset a notebook), their solutions under solutions/, data under data/. With
    learner=True the notebooks are the solution-free copies of lstmlearn.learner_copies, and
    solutions/ is left out.
    """
    root = course_root() if root is None else Path(root)
    files = {}
    with tempfile.TemporaryDirectory(prefix="lstmlearn-course-") as tmp:
        notebooks = root / "notebooks"
        if learner:
            from .learner_copies import write_learner_copies

            write_learner_copies(notebooks, tmp)
            notebooks = Path(tmp)
        for path in sorted(notebooks.glob("*.ipynb")):
            files[path.name] = path.read_bytes()
    if not learner:  # ll.exercises.solution() reads solutions/ beside the notebooks
        for path in sorted((root / "notebooks" / "solutions").glob("*.py")):
            files[f"solutions/{path.name}"] = path.read_bytes()
    for path in sorted((root / "data").rglob("*")):
        rel = path.relative_to(root / "data")
        if path.is_file() and not (SKIP & set(rel.parts)) and not path.name.startswith("."):
            files[(Path("data") / rel).as_posix()] = path.read_bytes()
    files[HELP] = HELP_TEXT.encode()
    return files


def strip_installed_solutions(package: Path | None = None) -> Path | None:
    """Remove the solutions from an installed course (a hub's environment, a learners' image):
    after it, `lstmlearn course --learner` works as before, and no solution is left to print.

    Only the installed wheel's copy (lstmlearn/_course/notebooks/solutions) is removed, never a
    clone's notebooks/solutions. Returns the folder removed, or None if there was none.
    """
    from .paths import PACKAGE

    folder = Path(PACKAGE if package is None else package) / "_course" / "notebooks" / "solutions"
    if not folder.is_dir():
        return None
    shutil.rmtree(folder)
    return folder


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _write_atomically(path: Path, content: bytes) -> None:
    """Write through a temporary (lstmlearn.atomic): permissions as the umask says, and the
    temporaries of a killed earlier run removed."""
    atomic_write_bytes(path, content)


def _beside_names(rel: str):
    """NAME.new.EXT, then NAME.new-2.EXT, NAME.new-3.EXT, ..."""
    path = Path(rel)
    yield (path.parent / f"{path.stem}.new{path.suffix}").as_posix()
    n = 2
    while True:
        yield (path.parent / f"{path.stem}.new-{n}{path.suffix}").as_posix()
        n += 1


def _check_target(dest: Path, root: Path, learner: bool) -> None:
    if dest.is_symlink() and not dest.exists():
        raise CourseError(
            f"{dest} is a symbolic link to {os.readlink(dest)}, which does not exist: create that "
            f"folder, remove the link, or choose another folder, e.g. my-lstm-course"
        )
    if dest.exists() and not dest.is_dir():
        raise CourseError(f"{dest} is a file, not a folder: choose a folder for the course, e.g. my-lstm-course")
    resolved, shipped = dest.resolve(), root.resolve()
    for folder in (shipped, shipped / "notebooks", shipped / "data"):
        if resolved == folder or (folder != shipped and folder in resolved.parents):
            raise CourseError(
                f"{dest} is the course's own folder ({folder}): lay out your copy in a folder "
                "of its own, e.g. my-lstm-course"
            )
    for name, what in (("data", "folder"), ("solutions", "folder"), (MANIFEST, "file")):
        if name == "solutions" and learner:
            continue
        inside = dest / name
        if os.path.lexists(inside) and (inside.is_dir() != (what == "folder") or not inside.exists()):
            there = "a dangling symbolic link" if not inside.exists() else "a folder" if inside.is_dir() else "a file"
            raise CourseError(
                f"{inside} is {there}, where the course keeps its {name} {what}: move it away "
                f"(rename it) and run the command again"
            )


def lay_out(dest, learner: bool = False, root: Path | None = None) -> list:
    """Lay out the course in `dest` (created if needed); return a Placed for every file.

    Never overwrites a file you changed (see the module's docstring); running it twice in a
    row changes nothing the second time.
    """
    root = course_root() if root is None else Path(root)
    dest = Path(dest)
    _check_target(dest, root, learner)
    manifest_path = dest / MANIFEST
    recorded = {}
    if manifest_path.is_file():
        try:
            recorded = json.loads(manifest_path.read_text())["files"]
        except (ValueError, KeyError, TypeError):
            recorded = {}
        if not isinstance(recorded, dict):
            recorded = {}  # unreadable: every file that differs from the course then counts as yours, and is kept
    from . import __version__

    shipped = shipped_files(learner, root)
    placed, files = [], dict(recorded)
    try:
        for rel, content in shipped.items():
            digest = _digest(content)
            status, beside = _place(dest, rel, content, digest, recorded, files)
            placed.append(Placed(rel, status, beside))
    finally:  # record what was written even if a later file failed
        dest.mkdir(parents=True, exist_ok=True)
        record = {"lstmlearn": __version__, "learner": learner, "files": dict(sorted(files.items()))}
        _write_atomically(manifest_path, (json.dumps(record, indent=1) + "\n").encode())
    return placed


def _place(dest: Path, rel: str, content: bytes, digest: str, recorded: dict, files: dict):
    """Write one file where it belongs, or beside your version of it: (status, beside)."""
    target = dest / rel
    remove_orphans(target)  # what a killed earlier run left of it
    if not target.exists():
        _write_atomically(target, content)
        files[rel] = digest
        return "added", ""
    current = _digest(target.read_bytes())
    if current == digest:
        files[rel] = digest
        return "unchanged", ""
    if recorded.get(rel) == current:  # as this command laid it out: the course changed, you did not
        _write_atomically(target, content)
        files[rel] = digest
        return "updated", ""
    for name in _beside_names(rel):  # yours: keep it, and put the course's version beside it
        other = dest / name
        if other.exists():
            there = _digest(other.read_bytes())
            if there != digest and recorded.get(name) != there:
                continue  # you changed that one too
        if not other.exists() or _digest(other.read_bytes()) != digest:
            _write_atomically(other, content)
        files[name] = digest
        return "kept", name


def shown_path(path) -> str:
    """`path` as a command line should show it: relative to here when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def quote(text: str) -> str:
    """Quote one word for this platform's shell."""
    return subprocess.list2cmdline([text]) if os.name == "nt" else shlex.quote(text)


def own_command(script: str, module: str) -> str:
    """The command that runs this environment's `script` (e.g. jupyter), as the user should type it.

    Just `script` where the one on PATH is this environment's; its full path where the
    environment is not activated; `python -m module` where the script is not installed.
    """
    folder = Path(sys.executable).parent
    own = folder / (script + (".exe" if os.name == "nt" else ""))
    if own.is_file():
        on_path = shutil.which(script)
        try:
            if on_path and os.path.samefile(on_path, own):
                return script
        except OSError:
            pass
        text = shown_path(own)
        return quote(text if os.sep in text else "." + os.sep + text)
    return f"{quote(shown_path(sys.executable))} -m {module}"


def python_command() -> str:
    """This interpreter as the user should type it: `python` where that is it, else its path."""
    on_path = shutil.which("python")
    try:
        if on_path and os.path.samefile(on_path, sys.executable):
            return "python"
    except OSError:
        pass
    text = shown_path(sys.executable)
    return quote(text if os.sep in text else "." + os.sep + text)


def open_command(folder) -> str:
    """The one command that opens `folder` in this environment's JupyterLab, with the course's
    defaults (`lstmlearn lab`: no question about Jupyter news over the explorers)."""
    return f"{own_command('lstmlearn', 'lstmlearn')} lab {quote(str(folder))}"


KINDS = ("notebook", "solution file", "data file", "help page")  # in the order the summary counts them


def kind_of(path: str) -> str:
    """What a file of the course is, by its place in DIR: one of KINDS."""
    if path == HELP:
        return "help page"
    if path.startswith("solutions/"):
        return "solution file"
    return "notebook" if path.endswith(".ipynb") and "/" not in path else "data file"


def summary(placed: list, dest, learner: bool) -> str:
    """The report printed after laying out the course: how many of each kind were added,
    updated or left unchanged, and each file of yours that was kept."""
    counts = {}
    for p in placed:
        counts.setdefault(p.status, dict.fromkeys(KINDS, 0))[kind_of(p.path)] += 1
    which = "solution-free learner copies" if learner else "solutions in solutions/, for after trying"
    lines = [f"The course in {dest} ({which}):"]
    for status in ("added", "updated", "unchanged"):
        if status in counts:
            parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts[status].items() if n]
            lines.append(f"  {status}: " + (", ".join(parts[:-1]) + " and " if len(parts) > 1 else "") + parts[-1])
    for p in placed:
        if p.status == "kept":
            lines.append(f"  kept your changes to {p.path}; the course's version is beside it: {p.beside}")
    return "\n".join(lines)


def _advice(err: OSError) -> str:
    """What to do about an OSError while writing the course (or nothing)."""
    return {
        errno.ENOSPC: " (the disk is full: free some space and run the command again)",
        errno.EACCES: " (no permission to write there: choose a folder of your own, e.g. ~/my-lstm-course)",
        errno.EPERM: " (no permission to write there: choose a folder of your own, e.g. ~/my-lstm-course)",
        errno.EROFS: " (a read-only disk: choose a folder on a writable one)",
        errno.ENOTDIR: " (a file is in the way of its folder: move that file away and run the command again)",
        errno.EISDIR: " (a folder is in the way of that file: move it away and run the command again)",
    }.get(err.errno, "")


def main(argv=None) -> int:
    """`lstmlearn course DIR [--learner]`: lay out the course in DIR and print how to open it.

    Returns the exit status: 0 laid out, 1 a file could not be written, 2 a misuse.
    """
    import argparse

    ap = argparse.ArgumentParser(
        prog=PROG,
        description="Lay out your own copy of the course, to work in.",
        epilog="Run it again on the same folder to add what is missing; files you "
        "changed are kept, and the course's version goes beside them.",
    )
    ap.add_argument("dir", help="the folder for your copy, e.g. my-lstm-course (created if needed)")
    ap.add_argument(
        "--learner", action="store_true", help="lay out the notebooks without their solutions (for a workshop)"
    )
    args = ap.parse_args(argv)
    try:
        placed = lay_out(args.dir, learner=args.learner)
    except CourseError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        print(f"{PROG}: error: could not write{where}: {err.strerror or err}{_advice(err)}", file=sys.stderr)
        return 1
    print(summary(placed, args.dir, args.learner))
    print(f"\nOpen it with:\n  {open_command(args.dir)}")
    return 0
