"""How far lstmlearn's sLSTM and mLSTM are from the official xLSTM code, in float64: the figures.

    python benchmarks/xlstm_parity_figures.py          # -> data/results/xlstm_parity.json

tests/test_xlstm_parity.py asserts agreement to 1e-10; this prints the largest deviation
actually found on the same problems, relative to the largest official value, for outputs and
for gradients (PyTorch autograd through the official functions); the official sLSTM code's
plain "lstm" pointwise function against lstmlearn's lstm_step (notebook 05); and the official
recurrent form against the official parallel form at eps = 0 and at its default eps = 1e-6.
It writes them to a record, which notebook 11 reads where torch and xlstm are not installed.
Needs torch, xlstm and mlstm_kernels (pip install -e ".[xlstm-parity]" over the PyTorch CPU
wheel). --quick: the first problem of each kind only, for the smoke test.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from record_tools import header, out_path, write

import lstmlearn as ll
from lstmlearn import mlstm, slstm
from lstmlearn.mlstm_parallel_grad import mlstm_parallel_backward, mlstm_parallel_forward

NEEDS = ("torch", "xlstm", "mlstm_kernels")
MISSING = [name for name in NEEDS if importlib.util.find_spec(name) is None]
if not MISSING:
    import test_xlstm_parity as tp
    import torch


def rel(ours, theirs) -> float:
    """max |ours - theirs| / max |theirs|, or max |ours| where theirs is all zero (dR at T = 1, say)."""
    scale = np.max(np.abs(theirs))
    return float(np.max(np.abs(ours - theirs)) / (scale if scale > 0 else 1.0))


SLSTM_PROBLEMS = [
    (1, 1, 1, 1, 1, 0),
    (6, 3, 4, 8, 2, 1),
    (12, 2, 5, 12, 3, 2),
    (5, 4, 3, 4, 4, 3),
]  # T, B, D, H, K, seed
LSTM_PROBLEMS = [(1, 1, 0), (4, 6, 1), (3, 16, 2)]  # B, H, seed
MLSTM_PROBLEMS = [(0, 0.0), (1, -6.0)]  # seed, shift of i~


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the JSON record (default: data/results/xlstm_parity.json)",
    )
    ap.add_argument("--quick", action="store_true", help="the first problem of each kind only (the smoke test)")
    return ap


def slstm_figures(problems=SLSTM_PROBLEMS):
    out = grad = 0.0
    for T, B, D, H, K, seed in problems:
        rng = np.random.default_rng(seed)
        p = slstm.init_slstm(D, H, K, rng, scale=1.0)
        X, W = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H))
        Hs_off, _, g_off = tp._official_slstm(X, p, W)
        Hs, tr = slstm.slstm_forward(X, p)
        g = slstm.slstm_backward(W, tr, p)
        out = max(out, rel(Hs, Hs_off))
        grad = max(grad, rel(g.dX, g_off["X"]), *(rel(getattr(g.dparams, n), g_off[n]) for n in ("W_x", "R", "b")))
    return out, grad


def lstm_pointwise_figures(problems=LSTM_PROBLEMS):
    """The official sLSTM code's "lstm" pointwise function against lstm_step: h, c and the gates i, f, o."""
    worst = {"h": 0.0, "c": 0.0, "gates": 0.0}
    for B, H, seed in problems:
        rng = np.random.default_rng(seed)
        p = ll.init_lstm(3, H, rng=rng)
        p = p._replace(b=rng.uniform(-1, 1, 4 * H))  # non-zero biases
        x, h_prev, c_prev = rng.normal(size=(B, 3)), rng.normal(size=(B, H)), rng.normal(size=(B, H))
        states = torch.from_numpy(np.stack([h_prev, c_prev]))
        Wx, Ry = torch.from_numpy(x @ p.W_x), torch.from_numpy(h_prev @ p.W_h)
        new, gates = tp.vanilla.slstm_pointwise_function_registry["lstm"](Wx, Ry, torch.from_numpy(p.b), states, {})
        s = ll.lstm_step(x, h_prev, c_prev, p)
        worst["h"] = max(worst["h"], rel(s.h, new[0].numpy()))
        worst["c"] = max(worst["c"], rel(s.c, new[1].numpy()))
        for k, name in zip((0, 1, 3), "ifo"):  # the official gates come as i, f, z, o
            worst["gates"] = max(worst["gates"], rel(getattr(s, name), gates[k].numpy()))
    return worst


