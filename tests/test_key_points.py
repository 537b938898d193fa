"""Comparative key points of notebooks 07 and 08, checked against the records they summarise.

Notebook 09 prints its comparative key points from lstmlearn.evidence on the records. The key
points of 07 and 08 are prose; these tests recompute each comparison they state from the shipped
record with lstmlearn.evidence and fail when the sentence and the record disagree (a key point
cannot say "every ... beats" when one comparison does not).
"""

import json
from pathlib import Path

import numpy as np
import pytest

from lstmlearn.evidence import compare

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "data" / "results"


def key_points(notebook: str) -> str:
    source = next((ROOT / "notebooks" / "src").glob(f"{notebook}_*.py")).read_text()
    text = source[source.index("# ## Key points") :]
    return " ".join(line.lstrip("# ").strip() for line in text.splitlines())  # the prose, one line


def steps(runs):
    return [np.inf if r["steps_to_target"] is None else r["steps_to_target"] for r in runs]


def reached(runs):
    return sum(r["steps_to_target"] is not None for r in runs)


def lstm_and_rnn(record):
    return record["configs"]["lstm"]["runs"], record["configs"]["rnn"]["runs"]


SEPARATING = {  # task -> how notebook 07's key point states its seeds at the target, LSTM against RNN
    "adding_T50": "$T = 50$: {a} of 5 LSTM seeds reach the target, {b} of 5 RNN seeds",
    "adding_T100": "$T = 100$: {a} of 5 against {b} of 5",
    "temporal_order": "temporal order ({a} against {b})",
    "remember_lag50": "remember after 50 steps ({a} against {b}",
}


def record_of(task):
    if task.startswith("adding"):
        return json.loads((RESULTS / f"{task}.json").read_text())
    return json.loads((RESULTS / "quick_tasks.json").read_text())["tasks"][task]


@pytest.mark.parametrize("task", sorted(SEPARATING))
def test_07_tasks_said_to_separate_lstm_and_rnn_do(task):
    lstm, rnn = lstm_and_rnn(record_of(task))
    c = compare(steps(lstm), steps(rnn), ("LSTM", "RNN"), higher_is_better=False)
    assert c.real and c.better == "LSTM", c.verdict
    assert SEPARATING[task].format(a=reached(lstm), b=reached(rnn)) in key_points("07")


def test_07_reber_is_said_not_to_separate_them_and_does_not():
    lstm, rnn = lstm_and_rnn(record_of("reber"))
    c = compare(steps(lstm), steps(rnn), ("LSTM", "RNN"), higher_is_better=False)
    assert not c.real, c.verdict
    text = key_points("07")
    assert "The embedded Reber grammar does not separate them" in text and "no evidence either way" in text


def test_07_ablation_key_point_matches_the_notebooks_verdicts():
    nb = json.loads((ROOT / "notebooks" / "07_long_time_lags.ipynb").read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and "def silenced" in "".join(c["source"]))
    shown = "".join("".join(o["data"]["text/plain"]) for o in cell["outputs"] if "text/plain" in o.get("data", {}))
    verdicts = [line.split("|")[-2].strip() for line in shown.splitlines()[2:]]
    assert verdicts and all(v.startswith("No evidence either way") for v in verdicts), verdicts
    assert "no more than silencing random ones (no evidence either way)" in key_points("07")


def test_08_every_seed_has_a_record_unit_and_not_every_one_is_a_clean_switch():
    runs = json.loads((RESULTS / "char_lstm.json").read_text())["runs"]
    trained = [abs(r["cells"]["trained"]["tanh_c"]["in_record"]["r"]) for r in runs]
    before = [abs(r["cells"]["untrained"]["tanh_c"]["in_record"]["r"]) for r in runs]
    c = compare(trained, before, ("trained", "untrained"))
    assert c.real and c.better == "trained" and min(trained) > max(before), c.verdict
    switches = [r["cells"]["trained"]["switch"] for r in runs]
    clean = [s["on_at_brace"] == s["records"] for s in switches]
    assert any(clean) and not all(clean)  # what the key point says: in some seeds a clean switch, in others not
    text = key_points("08")
    assert "every seed grows a unit that tracks being inside a record" in text
    assert "in some seeds a clean switch at the brace, in others not" in text


def test_08_the_windowed_control_scores_as_full_context_as_the_key_point_says():
    w = json.loads((RESULTS / "char_windowed.json").read_text())
    assert abs(w["windowed_bpc"]["50"] - w["full_context_bpc"]) < 1e-3
    assert w["windowed_bpc"]["15"] - w["full_context_bpc"] > 0.05  # a short window does cost: the control can tell
    assert all(abs(b["50"] - b["full"]) < 0.02 for b in w["closing_braces_by_distance"] if b["n"])
    assert "with its state reset 50 characters back it scores as with full context" in key_points("08")
