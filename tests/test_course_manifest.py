"""notebooks/course.toml is the one place a notebook is registered: it agrees with the
exercises, explorers and records registries and with the sources, the parts generated from
it are in step, a broken entry is a clear error, and a new notebook laid into a copy of the
course is picked up by the generated tables, links, test lists and workshop tools."""

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lstmlearn as ll

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import course_tables  # noqa: E402
import records  # noqa: E402
from manifest import ManifestError, load  # noqa: E402

COURSE = load()


def test_the_manifest_lists_every_source_in_order():
    assert [nb.stem for nb in COURSE] == sorted(p.stem for p in (ROOT / "notebooks" / "src").glob("*.py"))


def test_the_generated_parts_are_in_step():
    assert course_tables.stale_parts(ROOT) == [], "run: python tools/build_notebooks.py --tables"


def test_exercises_explorers_and_records_agree_with_their_registries():
    by_notebook = {}
    for name, task in ll.exercises.exercises().items():
        by_notebook.setdefault(task.split(":")[0], set()).add(name)
    assert {nb.number: set(nb.exercises) for nb in COURSE if nb.exercises} == by_notebook
    for nb in COURSE:
        assert set(nb.explorers) <= set(ll.widgets.EXPLORERS), nb.stem
    listed = {name: nb.number for nb in COURSE for name in nb.records}
    assert listed == {r.name: r.notebook for r in records.RECORDS}


