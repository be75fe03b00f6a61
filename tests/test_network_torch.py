"""The torch side of the network experiment: gradients, clipping, determinism.

Skipped when PyTorch is not installed (``pip install -e ".[test,nn]"`` installs it).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("sklearn")

from lab.network.config import ModelConfig, NetworkConfig, RunSpec  # noqa: E402
from lab.smoothness.local import local_smoothness  # noqa: E402
from lab.network.experiment import build_task, run  # noqa: E402
from lab.network.models import CharLSTM, FlatObjective, global_norm, mlp  # noqa: E402
from lab.network.train import clip_scale, sgd_step, train_run  # noqa: E402


def _central_differences(obj: FlatObjective, x: np.ndarray, inputs, targets, coords, h=1e-6):
    out = []
    for i in coords:
        e = np.zeros_like(x)
        e[i] = h
        obj.set_flat(torch.from_numpy(x + e))
        up = obj.loss(inputs, targets)
        obj.set_flat(torch.from_numpy(x - e))
        down = obj.loss(inputs, targets)
        out.append((up - down) / (2 * h))
    obj.set_flat(torch.from_numpy(x))
    return np.array(out)


@pytest.mark.parametrize("kind", ["mlp", "lstm"])
def test_autograd_matches_finite_differences(kind):
    torch.manual_seed(0)
    if kind == "mlp":
        model = mlp(4, 5, 3).double()
        inputs = torch.randn(7, 4, dtype=torch.float64)
        targets = torch.randint(0, 3, (7,))
    else:
        model = CharLSTM(vocab=6, embed=3, hidden=4).double()
        inputs = torch.randint(0, 6, (3, 5))
        targets = torch.randint(0, 6, (3, 5))
    obj = FlatObjective(model)
    x = obj.flat().numpy().copy()
    grad = obj.grad_numpy(x, inputs, targets)
    coords = np.random.default_rng(1).choice(x.size, size=min(25, x.size), replace=False)
    fd = _central_differences(obj, x, inputs, targets, coords)
    np.testing.assert_allclose(grad[coords], fd, rtol=1e-5, atol=1e-8)


def test_estimator_on_a_linear_least_squares_model():
    # loss = mean CE is not quadratic, so use the known-answer check through torch instead:
    # a bias-free linear layer with squared loss has Hessian 2/n X'X (per output), and the
    # estimator along any step d equals ||H d|| / ||d||.
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 1, bias=False).double()
    xs = torch.randn(10, 3, dtype=torch.float64)
    ys = torch.randn(10, 1, dtype=torch.float64)

    def grad(v: np.ndarray) -> np.ndarray:
        w = torch.tensor(v, requires_grad=True)
        loss = ((xs @ w[:, None] - ys) ** 2).mean()
        (g,) = torch.autograd.grad(loss, w)
        return g.numpy()

    hess = 2.0 / 10 * (xs.T @ xs).numpy()
    d = np.array([0.3, -1.0, 0.5])
    got = local_smoothness(grad, lin.weight.detach().numpy().ravel(), d, n_alpha=4)
    assert got == pytest.approx(np.linalg.norm(hess @ d) / np.linalg.norm(d), rel=1e-10)


def test_clipped_step_never_longer_than_lr_times_clip():
    torch.manual_seed(0)
    params = [torch.randn(5, requires_grad=False), torch.randn(2, 3)]
    for scale_up in (1e-3, 1.0, 1e3):
        grads = [torch.randn(5) * scale_up, torch.randn(2, 3) * scale_up]
        before = [p.clone() for p in params]
        lr, clip = 3.0, 0.25
        s = clip_scale(global_norm(grads), clip)
        sgd_step(params, grads, lr, s)
        step = global_norm([p - b for p, b in zip(params, before)])
        assert step <= lr * clip * (1 + 1e-6)
        assert step == pytest.approx(lr * min(clip, global_norm(grads)), rel=1e-5)


def _tiny(eval_every: int = 4) -> NetworkConfig:
    return NetworkConfig(
        models=(
            ModelConfig(
                model="lstm", runs=(RunSpec(4.0), RunSpec(8.0, 0.25)), iterations=12, batch_size=4,
                eval_every=eval_every, subset_size=4, hidden=8, embed=4, seq_len=8),
            ModelConfig(
                model="mlp", runs=(RunSpec(1.0), RunSpec(50.0)), iterations=20, batch_size=8,
                eval_every=eval_every, subset_size=32, hidden=8, dtype="float64"),
        ),
        seed=3, n_boot=20, progress=False, name="tiny",
    )


def test_same_seed_same_bits_and_measuring_does_not_perturb():
    a, b = run(_tiny()), run(_tiny())
    c = run(_tiny(eval_every=3))
    for ta, tb, tc in zip(a.traces, b.traces, c.traces):
        for col in ta.steps:
            np.testing.assert_array_equal(ta.steps[col], tb.steps[col])
            np.testing.assert_array_equal(ta.steps[col], tc.steps[col])
        for col in ta.evals:
            np.testing.assert_array_equal(ta.evals[col], tb.evals[col])
    # every run of a model starts from the same point and sees the same first batch
    lstm = [t for t in a.traces if t.model == "lstm"]
    assert lstm[0].steps["batch_loss"][0] == lstm[1].steps["batch_loss"][0]


def test_divergence_is_a_result_not_a_crash():
    cfg = ModelConfig(
        model="mlp", runs=(RunSpec(1e200),), iterations=30, batch_size=8, eval_every=2,
        subset_size=16, hidden=8, dtype="float64")
    trace = train_run(build_task(cfg, 0), cfg.runs[0], cfg)
    assert trace.diverged_at is not None and trace.diverged_at < 30
    assert trace.steps["iteration"].size == trace.diverged_at
    assert math.isnan(trace.final["final_subset_loss"])
    assert np.isfinite(trace.steps["batch_loss"]).all()


def test_threads_restored():
    before = torch.get_num_threads()
    run(replace(_tiny(), threads=1))
    assert torch.get_num_threads() == before


def test_figures_are_bit_reproducible(tmp_path):
    from lab.network import make_figures

    result = run(_tiny())
    first = make_figures(result, tmp_path / "a")
    second = make_figures(result, tmp_path / "b")
    for p, q in zip(first, second):
        if p.suffix in (".svg", ".png", ".txt"):
            assert p.read_bytes() == q.read_bytes(), p.name
