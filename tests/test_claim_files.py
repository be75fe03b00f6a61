"""Claims as files: the issue's TOML, the catalogue's own files, the example folder, and every
kind of mistake in a file (one line naming the file and the key, exit code 2)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest
import sympy as sp
from click.testing import CliRunner

from lab.claims import Claim, IterationBound, check_claim, get_claim, iteration_search
from lab.claims.claim import DELTA, EPS, L0, L1, M
from lab.claims.files import catalogue_dir, load_claim_file, load_claims
from lab.classes import zoo_class
from lab.cli import check_cmd, claims_cmd, main
from lab.methods import (clipped, eta_cl, eta_si, eta_star, gd, normalized_from_clipped,
                         theorem3_clipped)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "claims"
ISSUE_TOML = EXAMPLES / "clipped-constant-12.toml"


@pytest.mark.parametrize("module_name", [
    "lab.claims.files", "lab.claims.files.reader", "lab.claims.files.formulas",
    "lab.claims.files.method"])
def test_docstring_examples_run(module_name):
    result = doctest.testmod(importlib.import_module(module_name),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_issue_toml_matches_the_python_api():
    """The issue's file, checked from the command line, and the same claim written with the
    Python API give the same verdict and the same worst ratio."""
    bound = 12 * L0 * DELTA / EPS**2 + 12 * sp.Max(1, L1**2) * DELTA / L0
    cls = zoo_class(["quartic", "log_exp_sum", "witness"], L1=[0.5, 1.0, 2.0])
    spec = IterationBound(lambda m, eps, d, mm: clipped(eta=1 / (10 * m.L0),
                                                        gamma=min(10 * m.L0, m.L0 / m.L1)),
                          bound)
    python = Claim(name="clipped-constant-12", title="t", source="s", tag="D",
                   kind="upper-bound", expected="holds", statement="s",
                   checks=(iteration_search(spec, function_class=cls),))
    from_python = check_claim(python, budget="quick")
    from_file = check_claim(load_claim_file(ISSUE_TOML), budget="quick")
    assert (from_file.verdict, from_file.worst_ratio) == (from_python.verdict,
                                                          from_python.worst_ratio)
    assert from_file.verdict == "holds" and 0 < from_file.worst_ratio < 1
    with pytest.raises(SystemExit) as info:
        main(["check", "--claim", str(ISSUE_TOML), "--budget", "quick"])
    assert info.value.code == 0


def test_user_rule_file_equals_the_builtin_rule_file(tmp_path):
    """The same claim with rule = "eta*gamma/(g + gamma)" and with the built-in
    smoothed_clipping: the same verdict, worst ratio and worst instance (the method's name
    aside) on the default class."""
    text = (EXAMPLES / "smoothed-clipping-rule.toml").read_text()
    (tmp_path / "builtin.toml").write_text(
        text.replace('rule = "eta*gamma/(g + gamma)"', 'name = "smoothed_clipping"'))
    a = check_claim(load_claim_file(EXAMPLES / "smoothed-clipping-rule.toml"), budget="quick")
    b = check_claim(load_claim_file(tmp_path / "builtin.toml"), budget="quick")
    assert (a.verdict, a.worst_ratio, a.evaluations) == (b.verdict, b.worst_ratio,
                                                         b.evaluations)
    assert a.where.replace("user_rule('eta*gamma/(g + gamma)', ", "smoothed_clipping(") == \
        b.where


def test_example_folder_checks_as_expected():
    """Every example claim file: the verdict is its recorded expectation (one of them is a
    deliberately wrong constant, expected refuted)."""
    r = CliRunner().invoke(claims_cmd.command, ["--file", str(EXAMPLES), "--budget", "quick",
                                                "--no-progress"])
    assert r.exit_code == 0, r.output
    n = len(list(EXAMPLES.glob("*.toml")))
    assert f"{n} claims: {n} as expected, 0 unexpected" in r.output


@pytest.mark.slow
def test_whole_class_upper_bound_file_end_to_end():
    """The issue's claim on the whole class (whole = "1d"): checked by the adversary, the
    verdict says what it covered (about 40 s at the quick budget)."""
    r = CliRunner().invoke(check_cmd.command, [
        "--claim", str(ROOT / "examples" / "claims-whole" / "clipped-constant-12-whole.toml"),
        "--budget", "quick"])
    assert r.exit_code == 0, r.output
    assert "by adversary" in r.output and "class: the whole univariate class" in r.output


def test_claims_file_exit_1_on_an_unexpected_verdict(tmp_path):
    text = ISSUE_TOML.read_text().replace('expected = "holds"', 'expected = "refuted"')
    (tmp_path / "wrong.toml").write_text(text)
    r = CliRunner().invoke(claims_cmd.command, ["--file", str(tmp_path), "--budget", "quick",
                                                "--no-progress"])
    assert r.exit_code == 1
    assert "holds (!)" in r.output


#: the catalogue's iteration bounds as the Python catalogue wrote them
BOUNDS = {
    "theorem3-clipped-gd": 20 * L0 * DELTA / EPS**2 + 20 * sp.Max(1, L1**2) * DELTA / L0,
    "theorem3-weakened": 2 * L0 * DELTA / EPS**2 + 2 * sp.Max(1, L1**2) * DELTA / L0,
    "normalized-gd": 2 * (20 * L0 * DELTA / EPS**2 + 20 * sp.Max(1, L1**2) * DELTA / L0),
    "theorem6-gd": 4 * (M * L1 + L0) * DELTA / EPS**2,
    "vankov-eta-star": 2 * L0 * DELTA / EPS**2 + 3 * L1 * DELTA / EPS,
    "vankov-eta-si": 2 * L0 * DELTA / EPS**2 + 3 * L1 * DELTA / EPS,
    "vankov-eta-cl": 4 * L0 * DELTA / EPS**2 + 6 * L1 * DELTA / EPS,
}
#: the catalogue's methods as the Python catalogue built them
METHODS = {
    "theorem3-clipped-gd": lambda m, mm: theorem3_clipped(m.L0, m.L1),
    "normalized-gd": lambda m, mm: normalized_from_clipped(
        theorem3_clipped(m.L0, m.L1).params["eta"], theorem3_clipped(m.L0, m.L1).params["gamma"]),
    "theorem6-gd": lambda m, mm: gd(h=1.0 / (2.0 * (mm * m.L1 + m.L0))),
    "vankov-eta-star": lambda m, mm: eta_star(L0=m.L0, L1=m.L1),
    "vankov-eta-si": lambda m, mm: eta_si(L0=m.L0, L1=m.L1),
    "vankov-eta-cl": lambda m, mm: eta_cl(L0=m.L0, L1=m.L1),
}


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_catalogue_files_state_the_python_claims(name):
    """The catalogue's files give the bounds the Python catalogue had, and methods with the
    same parameters, bit for bit, at every member of the default class (two ways to the
    same numbers: the file's formulas and the lab's theorem helpers)."""
    claim = get_claim(name)
    assert sp.simplify(claim.bound - BOUNDS[name]) == 0 and claim.bound == BOUNDS[name]
    if name not in METHODS:
        return
    spec = load_claim_file(catalogue_dir() / f"{name}.toml")
    method = IterationBound  # noqa: F841 - the file's method is the search's spec
    file_method = spec.checks[0]  # search
    assert file_method.name == "search"
    from lab.claims.files.build import claim_from_tables, file_method as build_method
    from lab.claims.files.reader import FileReader, read_toml

    fm = build_method(FileReader(read_toml(catalogue_dir() / f"{name}.toml"), name), False)
    positive = name in ("theorem3-clipped-gd", "normalized-gd")
    members = zoo_class().sweep_members(positive_l0=positive)
    from lab.classes import make_member, witness_member

    members += [witness_member(0.5, 0.5), make_member("norm_power", L1=0.5, d=1, n=3),
                make_member("logistic", L1=1.0, L0=1.0, d=1, scale=1.0)]
    for m in members:
        for mm in (0.5, 3.0, 1e3):
            assert repr(fm(m, 0.1, 1.0, mm)) == repr(METHODS[name](m, mm))
    assert claim_from_tables  # the module's entry point exists


def test_catalogue_is_mostly_files():
    files = sorted(p.stem for p in catalogue_dir().glob("*.toml"))
    assert len(files) == 25
    assert {c.name for c in load_claims(catalogue_dir())} == set(files)


BASE = """
[claim]
name = "c"
kind = "upper-bound"
expected = "holds"

