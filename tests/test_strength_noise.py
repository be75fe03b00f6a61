"""The stochastic oracle's laws, checked on what the lab draws (issue 15, item 1).

Each noise model of :mod:`lab.engine.noise` promises a distribution; these tests check the
promise on samples, through the module and through the engine (one SGD step from a point
whose gradient is known, so ``ξ = (x0 - x1)/h - ∇f(x0)``).

Statistical tests and their confidence: every test statistic is compared with the bound a
*correct* implementation exceeds with probability at most ``ALPHA = 1e-6`` (z-scores: 4.9
standard errors; Kolmogorov-Smirnov: p-value >= 1e-6). Seeds are fixed, so each test is
deterministic: it passes for the lab's streams, and would fail by chance for at most one
stream in a million if the streams were truly random. A planted bug (every seed the same
stream, a radius drawn as ``τ U`` instead of ``τ U^{1/d}``, a variance off by a factor d)
moves a statistic far beyond these bounds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from lab.engine import run_batch
from lab.engine.noise import keys_from_seeds, sample, uniform
from lab.functions import get_function
from lab.methods import sgd

#: the false-alarm probability of each statistical check below
ALPHA = 1e-6
#: the two-sided normal quantile of ALPHA (a correct mean lies within Z standard errors)
Z = float(stats.norm.isf(ALPHA / 2))
#: samples per law
N = 20_000


def _draw(model: str, tau: float, d: int, *, n: int = N, k: int = 0, first_seed: int = 0):
    """``n`` noise vectors (n, d) of iteration ``k`` for seeds ``first_seed .. + n - 1``."""
    keys = keys_from_seeds(np.arange(first_seed, first_seed + n))
    G = np.ones((d, n))  # the gradient only matters to the adversarial model
    return sample(model, tau, keys, k, G, np.full(n, math.sqrt(d))).T


def _assert_zero_mean(xi: np.ndarray) -> None:
    """Each coordinate's sample mean within Z standard errors of 0."""
    n = xi.shape[0]
    se = xi.std(axis=0, ddof=1) / math.sqrt(n)
    assert (se > 0).all(), "every sample is the same: the seeds do not give distinct streams"
    assert (np.abs(xi.mean(axis=0)) <= Z * se).all(), (xi.mean(axis=0), se)


def _assert_mean(values: np.ndarray, expected: float) -> None:
    """The sample mean of ``values`` within Z standard errors of ``expected``."""
    se = values.std(ddof=1) / math.sqrt(values.size)
    assert se > 0, "every sample is the same: the seeds do not give distinct streams"
    assert abs(values.mean() - expected) <= Z * se, (values.mean(), expected, se)


def _assert_ks(values: np.ndarray, cdf) -> None:
    """A one-sample Kolmogorov-Smirnov test does not reject at level ALPHA."""
    result = stats.kstest(values, cdf)
    assert result.pvalue >= ALPHA, (result.statistic, result.pvalue)


# --- streams -----------------------------------------------------------------------------

def test_distinct_seeds_give_distinct_streams():
    """Seeds 0..999 give 1000 distinct keys, and their first variates are all distinct; the
    same seed gives the same stream again (a counter-based generator is a pure function)."""
    seeds = np.arange(1000)
    keys = keys_from_seeds(seeds)
    assert np.unique(keys).size == seeds.size
    first = uniform(keys, np.uint64(0))
    assert np.unique(first).size == seeds.size
    np.testing.assert_array_equal(uniform(keys_from_seeds(seeds), np.uint64(0)), first)
    # a stream is not its neighbour's stream shifted by one counter
    assert not np.isin(uniform(keys[:1], np.uint64(1)), first).any()


def test_uniform_variates_are_uniform_on_the_unit_interval():
    """Output ``c`` of the streams of many seeds, and many outputs of one stream: both
    uniform on (0, 1] (KS test), never 0 (the Box-Muller logarithm needs u > 0)."""
    across = uniform(keys_from_seeds(np.arange(N)), np.uint64(7))
    along = uniform(keys_from_seeds(np.array([12345])), np.arange(N, dtype=np.uint64))
    for u in (across, along):
        assert ((u > 0) & (u <= 1)).all()
        _assert_ks(u, "uniform")


def test_successive_variates_of_a_stream_are_uncorrelated():
    """Iterations k and k + 1 of the same runs: sample correlation of the first coordinate
    within Z/sqrt(n) of 0 (independent draws)."""
    a = _draw("gaussian", 1.0, 2, k=10)[:, 0]
    b = _draw("gaussian", 1.0, 2, k=11)[:, 0]
    r = float(np.corrcoef(a, b)[0, 1])
    assert abs(r) <= Z / math.sqrt(N)


# --- the laws ----------------------------------------------------------------------------

