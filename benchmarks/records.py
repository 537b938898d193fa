"""Every experiment record the course ships, and the one command that regenerates it.

    python benchmarks/records.py --list                  # each record: output, expected time, command
    python benchmarks/records.py --only NAME             # regenerate one record into data/results/
    python benchmarks/records.py --only NAME --only N2   # several
    python benchmarks/records.py                         # regenerate every record (see --list for the time)
    python benchmarks/records.py --quick                 # every experiment with one seed and a small step
                                                         # budget, into a temporary folder (a smoke test)
    python benchmarks/records.py --quick --only NAME --out DIR

Every record stops at a number of steps or at its target, never at a wall-clock limit, so
a rerun on any machine takes the same steps; with the same BLAS thread count it gives the
same numbers. Each experiment runs with OPENBLAS_NUM_THREADS=1 (set here for the child
processes) and records its wall and CPU time as information only. The minutes in RECORDS
are CPU minutes measured on the course's 2-core machine: a record's wall time on an idle
core. Independent records run side by side with --jobs 2 (one per core), longest first.
Each record's output (its progress lines) goes to a log file named on the console.

Ctrl-C, or SIGTERM (kill, timeout, a CI runner), stops the whole run: nothing queued starts,
the running records' processes are ended, and the command exits with 128 + the signal's
number, saying which records were written and which were not. A record's file is written
whole or not at all, so a stopped record leaves its earlier file as it was.

A record is a script in benchmarks/ with its arguments. Every such script accepts
    --out PATH   where to write its JSON (default: its file in data/results/); it writes
                 nothing else
    --quick      one seed and a small step budget, for the smoke test; never the shipped numbers
Register a new record with one Record(...) line in RECORDS; tests/test_records.py checks
that its script exists and takes both options.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "data" / "results"


@dataclass(frozen=True)
class Record:
    """One shipped result file and how to make it."""

    name: str  # what --only takes
    script: str  # a file in benchmarks/
    args: tuple  # the script's arguments (without --out / --quick)
    output: str  # the file it writes, relative to data/results/
    minutes: float  # CPU minutes of the full run, OPENBLAS_NUM_THREADS=1 (its wall time on an idle core)
    notebook: str  # which notebook reads it
    about: str  # one line: what it measures

    def command(self, out: Path | None = None, quick: bool = False) -> list:
        cmd = [sys.executable, str(ROOT / "benchmarks" / self.script), *self.args]
        if out is not None:
            cmd += ["--out", str(out)]
        if quick:
            cmd.append("--quick")
        return cmd

    def shown(self) -> str:
        """The command as a reader types it from the repository's top folder."""
        return "OPENBLAS_NUM_THREADS=1 python " + shlex.join([f"benchmarks/{self.script}", *self.args])