[class]
zoo = ["quartic", "cosh"]
L1 = [1.0]

[method]
name = "clipped"
eta = "1/(10*L0)"
gamma = "Min(10*L0, L0/L1)"

[bound]
T = "20*L0*Delta/eps**2 + 20*Max(1, L1**2)*Delta/L0"
"""


def _edit(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


MISTAKES = [
    (BASE + "\n[extra]\nx = 1\n", "[extra]", "unknown table"),
    (_edit('name = "c"', 'nmae = "c"'), "[claim] nmae", "unknown key"),
    (_edit('kind = "upper-bound"', 'kind = "upper"'), "[claim] kind", "'upper-bound'"),
    (_edit('expected = "holds"', 'expected = "true"'), "[claim] expected", "'refuted'"),
    (_edit('expected = "holds"', ""), "[claim] expected", "missing"),
    (BASE.split("[bound]")[0], "[bound]", "missing table"),
    (_edit('zoo = ["quartic", "cosh"]', 'zoo = ["quartic"]\nexpr = "x**4"'), "[class]",
     "exactly one of zoo, expr, whole"),
    (_edit('zoo = ["quartic", "cosh"]', ''), "[class]", "exactly one of"),
    (_edit('zoo = ["quartic", "cosh"]', 'zoo = ["cubic"]'), "[class]", "unbounded below"),
    (_edit('zoo = ["quartic", "cosh"]', 'zoo = ["nope"]'), "[class] zoo", "not in the zoo"),
    (_edit('zoo = ["quartic", "cosh"]', 'zoo = "quartic"'), "[class] zoo", '"all" or a list'),
    (_edit("L1 = [1.0]", "L1 = [-1.0]"), "[class] L1", ">= 0"),
    (_edit("L1 = [1.0]", 'L1 = ["a"]'), "[class] L1", "list of finite numbers"),
    (_edit("L1 = [1.0]", "L1 = [1.0]\nx0 = [2.0, 1.0]"), "[class] x0", "low < high"),
    (_edit('zoo = ["quartic", "cosh"]', 'zoo = ["exp"]').replace("L1 = [1.0]", "L1 = [0.5]"),
     "[class]", "no valid L0 at L1 = 0.5"),
    (_edit('zoo = ["quartic", "cosh"]', 'whole = "2d"'), "[class] whole", "'1d'"),
    (_edit("L1 = [1.0]", "L1 = [1.0]\nparams = { a = [1.0] }"), "[class] params",
     'only with expr'),
    (_edit('zoo = ["quartic", "cosh"]', 'expr = "x**2 +"'), "[class] expr", "not a formula"),
    (_edit('zoo = ["quartic", "cosh"]', 'expr = "__import__(\'os\').system(\'echo hi\')"'),
     "[class] expr", "may be called"),
    (_edit('name = "clipped"', 'name = "clip"'), "[method] name", "'clipped'"),
    (_edit('name = "clipped"', 'name = "clipped"\nrule = "eta/g"'), "[method]",
     "exactly one of name"),
    (_edit('eta = "1/(10*L0)"', 'etta = "1/(10*L0)"'), "[method] etta",
     "not a parameter of clipped"),
    (_edit('gamma = "Min(10*L0, L0/L1)"', ""), "[method] gamma", "missing"),
    (_edit('eta = "1/(10*L0)"', 'eta = "1/(10*L0"'), "[method] eta", "not a formula"),
    (_edit('eta = "1/(10*L0)"', 'eta = "1/(10*X)"'), "[method] eta", "'X'"),
    (_edit('eta = "1/(10*L0)"', 'eta = [0.1, 0.2]'), "[method] eta", "only allowed in a "
     "lower-bound"),
    (_edit('eta = "1/(10*L0)"', 'eta = "-1/(10*L0)"'), "[method]", "eta must be"),
    (_edit('name = "clipped"', 'name = "sgd"'), "[method] name", "'clipped'"),
    (_edit('T = "20', 'model = "20'), "[bound] model", "not a key of a upper-bound claim"),
    (_edit('Delta/L0"', 'Delta/L0)"'), "[bound] T", "not a formula"),
    (_edit('T = "20*L0*Delta/eps**2', 'T = "20*L0*g/eps**2'), "[bound] T", "'g'"),
    (_edit('kind = "upper-bound"', 'kind = "descent"'), "[method]", "has no [method]"),
    (_edit('kind = "upper-bound"', 'kind = "lower-bound"'), "[method]",
     "needs one free parameter"),
    (BASE + "\n[check]\ndefault = \"prove\"\n", "[check] default", "'search'"),
    (BASE + "\n[check]\nx = [-1.0, 1.0]\n", "[check] x", "not a key of a upper-bound"),
    (_edit('kind = "upper-bound"', 'kind = "smoothness"').split("[method]")[0]
     + '[bound]\nL0 = "1"\n[check]\nx = [1.0]\n', "[check] x", "[low, high]"),
    (_edit('kind = "upper-bound"', 'kind = "smoothness"').split("[method]")[0]
     + '[bound]\nL0 = "L0*2"\n', "[bound] L0", "'L0'"),
    (BASE + "\n[check]\nexamples = [{ function = \"quartic\" }]\n", "[check] examples",
     "bad instance"),
    (BASE + "\n[check]\nprove = \"nope\"\n", "[check] prove", "blog_condition_gap"),
    (BASE + "\n[check]\nunknown = 1\n", "[check] unknown", "unknown key"),
    ("[claim\nname = 1", "", "not valid TOML"),
]


@pytest.mark.parametrize("text, key, message", MISTAKES,
                         ids=[f"{i}-{m[1] or 'toml'}" for i, m in enumerate(MISTAKES)])
def test_a_mistake_in_a_file_is_one_line_naming_file_and_key(tmp_path, capsys, text, key,
                                                             message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(SystemExit) as info:
        main(["check", "--claim", str(path), "--budget", "quick"])
    err = capsys.readouterr().err.strip()
    assert info.value.code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: claim file {path}")
    assert key in err and message in err, err


def test_missing_file_and_folder_mistakes(tmp_path, capsys):
    for argv in (["check", "--claim", str(tmp_path / "no.toml")],
                 ["claims", "--file", str(tmp_path)],
                 ["check"], ["check", "theorem3-clipped-gd", "--claim", str(ISSUE_TOML)]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text(BASE)
    with pytest.raises(SystemExit) as info:
        main(["claims", "--file", str(tmp_path)])
    assert info.value.code == 2 and "names must be unique" in capsys.readouterr().err


def test_file_claims_travel_to_workers():
    """A claim from a file survives the trip to a cluster worker (cloudpickle out, pickle
    in) and gives the same verdict there: its compiled formulas are rebuilt, not shipped."""
    cloudpickle = pytest.importorskip("cloudpickle")
    import pickle

    claims = load_claims(EXAMPLES)
    for claim in claims:
        pickle.loads(cloudpickle.dumps(claim))
    descent = next(c for c in claims if c.kind == "descent")
    before = check_claim(descent, budget="quick")
    after = check_claim(pickle.loads(cloudpickle.dumps(descent)), budget="quick")
    assert (after.verdict, after.worst_ratio, after.ratios) == (before.verdict,
                                                               before.worst_ratio,
                                                               before.ratios)
