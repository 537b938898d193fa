"""The key-value memory explorer: store P pairs in a d x d matrix, read one back (notebook 11).

C = sum_p v_p k_p^T stores value v_p under key k_p (the mLSTM's update with i = f = 1);
reading with the stored key k_j gives C k_j = v_j + sum_{p != j} v_p (k_p . k_j), the value
asked for plus crosstalk. Left: v_j and what comes back, component by component. Right: the
mean readout error |C k_j - v_j| / |v_j| against the number of pairs P for this d (20 draws,
lstmlearn.kv_memory.interference), beside sqrt((P - 1) / d), and the line P = d beyond which
even orthogonal keys cannot stay apart. The maths is lstmlearn.kv_memory.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as W
import numpy as np

from ..kv_memory import interference, random_unit_vectors, read, store
from ..plots.style import CELL_COLOR, LSTM_COLOR, OKABE_ITO, detached_figure, series_style
from ._base import Explorer, fmt, int_slider, table

KEY_KINDS = ("random", "orthogonal")
TRIALS = 20  # draws per P in the curve of mean errors


def _keys(rng, P: int, d: int, kind: str) -> np.ndarray:
    """P unit keys (P, d): orthonormal where kind is "orthogonal" and P <= d, random directions otherwise."""
    if kind == "orthogonal" and P <= d:
        return np.linalg.qr(rng.normal(size=(d, d)))[0][:, :P].T
    return random_unit_vectors(rng, P, d)


@lru_cache(maxsize=64)
def _curve(d: int, kind: str, P_max: int, seed: int):
    return interference(range(1, P_max + 1), d, np.random.default_rng([seed, d]), TRIALS, kind == "orthogonal")


def kv_memory_values(P: int, d: int, j: int, keys: str = "random", P_max: int = 48, seed: int = 0) -> dict:
    """The numbers the key-value memory explorer shows.

    P pairs of unit keys and values in d dimensions (drawn from default_rng([seed, P, d])) are
    stored; pair j (1 .. P; a larger j reads pair P) is read back with its key, raw (C k_j).
    Returns P, d, j (the pair read), orthogonal (keys == "orthogonal"), component (d,) 1 .. d, v_j (d,) the stored value,
    h (d,) = C k_j, error_j = |h - v_j| / |v_j|, mean_error over the P pairs of this draw,
    curve_P (P_max,) 1 .. P_max, curve_error (P_max,) the mean error over TRIALS draws at each P
    (interference(); orthogonal keys only while P <= d), and curve_theory = sqrt((P - 1) / d).
    """
    if keys not in KEY_KINDS:
        raise ValueError(f"keys must be one of {KEY_KINDS}, but it is {keys!r}.")
    P, d = int(P), int(d)
    j = min(max(int(j), 1), P)
    rng = np.random.default_rng([seed, P, d])
    K = _keys(rng, P, d, keys)  # (P, d)
    V = random_unit_vectors(rng, P, d)  # (P, d)
    memory = store(K, V)
    H = read(memory, K, normalise=False)  # (P, d): C k_p for every stored key
    errors = np.linalg.norm(H - V, axis=1)  # |v_p| = 1
    curve_P = np.arange(1, P_max + 1)
    return {
        "P": P,
        "d": d,
        "j": j,
        "orthogonal": keys == "orthogonal",
        "component": np.arange(1, d + 1),
        "v_j": V[j - 1],
        "h": H[j - 1],
        "error_j": float(errors[j - 1]),
        "mean_error": float(errors.mean()),
        "curve_P": curve_P,
        "curve_error": _curve(d, keys, P_max, seed),
        "curve_theory": np.sqrt((curve_P - 1) / d),
    }


def kv_memory_explorer(P=8, d=16, j=1, keys="random", P_max=48, d_max=32, seed=0) -> Explorer:
    """Sliders for the number of pairs P, the dimension d and the pair j read back (1 .. P); random or orthogonal keys.

    Controls: P, d, j, keys.   .values: see kv_memory_values.
    """
    controls = {
        "P": int_slider("$P$", P, 1, P_max),
        "d": int_slider("$d$", d, 2, d_max, continuous=False),  # a new d redraws the axes
        "j": int_slider("$j$", j, 1, P_max),
        "keys": W.ToggleButtons(
            options=list(KEY_KINDS),
            value=keys,
            description="keys",
            style={"description_width": "60px", "button_width": "110px"},
        ),
    }
    controls["keys"].add_class("widget-inline-hbox")  # label and buttons on one row, as a slider's
    controls["j"].max = controls["P"].value  # j reads one of the P pairs stored: the slider ends at P

    def _j_up_to_P(change):
        controls["j"].max = change["new"]  # a j beyond the new P moves to P

    controls["P"].observe(_j_up_to_P, names="value")  # before the explorer's own observer: j first
    fig = detached_figure((10.5, 3.7))
    ax_v, ax_e = fig.subplots(1, 2)
    (line_v,) = ax_v.plot([], [], color=CELL_COLOR, lw=2, label="$v_j$, stored", **series_style(0, 8, 8))
    (line_h,) = ax_v.plot([], [], color=OKABE_ITO["black"], lw=1.5, label="$C k_j$, read", **series_style(1, 8, 8))
    ax_v.axhline(0.0, color="0.7", lw=0.6)
    ax_v.set_xlabel("component")
    ax_v.set_ylabel("value")
    ax_v.set_title("pair $j$: stored and read back", fontsize=11)
    ax_v.legend(loc="upper right", fontsize=8.5)
    (line_e,) = ax_e.plot([], [], color=LSTM_COLOR, lw=2, label="mean error, 20 draws", **series_style(0, 48, 8))
    (line_t,) = ax_e.plot(
        [], [], color=OKABE_ITO["vermillion"], lw=1.5, label=r"$\sqrt{(P-1)/d}$", **series_style(1, 48, 8)
    )
    (line_d,) = ax_e.plot(
        [], [], color="0.4", lw=1.0, ls=":", label="$P = d$", transform=ax_e.get_xaxis_transform()
    )  # x in pairs, y from the bottom of the axes to its top
    (now,) = ax_e.plot([], [], color=OKABE_ITO["black"], ls="none", marker="*", markersize=13, label="this $P$")
    ax_e.set_xlabel("pairs stored $P$")
    ax_e.set_ylabel(r"$|C k_j - v_j| \,/\, |v_j|$")
    ax_e.set_title("interference grows as pairs outnumber $d$", fontsize=11)
    ax_e.set_xlim(0, P_max + 1)
    ax_e.legend(loc="upper left", fontsize=8.5)
    limits = {}

    def compute(p):
        return kv_memory_values(p["P"], p["d"], p["j"], p["keys"], P_max, seed)

    def draw(v):
        line_v.set_data(v["component"], v["v_j"])
        line_h.set_data(v["component"], v["h"])
        for line in (line_v, line_h):
            line.set_markevery(series_style(0 if line is line_v else 1, v["d"], 8)["markevery"])
        line_e.set_data(v["curve_P"], v["curve_error"])
        line_t.set_data(v["curve_P"], v["curve_theory"])
        line_d.set_data([v["d"], v["d"]], [0.0, 1.0])
        now.set_data([v["P"]], [v["curve_error"][v["P"] - 1]])
        top = max(1.0, float(np.max(np.abs(np.concatenate([v["v_j"], v["h"]])))))
        new = {"d": v["d"], "orthogonal": v["orthogonal"], "y": np.ceil(top * 1.15 * 4) / 4}
        if new == limits:
            return False
        limits.update(new)
        ax_v.set_xlim(0.5, v["d"] + 0.5)
        ax_v.set_ylim(-new["y"], new["y"])
        ax_e.set_ylim(0, 1.1 * max(float(np.max(v["curve_error"])), float(np.max(v["curve_theory"]))))
        return True

    def describe(v):
        return table(
            [
                ("<i>P</i>, <i>d</i>", f"{v['P']}, {v['d']}"),
                ("pair read <i>j</i>", f"{v['j']}"),
                ("error of pair <i>j</i>", fmt(v["error_j"])),
                ("mean error of these <i>P</i> pairs", fmt(v["mean_error"])),
                ("mean error over 20 draws", fmt(v["curve_error"][v["P"] - 1])),
                ("&radic;((<i>P</i>-1)/<i>d</i>)", fmt(v["curve_theory"][v["P"] - 1])),
            ]
        )

    return Explorer(
        controls,
        compute,
        draw,
        describe,
        fig,
        dynamic=[line_v, line_h, line_e, line_t, line_d, now],
        title="A key-value memory: store P pairs in d dimensions, read one back",
        alt="Left, the stored value v_j and the value read back with its key, component by component; right, the "
        "mean readout error against the number of pairs stored, beside the square root of (P - 1) / d, with the "
        "line P = d",
    )