RECORDS = [
    # One entry per record: Record(name, script, args, output, minutes, notebook, about).
    # minutes: CPU minutes of the full run (one thread), which is its wall time on an idle core.
    # Notebook 07.
    Record(
        "adding_T50",
        "run_long_lag.py",
        ("adding", "--T", "50", "--steps", "10000"),
        "adding_T50.json",
        2.0,
        "07",
        "adding problem T = 50: LSTM against RNN, 5 seeds each, steps to 95 % correct",
    ),
    Record(
        "adding_T100",
        "run_long_lag.py",
        ("adding", "--T", "100", "--steps", "10000"),
        "adding_T100.json",
        8.3,
        "07",
        "adding problem T = 100: LSTM against RNN, 5 seeds each, steps to 95 % correct",
    ),
    Record(
        "copy_T20",
        "run_long_lag.py",
        ("copy", "--T", "20", "--hidden", "64", "--steps", "6000"),
        "copy_T20.json",
        7.6,
        "07",
        "copy task T = 20: LSTM against RNN, 5 seeds each, symbols recalled",
    ),
    Record(
        "quick_tasks",
        "run_quick_tasks.py",
        (),
        "quick_tasks.json",
        9.4,
        "07",
        "remember after 50 steps, embedded Reber grammar, temporal order 6a: LSTM against RNN, 5 seeds each",
    ),
    Record(
        "paper_scoreboard",
        "run_paper_scoreboard.py",
        (),
        "paper_scoreboard.json",
        46.8,
        "07",
        "the 1997 paper's sequences-to-success beside ours: modern and 1997-style LSTM, 5 seeds each",
    ),
    Record(
        "paper_scoreboard_reber_check8",
        "run_paper_scoreboard.py",
        ("--only-task", "reber", "--reber-check-every", "8"),
        "paper_scoreboard_reber_check8.json",
        2.0,
        "07",
        "the Reber rows of the 1997 scoreboard with the criterion checked every 8 sequences instead of 64",
    ),
    # Notebooks 08 and 09.
    Record(
        "char_lstm",
        "train_char_model.py",
        (),
        "char_lstm.json",
        10.0,
        "08",
        "character LSTM (H = 128), 5 seeds x 5000 steps, held-out bits per character; the cell search "
        "and its controls per seed; saves data/models/char_lstm.npz",
    ),
    Record(
        "char_baselines",
        "char_baselines.py",
        (),
        "char_baselines.json",
        0.2,
        "08",
        "unigram and Kneser-Ney n-gram (order chosen on validation text) bits per character, and the "
        "entropy rate of data/make_corpus.py's generator",
    ),
    Record(
        "char_windowed",
        "char_windowed.py",
        (),
        "char_windowed.json",
        1.5,
        "08",
        "the shipped character LSTM with its state reset 5, 15, 50 and 100 characters back, against full context; "
        "bits at closing braces by distance to the opening one",
    ),
    Record(
        "variants_adding_T50",
        "run_variants.py",
        ("variants", "--task", "adding_T50"),
        "variants_adding_T50.json",
        27.3,
        "09",
        "LSTM variants, GRU and RNN on the adding problem T = 50: 3 learning rates x 5 seeds, then "
        "each at its best rate on 5 new seeds, 1000 steps",
    ),
    Record(
        "variants_remember_lag50",
        "run_variants.py",
        ("variants", "--task", "remember_lag50"),
        "variants_remember_lag50.json",
        15.9,
        "09",
        "the same on remember-the-first-symbol after 50 distractors, 600 steps",
    ),
    Record(
        "forget_bias",
        "run_variants.py",
        ("forget-bias",),
        "forget_bias.json",
        10.5,
        "09",
        "vanilla LSTM on the adding problem T = 50 from six forget biases, 5 seeds x 1000 steps; "
        "b_f = 1 again up to 10 000 steps",
    ),
    Record(
        "quiet_start",
        "run_variants.py",
        ("quiet-start",),
        "quiet_start.json",
        8.0,
        "09",
        "the quiet-start control untangled from the rate: lstm, lstm b_i = -3, coupled, GRU at Adam 0.01 and "
        "0.03 on seeds 5-9 of both variant tasks, scored every 10 steps, stopped at the target",
    ),
    Record(
        "forget_bias_rates",
        "run_variants.py",
        ("forget-bias-rates",),
        "forget_bias_rates.json",
        7.0,
        "09",
        "the six forget biases again at Adam 0.003 and 0.03, seeds 0-4, 1000 steps, stopped at the target",
    ),
    # Notebook 10.
    Record(
        "linrec_parity",
        "run_linear_recurrences.py",
        (
            "parity",
            "--steps",
            "2000",
            "--hidden",
            "64",
            "--lr",
            "0.1",
            "--lstm-control-lr",
            "0.003",
            "--jobs",
            "2",
            "--seeds",
            "10",
        ),
        "linrec_parity.json",
        13.2,
        "10",
        "parity, trained on lengths 3-20 and tested on 40-128: LSTM, minLSTM, minGRU, signed-decay minGRU "
        "(H = 64, Adam 0.1) and the LSTM at Adam 0.003, 10 seeds x 2000 steps",
    ),
    Record(
        "linrec_selective_copy",
        "run_linear_recurrences.py",
        ("selective",),
        "linrec_selective_copy.json",
        5.1,
        "10",
        "selective copying, 4 tokens of 8 among L = 64 steps: minGRU with a data-dependent decay against a "
        "constant one, 5 seeds x 3000 steps",
    ),
    # Notebook 11.
    Record(
        "mqar",
        "run_mqar.py",
        ("--steps", "1500", "--only-setting", "pairs4_H32", "--only-setting", "pairs8_H16"),
        "mqar.json",
        22.5,
        "11",
        "multi-query associative recall, vocabulary 64, length 64: LSTM, sLSTM and mLSTM, 5 seeds each, "
        "4 pairs at H = 32 and 8 pairs at H = 16, 1500 steps, stopped at 90 % recall",
    ),
    Record(
        "xlstm_parity",
        "xlstm_parity_figures.py",
        (),
        "xlstm_parity.json",
        0.1,
        "11",
        "largest deviations of lstmlearn's sLSTM, mLSTM (three forms) and LSTM step from the official xlstm and "
        "mlstm_kernels code, float64, outputs and autograd gradients (needs torch and xlstm)",
    ),
]