@pytest.mark.parametrize("d", [1, 2, 5])
def test_ball_noise_is_uniform_in_the_ball(d):
    """``ball``: ||ξ|| <= τ always; E ξ = 0; the radius has the law of τ U^{1/d}, so
    (||ξ||/τ)^d is uniform on (0, 1] (KS test) and E||ξ||² = τ² d/(d + 2)."""
    tau = 0.7
    xi = _draw("ball", tau, d)
    r = np.linalg.norm(xi, axis=1)
    assert (r <= tau * (1 + 4 * d * np.finfo(float).eps)).all()
    _assert_zero_mean(xi)
    _assert_ks((r / tau) ** d, "uniform")
    _assert_mean(r**2, tau**2 * d / (d + 2))


@pytest.mark.parametrize("d", [2, 3])
def test_sphere_noise_is_uniform_on_the_sphere(d):
    """``sphere``: ||ξ|| = τ (to rounding); E ξ = 0; the direction is uniform: for d = 3 a
    coordinate is uniform on [-τ, τ] (Archimedes), for d = 2 the angle is uniform."""
    tau = 2.5
    xi = _draw("sphere", tau, d)
    np.testing.assert_allclose(np.linalg.norm(xi, axis=1), tau, rtol=1e-14)
    _assert_zero_mean(xi)
    if d == 3:
        _assert_ks(xi[:, 0], stats.uniform(loc=-tau, scale=2 * tau).cdf)
    else:
        _assert_ks(np.arctan2(xi[:, 1], xi[:, 0]), stats.uniform(loc=-np.pi,
                                                                   scale=2 * np.pi).cdf)


@pytest.mark.parametrize("d", [1, 4])
def test_gaussian_noise_has_the_stated_variance(d):
    """``gaussian``: N(0, τ²/d I): each coordinate normal with variance τ²/d (KS test),
    E ξ = 0, E||ξ||² = τ²."""
    tau = 0.3
    xi = _draw("gaussian", tau, d)
    _assert_zero_mean(xi)
    _assert_mean(np.sum(xi**2, axis=1), tau**2)
    for i in range(d):
        _assert_ks(xi[:, i], stats.norm(scale=tau / math.sqrt(d)).cdf)


def test_adversarial_noise_points_against_the_gradient():
    """``adversarial``: ξ = -τ ∇f/||∇f||, and 0 where ∇f = 0 (no nan)."""
    G = np.array([[3.0, 0.0, -1.0], [4.0, 0.0, 0.0]])
    gn = np.linalg.norm(G, axis=0)
    xi = sample("adversarial", 0.5, keys_from_seeds(np.arange(3)), 0, G, gn)
    np.testing.assert_allclose(xi, [[-0.3, 0.0, 0.5], [-0.4, 0.0, 0.0]], rtol=1e-15)


# --- through the engine ------------------------------------------------------------------

@pytest.mark.parametrize("noise", ["ball", "sphere", "gaussian"])
def test_engine_draws_one_independent_noise_per_seed(noise):
    """One SGD step ``x1 = x0 - h (∇f(x0) + ξ)`` on ||x||⁴ (d = 3) from the same x0 with
    seeds 0..n-1: the recovered ξ have the model's law (zero mean, E||ξ||²), and each seed
    gives its own ξ."""
    f = get_function("quartic_norm", d=3)
    n, h, tau = 4000, 0.25, 0.5
    x0 = np.array([0.5, -0.25, 1.0])
    grad = f.grad(x0[None, :])[0]
    r = run_batch(f, sgd(h=h, tau=tau, noise=noise), np.tile(x0, (n, 1)), eps=0.0,
                  max_iter=1, seeds=np.arange(n))
    xi = (x0[None, :] - r.x) / h - grad[None, :]
    assert np.unique(xi[:, 0]).size == n
    _assert_zero_mean(xi)
    second = {"ball": tau**2 * 3 / 5, "sphere": tau**2, "gaussian": tau**2}[noise]
    _assert_mean(np.sum(xi**2, axis=1), second)


def test_theorem7_hoeffding_margin_rests_on_independent_seeds(monkeypatch):
    """Theorem 7's check averages ``n = budget.seeds`` runs and puts a Hoeffding margin on the
    mean: that margin is only valid if the n runs are independent. Every batch it runs has n
    distinct seeds and n distinct per-seed averages (a stream shared by all seeds would give
    one value n times, and the margin would rest on one sample)."""
    import lab.claims.stochastic as stochastic
    from lab.claims.claim import Budget

    batches = []

    def spy(*args, **kwargs):
        result = run_batch(*args, **kwargs)
        batches.append((kwargs.get("seeds"), result))
        return result

    monkeypatch.setattr(stochastic, "run_batch", spy)
    n = 40
    budget = Budget(name="test", examples=1, seconds=math.inf, grid=3, max_iter=20_000, seeds=n)
    observations = stochastic.theorem7_observations(budget, seed=0)
    assert batches and len(batches) == sum(o.ratio is not None for o in observations)
    for seeds, result in batches:
        assert np.unique(seeds).size == n
        per_seed = result.trajectory.grad_norm.mean(axis=0)
        assert np.unique(per_seed).size == n
