"""The progress bar of a training run (lstmlearn.train): loss and score as it goes, and
at the end why it stopped.

tqdm.auto draws a text bar in a terminal and a widget in a notebook. The notebook's
widget turns red ("danger") when it is closed before its total, which would make a run
that stopped early because it reached its target look like a failure. Here a run that
stopped as asked (its steps, its target or its time limit) ends as a full green bar at
the steps it took and says how many were allowed; an interrupted or diverged run keeps
the red bar and says why.
"""

from __future__ import annotations

from tqdm.auto import tqdm


def why_it_stopped(stopped, task, target_score, max_seconds, log, steps) -> str:
    """A few words for the progress bar on why training stopped."""
    if stopped == "target":
        sign = ">=" if task.higher_is_better else "<="
        return f"target reached: {log.lists['score'][-1]:.3f} {sign} {target_score:g} ({steps} steps allowed)"
    if stopped == "time":
        return f"time limit reached: max_seconds={max_seconds:g} ({steps} steps allowed)"
    return "done"


class Progress:
    """The tqdm bar: loss and score every 10 steps, and at the end why training stopped.

    In a notebook tqdm draws a widget that it turns red when closed before its total.
    A run that stopped because it reached its target (or its time limit) is complete, not
    failed: its bar ends full and green at the steps it took, and says how many were allowed.
    An interrupted or diverged run keeps tqdm's red bar, and says so.
    """

    SUCCESS = ("steps", "target", "time")

    def __init__(self, show, name, steps, start):
        self.bar = tqdm(total=steps, initial=start, disable=not show, desc=name, leave=True)

    def step(self, log):
        """One more step: advance, and every 10 steps show the last loss and score of `log`."""
        self.bar.update(1)
        step = log.lists["step"][-1]
        if step % 10 == 0:
            score = log.lists["score"][-1] if log.lists["score"] else None
            self.bar.set_postfix(loss=f"{log.lists['loss'][-1]:.4f}", score="-" if score is None else f"{score:.3f}")

    def finish(self, stopped, why):
        """Close the bar, showing `why` (from why_it_stopped) and the colour that fits `stopped`."""
        bar = self.bar
        if bar.disable:
            return
        bar.set_postfix_str(why, refresh=False)
        if stopped in self.SUCCESS and bar.total and bar.n < bar.total:
            bar.total = bar.n  # the run is complete: a full bar, which tqdm shows as a success
            widget = getattr(bar, "container", None)  # the notebook's bar: [text, progress, text]
            if widget is not None:
                widget.children[-2].max = bar.n
        bar.close()