def by_name(names):
    known = {r.name: r for r in RECORDS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(
            f"records.py: unknown record {', '.join(unknown)}. Known: {', '.join(known)}. "
            f"See python benchmarks/records.py --list"
        )
    return [known[n] for n in names]


def schedule(records, jobs: int) -> list:
    """Longest first, so that side-by-side jobs finish close together."""
    return sorted(records, key=lambda r: r.minutes, reverse=True) if jobs > 1 else list(records)


def makespan(records, jobs: int) -> float:
    """Minutes until the last of `records` finishes with `jobs` side by side (longest first)."""
    ends = [0.0] * jobs
    for r in schedule(records, jobs):
        ends[ends.index(min(ends))] += r.minutes
    return round(max(ends), 1)


class Runner:
    """Runs records' scripts as child processes, and stops them all on request (stop()).

    Each child runs in a session of its own, so a Ctrl-C at the terminal reaches this process
    only, which then stops them itself: nothing queued starts after a stop, and no child
    outlives this process's stop() (SIGTERM to the child's process group, SIGKILL after
    `grace` seconds). On Linux a child also gets SIGTERM if this process is killed outright.
    """

    def __init__(self, grace: float = 10.0):
        self.grace = grace
        self.stopping = None  # the name of the signal that stopped the run, once stopped
        self._children = set()
        self._lock = threading.Lock()

    def run(self, record: Record, out: Path, quick: bool, log: Path) -> tuple:
        """Run one record's script (output to `log`); returns (record, exit code, seconds).
        The exit code is None for a record that was never started (the run was stopped first)."""
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        out.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        with open(log, "w") as f:
            with self._lock:
                if self.stopping:
                    return record, None, 0.0
                child = subprocess.Popen(
                    record.command(out, quick),
                    cwd=ROOT,
                    env=env,
                    stdout=f,
                    stderr=subprocess.STDOUT,
                    start_new_session=os.name != "nt",
                    preexec_fn=_die_with_parent if sys.platform == "linux" else None,
                )
                self._children.add(child)
            try:
                code = child.wait()
            finally:
                with self._lock:
                    self._children.discard(child)
        return record, code, time.perf_counter() - t0

    def stop(self, why: str) -> None:
        """Start nothing more, and end every running child (and its own children)."""
        with self._lock:
            self.stopping = self.stopping or why
            children = list(self._children)
        for child in children:
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in children:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child, signal.SIGKILL)
                child.wait()