def mlstm_figures(name, problems=MLSTM_PROBLEMS):
    out = grad = 0.0
    for eps in (0.0, mlstm.EPS):
        for seed, shift in problems:
            q, k, v, i, f = tp._mlstm_problem(seed, i_shift=shift)
            B, NH = q.shape[:2]
            W = np.random.default_rng(seed + 100).normal(size=q.shape)
            official = [tp._t(a) for a in (q, k, v, i, f)]
            Hs_off = tp.OFFICIAL[name](*official, eps)
            (Hs_off * torch.from_numpy(W)).sum().backward()
            Hs_off = Hs_off.detach().numpy()
            ours = [tp._ours(a) for a in (q, k, v, i, f)]
            state0 = mlstm.zero_mlstm_state(B * NH, q.shape[-1]) if tp.OURS[name] == "zero" else None
            Hs, tr = mlstm.mlstm_recurrent(*ours, state0, eps=eps)
            results = [(Hs, mlstm.mlstm_recurrent_backward(tp._ours(W), tr))]
            if state0 is None:  # the parallel form and its own gradients too
                Hp, trace = mlstm_parallel_forward(*ours, eps)
                results.append((Hp, mlstm_parallel_backward(tp._ours(W), trace)))
            for H_ours, g in results:
                out = max(out, rel(tp._theirs(H_ours, B, NH), Hs_off))
                mine = (g.dQ, g.dK, g.dV, g.dI_tilde, g.dF_tilde)
                grad = max(grad, *(rel(tp._theirs(a, B, NH), t.grad.numpy()) for a, t in zip(mine, official)))
    return out, grad


def main(argv=None):
    args = build_parser().parse_args(argv)
    if MISSING:
        raise SystemExit(
            f"xlstm_parity_figures.py compares with the official code, which needs {', '.join(MISSING)}: "
            f'pip install -e ".[xlstm-parity]" after the PyTorch CPU wheel (README, contributor route).'
        )
    out = out_path(args, "xlstm_parity.json")
    first = (lambda problems: problems[:1]) if args.quick else (lambda problems: problems)
    result = header(args, "xlstm_parity")
    result.update(
        {
            "what": "max |lstmlearn - official| / max |official|, float64; gradients by PyTorch autograd",
            "versions": {
                "torch": torch.__version__,
                "xlstm": _version("xlstm"),
                "mlstm_kernels": _version("mlstm_kernels"),
            },
            "problems": {"slstm": first(SLSTM_PROBLEMS), "lstm": first(LSTM_PROBLEMS), "mlstm": first(MLSTM_PROBLEMS)},
        }
    )
    print("largest deviation from the official code, relative to the largest official value (float64)")
    h, g = slstm_figures(first(SLSTM_PROBLEMS))
    result["slstm"] = {"against": "xlstm vanilla backend (slstm pointwise function)", "h": h, "gradients": g}
    print(f"sLSTM against xlstm's vanilla backend: h {h:.1e}, gradients {g:.1e}")
    lstm = lstm_pointwise_figures(first(LSTM_PROBLEMS))
    result["lstm_pointwise"] = {"against": "xlstm vanilla backend, lstm pointwise function", **lstm}
    print("official lstm pointwise function against lstm_step: h {h:.1e}, c {c:.1e}, gates {gates:.1e}".format(**lstm))
    result["mlstm"] = {}
    for name in tp.OFFICIAL:
        h, g = mlstm_figures(name, first(MLSTM_PROBLEMS))
        result["mlstm"][name] = {"ours": tp.OURS[name], "h": h, "gradients": g}
        print(f"mLSTM against {name}: h {h:.1e}, gradients {g:.1e}")
    q, k, v, i, f = (torch.from_numpy(a) for a in tp._mlstm_problem(1, i_shift=-6.0))
    result["official_recurrent_vs_parallel"] = {}
    with torch.no_grad():
        for eps in (0.0, mlstm.EPS):
            r, p = (tp.OFFICIAL[n](q, k, v, i, f, eps).numpy() for n in ("xlstm recurrent", "xlstm parallel"))
            result["official_recurrent_vs_parallel"][f"{eps:g}"] = rel(r, p)
            print(
                f"official recurrent against official parallel form, i~ shifted by -6, eps = {eps:g}: {rel(r, p):.1e}"
            )
    write(result, out)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    main()
