"""The fused kernel is generated from definitions (rule source text, sympy gradients), never
from Python source read back: every backend compiles the same rule text."""

from __future__ import annotations

import numpy as np
import pytest

from lab.engine import run_batch
from lab.engine.fused_source import kernel_source
from lab.engine.codegen import program_for
from lab.engine.namespaces import rule_namespace
from lab.engine import fused_support
from lab.functions import function_names, get_function
from lab.methods import Method, clipped, rules


def test_every_backend_implements_the_whole_vocabulary():
    """A rule may call any name of VOCABULARY; NumPy, array-API and numba provide them all."""
    xps = pytest.importorskip("array_api_strict")
    assert set(rules.NUMPY_NAMES) == set(rules.VOCABULARY)
    assert set(rule_namespace(xps)) >= set(rules.VOCABULARY)
    assert set(fused_support.__all__) >= set(rules.VOCABULARY)


@pytest.mark.parametrize("name", sorted(rules.RULES))
def test_kernel_carries_each_rule_text_verbatim(name):
    rule = rules.RULES[name]
    method = Method(name, name, {k: 1.0 for k in rule.params})
    src = kernel_source(program_for(get_function("quartic")), method,
                        (False,) * len(rule.params), record=False)
    for line in rule.body:
        assert line in src


def test_a_rule_made_at_run_time_runs_on_every_backend():
    """A StepRule that exists in no source file (so inspect could not read it) compiles for
    NumPy, array-API and the fused kernel, and they agree."""
    half = rules.StepRule("half_clip", ("eta", "gamma"),
                          ("s = gamma / g", "where(g <= gamma, eta, 0.5 * eta * s)"))
    method = Method("half_clip", half, {"eta": 0.02, "gamma": 1.0})
    X = np.linspace(-2.5, 2.5, 11)[:, None]
    ref = run_batch("quartic", method, X, eps=1e-3, max_iter=2000)
    assert (ref.status == 0).all()
    for backend in ("numba", "array_api_strict"):
        if backend == "array_api_strict":
            pytest.importorskip("array_api_strict")
        r = run_batch("quartic", method, X, eps=1e-3, max_iter=2000, backend=backend)
        np.testing.assert_array_equal(r.hit, ref.hit)
        np.testing.assert_allclose(r.x, ref.x, rtol=1e-12)
    # the clip with factor 1/2 takes more iterations than clipped GD from large starts
    full = run_batch("quartic", "clipped", X, eps=1e-3, max_iter=2000,
                     params={"eta": 0.02, "gamma": 1.0})
    assert (ref.hit >= full.hit).all() and (ref.hit > full.hit).any()


@pytest.mark.parametrize("name", function_names())
def test_fused_kernel_agrees_with_numpy_on_every_zoo_function(name):
    """The fused kernel (vectorizable exp/sinh, branch-free selects) and NumPy (np.exp ...)
    reach the same hitting times and final points within 1e-12 relative on every zoo member."""
    f = get_function(name)
    base = np.asarray(f.info.start if f.info.start is not None else
                      0.3 + 0.1 * np.arange(f.dim), dtype=float)
    X = base[None, :] + np.random.default_rng(7).uniform(-0.8, 0.8, size=(24, f.dim))
    method = clipped(eta=0.02, gamma=1.0)
    a = run_batch(f, method, X, eps=1e-3, max_iter=400)
    b = run_batch(f, method, X, eps=1e-3, max_iter=400, backend="numba")
    np.testing.assert_array_equal(a.status, b.status)
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_allclose(b.x, a.x, rtol=1e-12, atol=1e-300)
