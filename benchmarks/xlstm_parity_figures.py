"""How far lstmlearn's sLSTM and mLSTM are from the official xLSTM code, in float64: the figures.

    python benchmarks/xlstm_parity_figures.py

tests/test_xlstm_parity.py asserts agreement to 1e-10; this prints the largest deviation
actually found on the same problems, relative to the largest official value, for outputs and
for gradients (PyTorch autograd through the official functions), and the official recurrent
form against the official parallel form at eps = 0 and at its default eps = 1e-6. Needs
torch, xlstm and mlstm_kernels (pip install -e ".[xlstm-parity]" over the PyTorch CPU wheel).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import torch
import test_xlstm_parity as tp

from lstmlearn import mlstm, slstm
from lstmlearn.mlstm_parallel_grad import mlstm_parallel_backward, mlstm_parallel_forward


def rel(ours, theirs) -> float:
    """max |ours - theirs| / max |theirs|, or max |ours| where theirs is all zero (dR at T = 1, say)."""
    scale = np.max(np.abs(theirs))
    return float(np.max(np.abs(ours - theirs)) / (scale if scale > 0 else 1.0))


def slstm_figures():
    out = grad = 0.0
    for T, B, D, H, K, seed in [(1, 1, 1, 1, 1, 0), (6, 3, 4, 8, 2, 1), (12, 2, 5, 12, 3, 2), (5, 4, 3, 4, 4, 3)]:
        rng = np.random.default_rng(seed)
        p = slstm.init_slstm(D, H, K, rng, scale=1.0)
        X, W = rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H))
        Hs_off, _, g_off = tp._official_slstm(X, p, W)
        Hs, tr = slstm.slstm_forward(X, p)
        g = slstm.slstm_backward(W, tr, p)
        out = max(out, rel(Hs, Hs_off))
        grad = max(grad, rel(g.dX, g_off["X"]), *(rel(getattr(g.dparams, n), g_off[n]) for n in ("W_x", "R", "b")))
    return out, grad


def mlstm_figures(name):
    out = grad = 0.0
    for eps in (0.0, mlstm.EPS):
        for seed, shift in ((0, 0.0), (1, -6.0)):
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


def main():
    print("largest deviation from the official code, relative to the largest official value (float64)")
    print("sLSTM against xlstm's vanilla backend: h {:.1e}, gradients {:.1e}".format(*slstm_figures()))
    for name in tp.OFFICIAL:
        print(f"mLSTM against {name}: " + "h {:.1e}, gradients {:.1e}".format(*mlstm_figures(name)))
    q, k, v, i, f = (torch.from_numpy(a) for a in tp._mlstm_problem(1, i_shift=-6.0))
    with torch.no_grad():
        for eps in (0.0, mlstm.EPS):
            r, p = (tp.OFFICIAL[n](q, k, v, i, f, eps).numpy() for n in ("xlstm recurrent", "xlstm parallel"))
            print(
                f"official recurrent against official parallel form, i~ shifted by -6, eps = {eps:g}: {rel(r, p):.1e}"
            )


if __name__ == "__main__":
    main()
