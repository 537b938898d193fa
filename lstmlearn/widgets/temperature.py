"""The temperature explorer: sample from a trained character model (notebook 08).

    p = softmax(logits / temperature)

A low temperature sharpens the next-character distribution (safe, repetitive text); a
high one flattens it (adventurous, misspelt text). The maths is lstmlearn.tasks.text.
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

from ..losses import softmax
from ..models import forward
from ..plots._style import OKABE_ITO, detached_figure
from ..tasks.text import sample_text
from ._base import Explorer, int_slider, slider

TOP = 15  # how many of the most likely next characters the bar chart shows


def next_char_distribution(params: dict, model, vocab, prime: str, temperature: float) -> np.ndarray:
    """p (V,): the model's distribution of the character after `prime`, at `temperature`."""
    if not prime:
        raise ValueError("prime must contain at least one character.")
    out = forward(params, vocab.encode(prime)[:, None], model)
    return softmax(out.Y[-1, 0].astype(np.float64) / temperature)


def temperature_values(params, model, vocab, prime, temperature, n, seed) -> dict:
    """text (the prime and n sampled characters), p (V,) after the prime, top (the TOP most likely)."""
    p = next_char_distribution(params, model, vocab, prime, temperature)
    text = sample_text(params, model, vocab, np.random.default_rng(seed), n, temperature, prime=prime)
    top = np.argsort(p)[::-1][:TOP]
    return {"text": text, "p": p, "top": [(vocab.chars[k], float(p[k])) for k in top]}


def _shown(ch):
    return {"\n": "⏎", " ": "␣"}.get(ch, ch)


def temperature_explorer(params: dict, model, vocab, prime: str = "The ", n: int = 200,
                         temperature: float = 0.8, seed: int = 0) -> Explorer:
    """Controls: temperature, prime (text), n, seed. .values: text, p, top (see temperature_values)."""
    controls = {
        "temperature": slider("temperature", temperature, 0.1, 2.0, 0.05, continuous=False),
        "prime": W.Text(value=prime, description="prime", continuous_update=False,
                        style={"description_width": "60px"}),
        "n": int_slider("$n$", n, 10, 600, continuous=False),
        "seed": W.IntText(value=seed, description="seed", style={"description_width": "60px"},
                          layout=W.Layout(width="160px")),
    }
    fig = detached_figure((8, 2.6))
    ax = fig.subplots()
    bars = ax.bar(np.arange(TOP), np.zeros(TOP), color=OKABE_ITO["blue"])
    ax.set_xticks(np.arange(TOP))
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    title = ax.set_title("", fontsize=10)

    def compute(p):
        prime = p["prime"] or " "
        return temperature_values(params, model, vocab, prime, p["temperature"], p["n"], p["seed"])

    def draw(v):
        for bar, (_, prob) in zip(bars, v["top"]):
            bar.set_height(prob)
        ax.set_xticklabels([_shown(ch) for ch, _ in v["top"]])
        title.set_text("the next character after the prime, at this temperature")
        return True  # tick labels changed: redraw everything

    def describe(v):
        return ("<pre style='white-space:pre-wrap;font-size:12px;max-width:760px'>"
                + html.escape(v["text"]) + "</pre>")

    return Explorer(controls, compute, draw, describe, fig, title="Sampling with a temperature")
