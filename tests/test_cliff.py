"""The loss cliff of Pascanu et al.'s one-unit network (lstmlearn/cliff.py, notebook 02):
its gradient against finite differences and autograd, the wall, and clipped descent."""

import numpy as np
import pytest

import lstmlearn as ll
from lstmlearn.cliff import cliff_loss, descend

POINTS = [(5.5, -2.0), (4.9, -2.55), (6.2, -0.5), (3.0, 0.1), (-1.0, 2.0), (5.0, -2.6)]


def by_hand(w, b, T, x0=0.5, target=0.7):
    """The loss by the recurrence, written out with plain floats."""
    x = x0
    for _ in range(T):
        x = w / (1 + np.exp(-x)) + b
    return (x - target) ** 2


@pytest.mark.parametrize("T", [1, 3, 15])
@pytest.mark.parametrize("w, b", POINTS)
def test_loss_is_the_recurrence_and_its_gradient_matches_central_differences(w, b, T):
    point = cliff_loss(w, b, T=T)
    assert point.loss == pytest.approx(by_hand(w, b, T), rel=1e-13, abs=1e-15)
    eps = 1e-6
    dw = (by_hand(w + eps, b, T) - by_hand(w - eps, b, T)) / (2 * eps)
    db = (by_hand(w, b + eps, T) - by_hand(w, b - eps, T)) / (2 * eps)
    scale = max(1.0, abs(dw), abs(db))
    assert point.dw == pytest.approx(dw, abs=1e-6 * scale)
    assert point.db == pytest.approx(db, abs=1e-6 * scale)


def test_gradient_agrees_with_torch_autograd_on_a_grid():
    torch = pytest.importorskip("torch")
    W, B = np.meshgrid(np.linspace(3.5, 7.0, 9), np.linspace(-3.5, 0.0, 8))
    w = torch.tensor(W, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B, dtype=torch.float64, requires_grad=True)
    x = torch.full_like(w, 0.5)
    for _ in range(15):
        x = w * torch.sigmoid(x) + b
    ((x - 0.7) ** 2).sum().backward()
    ours = cliff_loss(W, B, T=15)
    np.testing.assert_allclose(ours.dw, w.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.db, b.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_the_wall_is_narrow_and_steep_and_the_loss_jumps_across_it():
    w = np.linspace(5.0, 6.5, 15001)
    point = cliff_loss(w, -3.0, T=15)
    norm = np.hypot(point.dw, point.db)
    wall = norm > 100
    assert 0 < wall.mean() < 0.05  # a thin wall: under 5 % of the slice
    assert norm.max() > 100 * np.median(norm)  # far steeper than the rest
    left, right = point.loss[w < w[wall].min()], point.loss[w > w[wall].max()]
    assert left.min() > 5 and right.min() < left.min() / 10  # a high plateau beside a low valley


def test_clipping_keeps_the_direction_and_limits_the_step():
    lr, max_norm = 0.01, 10.0
    free = descend(5.5, -2.0, lr, 30, T=15)
    clipped = descend(5.5, -2.0, lr, 30, max_norm=max_norm, T=15)
    first = int(np.argmax(free.grad_norm > max_norm))  # the first step that clipping changes
    assert free.grad_norm[first] > 10 * max_norm  # it is on the wall
    np.testing.assert_array_equal(free.path[: first + 1], clipped.path[: first + 1])  # the same until then
    step_free = free.path[first + 1] - free.path[first]
    step_clipped = clipped.path[first + 1] - clipped.path[first]
    cosine = step_free @ step_clipped / (np.linalg.norm(step_free) * np.linalg.norm(step_clipped))
    assert cosine == pytest.approx(1.0, abs=1e-12)
    assert np.linalg.norm(step_free) == pytest.approx(lr * free.grad_norm[first])
    assert clipped.step_norm.max() <= lr * max_norm * (1 + 1e-12)
    assert free.step_norm.max() > 20 * clipped.step_norm.max()
    assert free.loss[first + 1] > 10 * clipped.loss[first + 1]


def test_descent_is_gradient_descent_step_by_step():
    run = descend(4.0, -1.0, 0.05, 5, T=10)
    point = np.array([4.0, -1.0])
    for k in range(5):
        here = cliff_loss(*point, T=10)
        assert run.loss[k] == here.loss and run.grad_norm[k] == pytest.approx(np.hypot(here.dw, here.db))
        point = point - 0.05 * np.array([here.dw, here.db])
        np.testing.assert_allclose(run.path[k + 1], point, rtol=1e-15)
    assert run.path.shape == (6, 2) and run.loss.shape == (6,) and run.step_norm.shape == (5,)


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="T"):
        cliff_loss(1.0, 0.0, T=0)
    with pytest.raises(ValueError, match="lr must be a positive number"):
        descend(1.0, 0.0, lr=-0.1, steps=3)
    with pytest.raises(ValueError, match="steps"):
        descend(1.0, 0.0, lr=0.1, steps=0)
    with pytest.raises(ValueError, match="max_norm"):
        descend(1.0, 0.0, lr=0.1, steps=2, max_norm=0.0)


def test_plots_draw_the_runs_and_the_wall_and_return_their_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = {"without clipping": descend(5.5, -2.0, 0.01, 12, T=15), "clipped": descend(5.5, -2.0, 0.01, 12, 10.0, T=15)}
    ax = ll.plots.plot_cliff(runs, T=15, n=61)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[1:] == ["without clipping", "clipped", "start"] and "wall" in labels[0]
    drawn = {line.get_label(): line for line in ax.lines}
    np.testing.assert_array_equal(drawn["clipped"].get_xydata(), runs["clipped"].path)
    assert drawn["clipped"].get_linestyle() != drawn["without clipping"].get_linestyle()
    ax2 = ll.plots.plot_cliff_losses(runs)
    np.testing.assert_array_equal(ax2.lines[0].get_ydata(), runs["without clipping"].loss)
    assert ax2.get_yscale() == "log"
    plt.close("all")