def _die_with_parent() -> None:
    """In a record's process: get SIGTERM if records.py itself is killed (Linux), so that even a
    kill -9 of records.py leaves no record running on its own."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # not this C library: the parent's own stop() still ends the children
        pass


def _signal_group(child: subprocess.Popen, sig) -> None:
    try:
        if os.name == "nt":
            child.kill()
        else:
            os.killpg(child.pid, sig)
    except (ProcessLookupError, PermissionError):  # ended already
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list", action="store_true", help="print every record and exit")
    ap.add_argument("--only", action="append", default=[], metavar="NAME", help="regenerate only this record")
    ap.add_argument("--quick", action="store_true", help="one seed, small step budget, into a temporary folder")
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the JSON files (default: data/results/, or a temporary folder with --quick)",
    )
    ap.add_argument("--jobs", type=int, default=1, help="records to run side by side (at most one per core)")
    args = ap.parse_args(argv)

    if args.list:
        for r in RECORDS:
            print(
                f"{r.name}\n    {r.about} (notebook {r.notebook})\n    -> data/results/{r.output}, "
                f"about {r.minutes:g} min\n    {r.shown()}"
            )
        total = sum(r.minutes for r in RECORDS)
        print(
            f"\n{len(RECORDS)} records, about {total:g} CPU minutes: about {total:g} min one after another, "
            f"{makespan(RECORDS, 2):g} min with --jobs 2 on an otherwise idle 2-core machine."
        )
        return 0
    if args.jobs < 1:
        ap.error(f"--jobs should be at least 1, but it is {args.jobs}.")
    records = by_name(args.only) if args.only else list(RECORDS)
    if not records:
        print("records.py: no records are registered.", file=sys.stderr)
        return 2
    out_dir = args.out or (Path(tempfile.mkdtemp(prefix="lstmlearn-quick-")) if args.quick else RESULTS)
    logs = Path(tempfile.mkdtemp(prefix="lstmlearn-records-logs-"))
    print(f"logs: {logs}/<record>.log", flush=True)
    runner = Runner()
    written, failed, stopped = [], [], []
    t0 = time.perf_counter()

    def on_signal(signum, frame):
        runner.stopping = runner.stopping or signal.Signals(signum).name  # stop() runs in the loop below

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    pool = ThreadPoolExecutor(max_workers=args.jobs)
    try:
        pending = {
            pool.submit(runner.run, r, out_dir / r.output, args.quick, logs / f"{r.name}.log")
            for r in schedule(records, args.jobs)
        }
        while pending:
            if runner.stopping:
                pool.shutdown(wait=False, cancel_futures=True)
                pending = {f for f in pending if not f.cancelled()}  # never started: wait() would not return them
                runner.stop(runner.stopping)
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                record, code, seconds = future.result()
                if code is None or (runner.stopping and code != 0):
                    stopped.append(record)
                    continue
                status = "ok" if code == 0 else f"FAILED (exit {code})"
                print(f"{record.name}: {status} in {seconds:.0f} s -> {out_dir / record.output}", flush=True)
                if code == 0:
                    written.append(record)
                else:
                    failed.append(record)
                    print((logs / f"{record.name}.log").read_text()[-4000:], file=sys.stderr)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if runner.stopping:
        not_written = [r for r in records if r not in written and r not in failed]
        print(
            f"records.py: stopped by {runner.stopping} after {time.perf_counter() - t0:.0f} s; no record was "
            f"left half-written. Written: {', '.join(r.name for r in written) or 'none'}. Not written (stopped "
            f"or never started; any earlier file is as it was): {', '.join(r.name for r in not_written) or 'none'}"
            + (f". Failed: {', '.join(r.name for r in failed)}" if failed else "")
            + ".",
            file=sys.stderr,
            flush=True,
        )
        return 128 + getattr(signal, runner.stopping)
    print(f"{len(written)} of {len(records)} records in {time.perf_counter() - t0:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
