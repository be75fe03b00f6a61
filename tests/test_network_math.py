"""The network experiment's pure parts: estimator, statistics, data, config, outputs.

None of these tests needs torch.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats as sps

from lab.errors import LabInputError
from lab.network.config import ModelConfig, NetworkConfig, RunSpec, default_config, quick_config
from lab.network.data import char_corpus, evenly_spaced_starts, load_text, windows
from lab.smoothness.local import alpha_grid, local_smoothness
from lab.network.stats import loglog_fit, partial_spearman, spearman

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


# --- the estimator against known answers -------------------------------------------------

@given(
    m=arrays(np.float64, (3, 3), elements=finite),
    x=arrays(np.float64, 3, elements=finite),
    d=arrays(np.float64, 3, elements=finite),
    n=st.integers(1, 6),
)
def test_quadratic_gives_norm_of_A_d_over_norm_d(m, x, d, n):
    # f = 0.5 x'Ax with A symmetric: grad difference is A(t d), so every alpha gives ||Ad||/||d||
    a = m + m.T
    assume(np.linalg.norm(d) > 1e-3)
    expected = np.linalg.norm(a @ d) / np.linalg.norm(d)
    got = local_smoothness(lambda v: a @ v, x, d, n_alpha=n)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert got <= np.linalg.norm(a, 2) * (1 + 1e-9) + 1e-9


def test_one_dimensional_quartic_by_hand():
    # f = x^4/4, f' = x^3, x = 1, d = 1
    grad = lambda v: v**3  # noqa: E731
    # n = 1: alpha = 1/2, t = 1/2: (1.5^3 - 1) / 0.5 = 4.75
    assert local_smoothness(grad, np.array([1.0]), np.array([1.0]), n_alpha=1) == pytest.approx(4.75)
    # n = 3: t in {3/4, 1/2, 1/4}; the largest t wins for a convex f': (1.75^3 - 1) / 0.75
    assert local_smoothness(grad, np.array([1.0]), np.array([1.0]), n_alpha=3) == pytest.approx(
        (1.75**3 - 1) / 0.75)


def test_exp_by_hand_and_direction():
    grad = np.exp
    up = local_smoothness(grad, np.array([0.0]), np.array([1.0]), n_alpha=1)
    assert up == pytest.approx((math.exp(0.5) - 1) / 0.5)
    # stepping downhill, the smallest t gives the largest ratio (f'' is largest near x)
    down = local_smoothness(grad, np.array([0.0]), np.array([-1.0]), n_alpha=3)
    assert down == pytest.approx((1 - math.exp(-0.25)) / 0.25)


def test_grad_x_shortcut_and_edge_cases():
    a = np.diag([1.0, 3.0])
    x, d = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    full = local_smoothness(lambda v: a @ v, x, d)
    assert local_smoothness(lambda v: a @ v, x, d, grad_x=a @ x) == full
    assert math.isnan(local_smoothness(lambda v: a @ v, x, np.zeros(2)))
    assert math.isnan(local_smoothness(lambda v: v * np.nan, x, d))
    with pytest.raises(LabInputError, match="shape"):
        local_smoothness(lambda v: v, x, np.zeros(3))
    for bad in (0, -1, 1.5, True):
        with pytest.raises(LabInputError, match="n_alpha"):
            alpha_grid(bad)
    assert alpha_grid(1).tolist() == [0.5]


# --- statistics ----------------------------------------------------------------------------

def test_fit_matches_scipy_on_noisy_data():
    rng = np.random.default_rng(1)
    g = np.exp(rng.normal(size=200))
    s = g**0.7 * np.exp(0.3 * rng.normal(size=200))
    fit = loglog_fit(g, s, n_boot=400, seed=3)
    ref = sps.linregress(np.log10(g), np.log10(s))
    assert fit.slope == pytest.approx(ref.slope)
    assert fit.intercept == pytest.approx(ref.intercept)
    assert fit.spearman == pytest.approx(sps.spearmanr(g, s).statistic)
    assert fit.slope_ci[0] < fit.slope < fit.slope_ci[1]
    assert fit.spearman_ci[0] < fit.spearman < fit.spearman_ci[1]
    assert fit.slope_ci[0] < 0.7 < fit.slope_ci[1]
    assert loglog_fit(g, s, n_boot=400, seed=3) == fit  # same seed, same intervals


def test_fit_drops_bad_points_and_handles_too_few():
    g = np.array([1.0, 2.0, np.nan, 4.0, -1.0, 8.0])
    s = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 0.0])
    fit = loglog_fit(g, s, n_boot=50)
    assert fit.n_points == 3 and fit.slope == pytest.approx(1.0)
    few = loglog_fit(np.array([1.0, 2.0]), np.array([1.0, 2.0]), n_boot=10)
    assert few.n_points == 2 and math.isnan(few.slope) and math.isnan(few.spearman_ci[0])
    with pytest.raises(LabInputError):
        loglog_fit(g, s[:2])
    with pytest.raises(LabInputError):
        loglog_fit(g, s, n_boot=0)
    with pytest.raises(LabInputError):
        loglog_fit(g, s, level=1.0)


def test_spearman_ties_and_partial():
    x, y = np.array([1.0, 1.0, 2.0, 3.0]), np.array([4.0, 3.0, 2.0, 2.0])
    assert float(spearman(x, y)) == pytest.approx(sps.spearmanr(x, y).statistic)
    rng = np.random.default_rng(0)
    t = np.arange(100.0)
    x, y = t + rng.normal(size=100) * 20, t + rng.normal(size=100) * 20
    # both trend with t but their wiggles are independent: the partial correlation is small
    assert spearman(x, y) > 0.5
    assert abs(partial_spearman(x + 50, y + 50, t)) < 0.3


# --- data, config, outputs ----------------------------------------------------------------

def test_bundled_text_and_windows():
    text = load_text()
    assert len(text) > 100_000 and "the" in text
    corpus = char_corpus()
    assert corpus.vocab_size < 200
    assert corpus.train.size > 8 * corpus.heldout.size
    decoded = "".join(corpus.alphabet[i] for i in corpus.train[:50])
    assert decoded == text[:50]
    starts = evenly_spaced_starts(corpus.train.size, 5, 10)
    x, y = windows(corpus.train, starts, 10)
    assert (x[:, 1:] == y[:, :-1]).all()
    with pytest.raises(LabInputError):
        evenly_spaced_starts(5, 2, 10)


def test_config_validation():
    assert RunSpec(2.0).label == "lr=2 unclipped"
    assert RunSpec(30.0, 0.25).label == "lr=30 clip=0.25"
    for bad in ({"lr": 0.0}, {"lr": float("inf")}, {"lr": 1.0, "clip": -1.0}):
        with pytest.raises(LabInputError):
            RunSpec(**bad)
    with pytest.raises(LabInputError, match="model"):
        ModelConfig(
            model="resnet", runs=(RunSpec(1.0),), iterations=1, batch_size=1, eval_every=1)
    with pytest.raises(LabInputError, match="iterations"):
        ModelConfig(
            model="mlp", runs=(RunSpec(1.0),), iterations=0, batch_size=1, eval_every=1)
    with pytest.raises(LabInputError, match="seed"):
        NetworkConfig(models=default_config().models, seed=-3)
    quick = quick_config(5)
    assert quick.seed == 5 and quick.name == "quick"
    for m in quick.models:  # every quick setting has a clipped and an unclipped run
        assert {r.clip is None for r in m.runs} == {True, False}


def test_package_imports_without_torch():
    code = ("import sys, lab.network, lab.cli.network_cmd; "
            "assert 'torch' not in sys.modules; assert 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
