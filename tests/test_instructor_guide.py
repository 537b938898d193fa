"""The instructor guide's schedules add up: each block is as long as its notebooks' learner
times in the guide's timing table, the blocks follow each other without gap or overlap,
the day ends at the length its title gives, nobody goes two hours without a break, and every
notebook is either in the day or named as self-study at its close. A day may hold a block of
slack (no notebook) for a room where some installs break: right after 00, and at most 15 minutes."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from manifest import load  # noqa: E402

GUIDE = (ROOT / "docs" / "INSTRUCTOR_GUIDE.md").read_text()
NOTEBOOKS = [nb.number for nb in load()]
LONGEST_STRETCH = 120  # minutes between two breaks


def _section(title_start: str) -> tuple[str, str]:
    """(heading, body) of the guide's section whose heading starts with `title_start`."""
    m = re.search(rf"^(#+ {re.escape(title_start)}[^\n]*)\n(.*?)(?=^#+ |\Z)", GUIDE, re.M | re.S)
    assert m, f"no section '{title_start}' in the guide"
    return m.group(1), m.group(2)


def _rows(body: str) -> list:
    """The cells of every row of the first table in `body`, header and rule left out."""
    lines = [ln for ln in body.splitlines() if ln.startswith("|")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]


def _minutes(clock: str) -> int:
    h, m = clock.split(":")
    return 60 * int(h) + int(m)


def learner_minutes() -> dict:
    """{'00': 15, ...} from the timing table (its last row, the totals, left out)."""
    table = {}
    for row in _rows(_section("Timings")[1])[:-1]:
        number, minutes = row[0].split()[0], re.fullmatch(r"(\d+) min", row[1])
        assert minutes, row
        table[number] = int(minutes.group(1))
    return table


def _notebooks(cell: str) -> list:
    """'03, 04' or '05-09' or '09-10' -> ['03', '04'] or ['05', ..., '09'] or ['09', '10']: numbers of
    two digits or more, each written as wide as the manifest writes it."""
    width = {int(n): n for n in NOTEBOOKS}
    found = []
    for a, b in re.findall(r"\b(\d{2,})(?:-(\d{2,}))?\b", cell):
        found += [width.get(n, f"{n:02d}") for n in range(int(a), int(b or a) + 1)]
    return found


def schedule(title_start: str):
    """(length in minutes from the heading, [(start, minutes, notebooks, what)], end)."""
    heading, body = _section(title_start)
    m = re.search(r"\((\d+) h(?: (\d+))?", heading)
    length = 60 * int(m.group(1)) + int(m.group(2) or 0)
    rows = _rows(body)
    assert rows[-1][3] == "end" and rows[-1][1] == "", rows[-1]
    blocks = [(_minutes(r[0]), int(r[1]), _notebooks(r[2]), r[3]) for r in rows[:-1]]
    return length, blocks, _minutes(rows[-1][0])


def test_timing_table_lists_every_notebook():
    assert sorted(learner_minutes()) == NOTEBOOKS


def test_notebook_numbers_of_any_width_are_read():
    assert _notebooks("09-10") == ["09", "10"] and _notebooks("08, 11") == ["08", "11"]
    assert _notebooks("05-09") == ["05", "06", "07", "08", "09"]


def test_the_totals_row_adds_up():
    total = _rows(_section("Timings")[1])[-1]
    assert total[0] == f"all {len(NOTEBOOKS)}" and total[1] == f"{sum(learner_minutes().values())} min"


@pytest.mark.parametrize("day", ["Half day", "Full day"])
def test_schedule_adds_up(day):
    times = learner_minutes()
    length, blocks, end = schedule(day)
    assert blocks[0][0] == 0 and end == length, f"{day}: ends at {end} min, its title says {length}"
    clock = 0
    for start, minutes, notebooks, what in blocks:
        assert start == clock, f"{day}: '{what}' starts at {start} min, the block before ends at {clock}"
        clock += minutes
        if notebooks and not what.startswith("close"):
            need = sum(times[n] for n in notebooks)
            assert minutes == need, f"{day}: {', '.join(notebooks)} take {need} min in the timing table, not {minutes}"
        else:
            assert what.startswith(("break", "lunch", "close", "slack")), (day, what)
    assert clock == end


@pytest.mark.parametrize("day", ["Half day", "Full day"])
def test_slack_for_broken_installs_follows_the_start(day):
    _, blocks, _ = schedule(day)
    slack = [i for i, block in enumerate(blocks) if block[3].startswith("slack")]
    assert slack == [1] and blocks[0][2] == ["00"], f"{day}: the slack belongs right after 00"
    assert 0 < blocks[1][1] <= 15


@pytest.mark.parametrize("day", ["Half day", "Full day"])
def test_breaks_and_what_is_left_for_self_study(day):
    _, blocks, _ = schedule(day)
    stretch = 0
    for _, minutes, _, what in blocks:
        stretch = 0 if what.startswith(("break", "lunch")) else stretch + minutes
        assert stretch <= LONGEST_STRETCH, f"{day}: {stretch} min without a break before the end of '{what}'"
    taught = [n for _, _, notebooks, what in blocks if not what.startswith("close") for n in notebooks]
    assert taught == sorted(set(taught)), f"{day}: notebooks out of order or twice: {taught}"
    close = blocks[-1]
    assert close[3].startswith("close")
    assert sorted(taught + close[2]) == NOTEBOOKS, f"{day}: the close names {close[2]} as self-study"
