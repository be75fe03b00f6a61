"""The custom-program hook: an objective that supplies its own scalar gradient source and
constant arrays runs in the fused kernel like any objective, and agrees with NumPy (which
uses the objective's vectorized gradient)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from lab.engine import DIVERGED, run_batch
from lab.engine.custom import custom_program
from lab.engine.fused_source import kernel_source
from lab.errors import LabInputError
from lab.functions import FunctionInfo, Frontier, Objective, get_function
from lab.functions.scalar_gradient import ScalarGradient
from lab.methods import clipped, gd, sgd, user_rule

GRADIENT = """\
i = np.searchsorted(KNOTS, v0, side='right')
g0 = AMP[i] * exp(RATE[i] * (v0 - ANCHOR[i])) + OFFSET[i]
"""


class PiecewiseExp(Objective):
    """A univariate function whose derivative is piecewise exponential:
    ``f'(x) = AMP[i] exp(RATE[i] (x - ANCHOR[i])) + OFFSET[i]`` on piece ``i`` (the number of
    knots <= x), continuous at the knots; ``f`` is its integral (0 at the first anchor)."""

    def __init__(self, knots, amp, rate):
        knots, amp, rate = (np.asarray(v, dtype=float) for v in (knots, amp, rate))
        anchor = np.concatenate([knots[:1], knots])
        offset = np.zeros_like(amp)
        level = np.zeros_like(amp)
        offset[0] = -amp[0]
        for i in range(1, amp.size):   # continuity of f' and f at knot i-1
            left = self._piece(i - 1, knots[i - 1], amp, rate, anchor, offset)
            offset[i] = left - amp[i]
            level[i] = self._primitive(i - 1, knots[i - 1], amp, rate, anchor, offset, level)
        self.arrays = {"KNOTS": knots, "AMP": amp, "RATE": rate, "ANCHOR": anchor,
                       "OFFSET": offset, "LEVEL": level}
        info = FunctionInfo(frontier=Frontier("certifier"), l_smooth=False, bounded_below=True)
        super().__init__("piecewise_exp", 1, "piecewise exponential (test)", info)

    @staticmethod
    def _piece(i, x, amp, rate, anchor, offset):
        return amp[i] * np.exp(rate[i] * (x - anchor[i])) + offset[i]

    @staticmethod
    def _primitive(i, x, amp, rate, anchor, offset, level):
        u = x - anchor[i]
        return amp[i] / rate[i] * (np.exp(rate[i] * u) - 1.0) + offset[i] * u + level[i]

    def _index(self, x):
        return np.searchsorted(self.arrays["KNOTS"], x, side="right")

    def _grad(self, X):
        x = X[:, 0]
        a = self.arrays
        i = self._index(x)
        return (a["AMP"][i] * np.exp(a["RATE"][i] * (x - a["ANCHOR"][i])) + a["OFFSET"][i])[:, None]

    def _value(self, X):
        a = self.arrays
        return self._primitive(self._index(X[:, 0]), X[:, 0], a["AMP"], a["RATE"], a["ANCHOR"],
                               a["OFFSET"], a["LEVEL"])

    def _hess(self, X):  # pragma: no cover - not needed by the engine
        raise NotImplementedError

    def reductions(self):  # pragma: no cover
        return []

    def scalar_gradient(self) -> ScalarGradient:
        return ScalarGradient(source=GRADIENT, arrays=self.arrays)


def witness_pieces():
    """w'(x) = sign(x)(e^|x| - 1), the zoo's witness with L0 = L1 = 1, in pieces."""
    return PiecewiseExp([0.0], [-1.0, 1.0], [-1.0, 1.0])


def three_pieces():
    return PiecewiseExp([-1.0, 0.5, 2.0], [-0.5, 1.0, 2.0, 0.3], [-2.0, 1.5, 0.5, 3.0])


def test_pieces_match_a_closed_form_and_finite_differences():
    """The test objective is what it says: the witness's gradient, and f' = d f/dx."""
    x = np.linspace(-3, 3, 61)[:, None]
    w, ref = witness_pieces(), get_function("witness")
    np.testing.assert_array_equal(w.grad(x), ref.grad(x))
    f = three_pieces()
    h = 1e-6
    fd = (f.value(x + h) - f.value(x - h)) / (2 * h)
    np.testing.assert_allclose(fd, f.grad(x)[:, 0], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_custom_witness_runs_exactly_as_the_zoo_witness(backend):
    """Same arithmetic (-e + 1 is 1 - e exactly), so the same bits as the sympy-generated
    witness on each backend."""
    X = np.linspace(-2.5, 2.5, 23)[:, None] + 0.003
    m = clipped(eta=0.1, gamma=1.0)
    a = run_batch(witness_pieces(), m, X, eps=1e-4, max_iter=500, backend=backend)
    b = run_batch("witness", m, X, eps=1e-4, max_iter=500, backend=backend)
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_array_equal(a.x, b.x)
    assert (a.status == 0).all()


@pytest.mark.parametrize("method", [clipped(eta=0.05, gamma=1.0),
                                    user_rule("Min(eta, eta*gamma/g)", eta=0.05, gamma=1.0),
                                    sgd(h=0.02, tau=0.2)], ids=lambda m: m.name)
def test_custom_objective_numpy_and_fused_agree(method):
    f = three_pieces()
    X = np.linspace(-3.0, 3.5, 40)[:, None]
    a = run_batch(f, method, X, eps=1e-3, max_iter=400, seeds=5)
    b = run_batch(f, method, X, eps=1e-3, max_iter=400, seeds=5, backend="numba")
    np.testing.assert_array_equal(a.status, b.status)
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_allclose(b.x, a.x, rtol=1e-12)
    np.testing.assert_allclose(b.f, a.f, rtol=1e-12)


def test_one_kernel_serves_members_with_different_arrays():
    """The kernel depends on the source and the array names, not on their values."""
    m = clipped(eta=0.1, gamma=1.0)
    src = [kernel_source(custom_program(f), m, (False, False), False)
           for f in (three_pieces(), PiecewiseExp([-2.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0],
                                                  [1.0, 2.0, 3.0, 4.0]))]
    assert src[0] == src[1] and "def _gradient(v0, AMP, ANCHOR, KNOTS, LEVEL, OFFSET, RATE)" \
        in src[0]


def test_divergence_and_trajectories_follow_the_engine_contract():
    f = PiecewiseExp([0.0], [-1.0, 1.0], [-1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for backend in ("numpy", "numba"):
            r = run_batch(f, gd(h=10.0), [[0.0], [3.0]], eps=1e-6, max_iter=50,
                          backend=backend, record_every=1)
            assert r.status.tolist() == [0, DIVERGED] and r.diverged_at[1] >= 1
            assert np.isfinite(r.trajectory.x).all()


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(source=""), "source must be Python statements"),
    (dict(source="g0 = v0", arrays={"knots": [1.0]}), "must be upper case"),
    (dict(source="g0 = v0", arrays={"X": [1.0]}), "must be upper case"),
    (dict(source="g0 = v0", arrays={"K": [[1.0]]}), "must be 1-D"),
])
def test_bad_hooks_are_one_clear_error(kwargs, fragment):
    with pytest.raises(LabInputError, match=fragment):
        ScalarGradient(**kwargs)
