"""The user's own functions and step rules from the command line and in sweep configs:
``run --function EXPR``, ``run --rule EXPR``, constants from the certifier, ``expr``/``rule``
in a sweep config, and their mistakes (one line, exit 2)."""

from __future__ import annotations

import doctest
import importlib

import pandas as pd
import pytest

from lab.cli import main


@pytest.mark.parametrize("module_name", ["lab.cli.resolve", "lab.functions.expression"])
def test_docstring_examples_run(module_name):
    result = doctest.testmod(importlib.import_module(module_name),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def _run(argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def _plain_clipped_x6(x: float, eta: float, gamma: float, eps: float, cap: int) -> int:
    """T_eps of clipped GD on x^6 by a plain Python loop (f' = 6x^5)."""
    for t in range(cap + 1):
        g = 6 * x**5
        if abs(g) <= eps:
            return t
        x -= min(eta, gamma * eta / abs(g)) * g
    return -1


def test_run_an_expression_reports_iterations_to_eps(capsys):
    """The issue's command: clipped GD on the user's x**6 reaches eps, in as many iterations
    as a plain Python loop of the same update."""
    code, out, err = _run(["run", "--function", "x**6", "--method", "clipped", "--eta", "0.01",
                           "--gamma", "1", "--x0", "2", "--eps", "1e-3"], capsys)
    assert code == 0, err
    t = _plain_clipped_x6(2.0, 0.01, 1.0, 1e-3, 100_000)
    assert out.splitlines()[0].startswith("expression('x**6'), clipped(eta=0.01, gamma=1.0)")
    assert f"iterations to eps: min {t}, median {t}, max {t}" in out and t > 1000


@pytest.mark.parametrize("backend", ["numpy", "numba", "array_api_strict"])
def test_run_user_rule_equals_builtin_smoothed_clipping(capsys, backend):
    """--rule 'eta*gamma/(g+gamma)' gives the hitting times of the built-in smoothed_clipping
    on every backend (the same table, the method's name aside)."""
    pytest.importorskip("numba" if backend == "numba" else "numpy")
    if backend == "array_api_strict":
        pytest.importorskip("array_api_strict")
    common = ["--function", "quartic", "--eta", "0.05,0.1", "--gamma", "1", "--x0", "2",
              "--x0", "-0.7", "--eps", "1e-3", "--backend", backend]
    code_a, rule, _ = _run(["run", "--rule", "eta*gamma/(g+gamma)", *common], capsys)
    code_b, builtin, _ = _run(["run", "--method", "smoothed_clipping", *common], capsys)
    assert code_a == code_b == 0
    assert rule.splitlines()[1:] == builtin.splitlines()[1:]
    assert "converged" in rule


def test_constants_from_the_certifier_are_labelled(capsys):
    """eta_si given only L1 on x^4: L0 is the smallest valid one, 16/L1² = 4 at L1 = 2,
    exact (the certifier), and the output says so."""
    code, out, _ = _run(["run", "--function", "x^4", "--method", "eta_si", "--L1", "2",
                         "--x0", "2", "--eps", "1e-3"], capsys)
    assert code == 0
    assert "eta_si(L0=4.0, L1=2.0)" in out
    assert "L0 = 4 (the smallest valid L0 at L1 = 2; certifier, exact)" in out


@pytest.mark.parametrize("argv, message", [
    (["--function", "quartc", "--method", "gd", "--h", "0.1"], "did you mean 'quartic'"),
    (["--function", "x**2 +", "--method", "gd", "--h", "0.1"], "--function 'x**2 +'"),
    (["--function", "__import__('os')", "--method", "gd", "--h", "0.1"], "not allowed"),
    (["--function", "x**2", "--method", "gd", "--rule", "eta/g", "--h", "0.1"],
     "one of them"),
    (["--function", "x**2", "--h", "0.1"], "one of them"),
    (["--function", "x**2", "--rule", "eta/(1 + g)", "--eta", "0.1", "--beta", "2"],
     "'beta'"),
    (["--function", "x**2", "--rule", "eta/(1 + g", "--eta", "0.1"], "not a formula"),
    (["--function", "a*x**2", "-F", "b=1", "--method", "gd", "--h", "0.1"], "'b'"),
    (["--function", "x**2", "--method", "eta_si", "--L1", "0.5,1"], "one number"),
])
def test_user_input_mistakes_are_one_line(capsys, argv, message):
    code, _, err = _run(["run", *argv, "--x0", "1", "--eps", "1e-3"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert message in err, err


CONFIG = """
[sweep]
eps = 1e-3
max_iter = 20000

[[functions]]
expr = "a*x**4 + x**2"
params = { a = [0.5, 2.0] }
variables = ["x"]

[[methods]]
rule = "eta*gamma/(g + gamma)"
grid = { eta = [0.05], gamma = [1.0, 10.0] }

[[methods]]
name = "smoothed_clipping"
grid = { eta = [0.05], gamma = [1.0, 10.0] }

[starts]
values = [0.5, 2.0]
"""


def test_sweep_config_with_expressions_and_rules(tmp_path, capsys):
    """Each listed parameter value is one function; the user rule's rows have the hitting
    times of the built-in rule's rows."""
    cfg = tmp_path / "s.toml"
    cfg.write_text(CONFIG)
    code, out, err = _run(["sweep", str(cfg), "--out", str(tmp_path / "s.csv"), "--quiet"],
                          capsys)
    assert code == 0, err
    d = pd.read_csv(tmp_path / "s.csv")
    assert sorted(d["function"].unique()) == ["expression('a*x**4 + x**2', a=0.5)",
                                              "expression('a*x**4 + x**2', a=2.0)"]
    rule = d[d["method"] == "eta*gamma/(g + gamma)"].reset_index(drop=True)
    builtin = d[d["method"] == "smoothed_clipping"].reset_index(drop=True)
    assert len(rule) == 8 and (rule["hit"] > 0).all()
    assert rule["hit"].tolist() == builtin["hit"].tolist()


@pytest.mark.parametrize("old, new, message", [
    ('expr = "a*x**4 + x**2"', 'expr = "a*x**4 + x**2"\nname = "quartic"', "one of name or expr"),
    ('rule = "eta*gamma/(g + gamma)"', 'rule = "clipped"', "is a method name"),
    ('expr = "a*x**4 + x**2"', 'expr = "a*x**4 +"', "not a formula"),
    ('rule = "eta*gamma/(g + gamma)"', 'rule = "eta*gamma/(g + gamma"', "not a formula"),
    ('params = { a = [0.5, 2.0] }', 'params = { b = [0.5] }', "'b'"),
])
def test_sweep_config_mistakes(tmp_path, capsys, old, new, message):
    cfg = tmp_path / "s.toml"
    cfg.write_text(CONFIG.replace(old, new, 1))
    code, _, err = _run(["sweep", str(cfg), "--out", str(tmp_path / "s.csv"), "--quiet"],
                        capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert message in err, err