def test_every_misconception_is_answered_in_the_guide_under_its_notebook():
    guide = (ROOT / "docs" / "INSTRUCTOR_GUIDE.md").read_text()
    rows = [ln for ln in guide.splitlines() if re.match(r"\| \d{2}", ln) and '"' in ln]
    for nb in COURSE:
        for saying in nb.misconceptions:
            row = next((r for r in rows if f'"{saying}' in r), None)
            assert row is not None and nb.number in row.split("|")[1], (nb.number, saying)


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda t: t.replace("minutes = 40\n", "", 1), "missing minutes"),
        (lambda t: t.replace("minutes = 40", 'minutes = "40"', 1), "minutes must be a whole number"),
        (lambda t: t.replace('number = "03"', 'number = "3"', 1), "two or more digits"),
        (lambda t: t.replace("slow = false", "slow = false\nfast = true", 1), "unknown field fast"),
    ],
)
def test_a_broken_entry_is_a_clear_error(tmp_path, change, says):
    path = tmp_path / "course.toml"
    path.write_text(change((ROOT / "notebooks" / "course.toml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ManifestError, match=says):
        load(path)


# --- a new notebook, laid into a copy of the course ---------------------------------------------


COPIED = ["README.md", "docs", "data/README.md", "notebooks/src", "notebooks/course.toml", "tools", "lstmlearn"]
COPIED += ["benchmarks/records.py", "benchmarks/workshop_load.py", "tests/test_explorer_controls.py"]
COPIED += ["tests/test_instructor_guide.py", "tests/browser/test_jupyterlab.py", "tests/conftest.py"]

LAST = COURSE[-1]  # the demo notebook comes after the course's last one
NEW = f"{int(LAST.number) + 1:02d}"

NEW_SOURCE = """\
# %% [markdown]
# # {NEW} · A demo
#
# One cell of prose.

# %%
import lstmlearn as ll

ll.widgets.demo_explorer()

# %% [markdown]
# **Next:** generated
"""

NEW_ENTRY = f"""
[[notebook]]
number = "{NEW}"
stem = "{NEW}_demo"
title = "A demo"
short = "demo"
able_to = "show that a new notebook is one entry"
question = "is a notebook one entry?"
minutes = 5
run_seconds = 1
waits = "none"
explorers = ["demo_explorer"]
exercises = ["double"]
records = ["demo_record"]
slow = false
misconceptions = []
"""

NEW_WIDGET = '''\
"""A demo explorer: one slider, its double shown."""

import matplotlib.pyplot as plt

from ._base import Explorer, slider


def demo_explorer(a=1.0) -> Explorer:
    fig, ax = plt.subplots(figsize=(3, 2))
    (line,) = ax.plot([0, 1], [0, 2 * a])
    controls = {"a": slider("$a$", a, -2.0, 2.0, 0.1)}

    def draw(v):
        line.set_ydata([0, v["double"]])
        return False

    return Explorer(
        controls, lambda p: {"double": 2 * p["a"]}, draw, lambda v: f"<code>2a = {v['double']:.2f}</code>", fig, title="Demo"
    )
'''

DEMO_RECORD = '''\
"""A tiny record: the double of 1 (python benchmarks/demo.py [--out PATH] [--quick])."""

import argparse
import json

ap = argparse.ArgumentParser()
ap.add_argument("--out", default="data/results/demo.json")
ap.add_argument("--quick", action="store_true")
with open(ap.parse_args().out, "w") as f:
    json.dump({"double": 2}, f)
'''


def _lay_in(course: Path) -> None:
    """The edits a new notebook with an explorer, an exercise and a record makes by hand."""
    (course / "notebooks" / "src" / f"{NEW}_demo.py").write_text(NEW_SOURCE.replace("{NEW}", NEW))
    with open(course / "notebooks" / "course.toml", "a") as f:
        f.write(NEW_ENTRY.replace("{NEW}", NEW))
    (course / "lstmlearn" / "widgets" / "demo.py").write_text(NEW_WIDGET)
    init = course / "lstmlearn" / "widgets" / "__init__.py"
    text = init.read_text().replace(
        "from ._base import Explorer\n", "from ._base import Explorer\nfrom .demo import demo_explorer\n"
    )
    init.write_text(
        text.replace("EXPLORERS = {\n", 'EXPLORERS = {\n    "demo_explorer": Entry(demo_explorer, "Demo"),\n')
    )
    with open(course / "lstmlearn" / "exercises" / "training.py", "a") as f:
        f.write(f'\nEXERCISES["double"] = Exercise("{NEW}", "2 a", lambda a: 2 * a, lambda rng: [dict(a=1.0)])\n')
    with open(course / "lstmlearn" / "widgets" / "names.py", "a") as f:  # a control no explorer had: its name
        f.write('\nCONTROL_NAMES["a"] = "a, the number the demo doubles"\n')
    (course / "benchmarks" / "demo.py").write_text(DEMO_RECORD)
    with open(course / "benchmarks" / "records.py", "a") as f:
        f.write(f'\nRECORDS.append(Record("demo_record", "demo.py", (), "demo.json", 0.1, "{NEW}", "a tiny record"))\n')
    guide = course / "docs" / "INSTRUCTOR_GUIDE.md"  # the schedules name it as self-study at their close
    guide.write_text(re.sub(rf"\| (\d{{2}})(-|, ){LAST.number} \|", rf"| \1-{NEW} |", guide.read_text()))


def _files(folder: Path) -> dict:
    return {
        p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }


def _copy_course(tmp_path) -> Path:
    course = tmp_path / "course"
    for part in COPIED:
        src, dest = ROOT / part, course / part
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest)
    return course


def test_check_fails_when_a_generated_part_drifts(tmp_path):
    course = _copy_course(tmp_path)
    manifest = course / "notebooks" / "course.toml"
    manifest.write_text(manifest.read_text().replace("minutes = 40", "minutes = 41", 1))  # notebook 01
    run = dict(cwd=course, capture_output=True, text=True, env={"PYTHONPATH": str(course), "MPLBACKEND": "Agg"})
    done = subprocess.run([sys.executable, "tools/build_notebooks.py", "--check"], **run)
    assert done.returncode == 1 and "README.md" in done.stdout and "docs/INSTRUCTOR_GUIDE.md" in done.stdout
    assert "notebooks/src/00_start_here.py" not in done.stdout  # only what the change reaches
    done = subprocess.run([sys.executable, "tools/build_notebooks.py", "--tables"], **run)
    assert done.returncode == 0 and "| 01 | [gradients and recurrent networks]" in (course / "README.md").read_text()
    assert "| 01 gradients and RNNs | 41 min |" in (course / "docs" / "INSTRUCTOR_GUIDE.md").read_text()


def test_a_new_notebook_is_picked_up_everywhere_with_no_other_edit(tmp_path):
    course = _copy_course(tmp_path)
    before = _files(course)
    _lay_in(course)
    laid = _files(course)
    by_hand = sorted(str(p) for p in laid if before.get(p) != laid[p])
    run = dict(cwd=course, capture_output=True, text=True, env={"PYTHONPATH": str(course), "MPLBACKEND": "Agg"})
    done = subprocess.run([sys.executable, "tools/build_notebooks.py", "--tables"], **run)
    assert done.returncode == 0, done.stderr
    after = _files(course)
    generated = sorted(str(p) for p in after if laid.get(p) != after[p])

    text = {p: (course / p).read_text(encoding="utf-8") for p in ["README.md", "docs/INSTRUCTOR_GUIDE.md"]}
    assert (
        f"| {NEW} | [a demo](notebooks/{NEW}_demo.ipynb) | show that a new notebook is one entry | 5 min |"
        in text["README.md"]
    )
    assert f"| {NEW} demo | 5 min | 1 s | none |" in text["docs/INSTRUCTOR_GUIDE.md"]
    assert "`python benchmarks/records.py --only demo_record`" in (course / "data/README.md").read_text()
    src = course / "notebooks" / "src"
    assert f"# | {NEW} | a demo | is a notebook one entry? |" in (src / "00_start_here.py").read_text()
    assert (src / f"{LAST.stem}.py").read_text().endswith(f"# **Next:** [{NEW} · A demo]({NEW}_demo.ipynb)\n")
    assert "# **That is the course.** Go back to [00 · Start here]" in (src / f"{NEW}_demo.py").read_text()

    probe = textwrap.dedent(f"""
        import sys
        sys.path[:0] = ["tests", "tests/browser", "benchmarks", "tools"]
        import lstmlearn as ll, test_explorer_controls, test_jupyterlab, test_instructor_guide, workshop_load, records
        assert ll.__file__.startswith(sys.argv[1]), ll.__file__
        assert "demo_explorer" in test_explorer_controls.EXPLORERS
        assert ("{NEW}_demo.ipynb", "Demo") in test_jupyterlab.EXPLORERS
        assert test_instructor_guide.NOTEBOOKS[-1] == "{NEW}" and workshop_load.NOTEBOOKS[-1] == "{NEW}"
        assert ll.exercises.exercises()["double"] == "{NEW}: 2 a"
        assert ll.widgets.demo_explorer().controls["a"].tooltip == "a, the number the demo doubles"
        assert "demo_record" in [r.name for r in records.RECORDS]
        from course_tables import stale_parts
        assert stale_parts(__import__("pathlib").Path(".")) == []
    """)
    done = subprocess.run([sys.executable, "-c", probe, str(course)], **run)
    assert done.returncode == 0, done.stderr
    guide_tests = [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider"]
    done = subprocess.run(
        guide_tests
        + [
            "tests/test_instructor_guide.py",
            "tests/test_explorer_controls.py",
            "-k",
            "guide or schedule or timing or demo",
        ],
        **run,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    # The count CONTRIBUTING.md promises: a notebook with an explorer, an exercise and a record is
    # 9 files by hand (its source, the manifest, the explorer's module, its line in the table and
    # its new control's name, the exercise's line, the record's script and its line, the guide's
    # schedules). Generated parts then change in 6 (below: 4 more files, and the guide's timing
    # table and the new source's closing link); a full build also writes the new .ipynb and
    # re-executes 00's and 09's, and the record's script writes its file in data/results/.
    assert by_hand == sorted(
        [
            f"notebooks/src/{NEW}_demo.py",
            "notebooks/course.toml",
            "lstmlearn/widgets/demo.py",
            "lstmlearn/widgets/__init__.py",
            "lstmlearn/widgets/names.py",
            "lstmlearn/exercises/training.py",
            "benchmarks/demo.py",
            "benchmarks/records.py",
            "docs/INSTRUCTOR_GUIDE.md",
        ]
    ), by_hand
    assert generated == sorted(
        [
            "README.md",
            "data/README.md",
            "docs/INSTRUCTOR_GUIDE.md",
            "notebooks/src/00_start_here.py",
            f"notebooks/src/{LAST.stem}.py",
            f"notebooks/src/{NEW}_demo.py",
        ]
    ), generated
