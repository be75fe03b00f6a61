"""Mutation testing of one package of the lab, with that package's fast tests.

Usage (from the repository root, after ``python -m pip install -e ".[test,mutation]"``)::

    nice -n 10 python tools/mutation.py methods        # or smoothness, claims, engine
    python tools/mutation.py methods --report          # the score of the last run

mutmut reads its settings from the ``pyproject.toml`` of the folder it runs in, and makes its
mutants in ``./mutants``. This script copies the repository into ``.mutation/PACKAGE/``
(git-ignored), writes there a ``[tool.mutmut]`` table for that package (the table in the
repository's own ``pyproject.toml`` is the same with every package and every test list),
runs ``mutmut run`` and prints the score: killed / (killed + survived + no tests + timeout).
docs/mutation.md records the scores and the survivors judged equivalent.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: package -> the fast tests that exercise it (the lists of [tool.mutmut] in pyproject.toml)
TESTS = {
    "methods": ["tests/test_methods.py", "tests/test_strength_methods.py",
                "tests/test_user_rule.py"],
    "smoothness": ["tests/test_smoothness.py", "tests/test_strength_smoothness.py"],
    "claims": ["tests/test_claims.py", "tests/test_strength_claims.py"],
    "engine": ["tests/test_engine.py", "tests/test_strength_engine.py",
               "tests/test_strength_noise.py", "tests/test_sweep.py",
               "tests/test_strength_sweep.py", "tests/test_fused_generation.py",
               "tests/test_fused_math.py", "tests/test_engine_custom.py"],
}

COPY = ("lab", "tests", "proofs", "examples")


def _config(package: str) -> str:
    tests = ", ".join(f'"{t}"' for t in TESTS[package])
    return (f'\n[tool.mutmut]\nsource_paths = ["lab/{package}/"]\n'
            f'also_copy = ["lab/", "proofs/", "examples/"]\n'
            f'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
            f"pytest_add_cli_args_test_selection = [{tests}]\n")


def prepare(package: str) -> Path:
    """A fresh copy of the repository with this package's [tool.mutmut] table."""
    work = ROOT / ".mutation" / package
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for name in COPY:
        shutil.copytree(ROOT / name, work / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    text = (ROOT / "pyproject.toml").read_text()
    text = re.sub(r"\n\[tool\.mutmut\].*?(?=\n\[|\Z)", "", text, flags=re.S)
    (work / "pyproject.toml").write_text(text + _config(package))
    return work


def score(work: Path) -> dict:
    """Counts of the last run (``mutmut export-cicd-stats``) and the score."""
    subprocess.run(["mutmut", "export-cicd-stats"], cwd=work, check=True,
                   capture_output=True)
    stats = json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text())
    judged = sum(stats.get(k, 0) for k in ("killed", "survived", "no_tests", "timeout",
                                           "suspicious"))
    stats["score"] = stats.get("killed", 0) / judged if judged else float("nan")
    return stats


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", choices=sorted(TESTS))
    parser.add_argument("--report", action="store_true", help="only print the last score")
    args = parser.parse_args(argv)
    work = ROOT / ".mutation" / args.package
    if not args.report:
        work = prepare(args.package)
        subprocess.run(["mutmut", "run"], cwd=work, check=False)
    stats = score(work)
    print(json.dumps(stats, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
