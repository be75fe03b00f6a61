"""Mutation testing of one package of the lab, with that package's fast tests.

Usage (from the repository root, after ``python -m pip install -e ".[test,mutation]"``)::

    nice -n 15 python tools/mutation.py methods        # or smoothness, claims, engine
    python tools/mutation.py methods --report          # the score of the last run
    nice -n 15 python tools/mutation.py smoothness --only lab/smoothness/univariate.py
    nice -n 15 python tools/mutation.py smoothness --keep --only lab/smoothness/certify.py

mutmut reads its settings from the ``pyproject.toml`` of the folder it runs in, and makes its
mutants in ``./mutants``. This script copies the repository into ``.mutation/PACKAGE/``
(git-ignored), writes there a ``[tool.mutmut]`` table for that package (the table in the
repository's own ``pyproject.toml`` is the same with every package and every test list),
runs ``mutmut run`` (one mutant at a time unless ``--max-children``) and prints the score:
killed / (killed + survived + no tests + timeout), and the counts per file.
docs/mutation.md records the scores; tools/mutation-equivalent.txt the survivors judged
equivalent.

mutmut runs with ``process_isolation = "forkserver"``: with its default ("fork") the clean
test run happens in the parent process and every mutant's process inherits what it cached
(``functools.lru_cache`` in ``lab.methods.user_rule``, the certifier's caches), so a mutant of
a memoised function never runs and "survives".
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
                "tests/test_user_rule.py", "tests/test_strength_user_rules.py"],
    # the certifier's fast tests (hand-solved suprema, the numeric fallback): a few seconds per
    # mutant; tests/test_smoothness.py and test_smoothness_domain.py take minutes per mutant
    "smoothness": ["tests/test_strength_certifier.py", "tests/test_strength_smoothness.py"],
    "claims": ["tests/test_claims.py", "tests/test_strength_claims.py"],
    "engine": ["tests/test_engine.py", "tests/test_strength_engine.py",
               "tests/test_strength_noise.py", "tests/test_sweep.py",
               "tests/test_strength_sweep.py", "tests/test_fused_generation.py",
               "tests/test_fused_math.py", "tests/test_engine_custom.py"],
}

COPY = ("lab", "tests", "proofs", "examples")
#: mutants judged equivalent (same behaviour on every input the lab accepts), one per line
#: with its reason after "#"; the report counts them apart
EQUIVALENT = ROOT / "tools" / "mutation-equivalent.txt"


def _config(package: str, only: list[str]) -> str:
    tests = ", ".join(f'"{t}"' for t in TESTS[package])
    files = ", ".join(f'"{f}"' for f in only)
    lines = ["", "[tool.mutmut]", f'source_paths = ["lab/{package}/"]',
             'also_copy = ["lab/", "proofs/", "examples/"]',
             'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]',
             'process_isolation = "forkserver"',
             f"pytest_add_cli_args_test_selection = [{tests}]"]
    if only:
        lines.append(f"only_mutate = [{files}]")
    return "\n".join(lines) + "\n"


def prepare(package: str, only: list[str], keep: bool) -> Path:
    """A copy of the repository with this package's [tool.mutmut] table: fresh, or with
    ``keep`` the previous run's results (``mutants/``) kept, so that runs restricted to one
    file at a time (``only``) add up; mutmut retests only mutants without a result."""
    work = ROOT / ".mutation" / package
    if work.exists():
        for entry in work.iterdir():
            if keep and entry.name == "mutants":
                continue
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    work.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        shutil.copytree(ROOT / name, work / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    text = (ROOT / "pyproject.toml").read_text()
    text = re.sub(r"\n\[tool\.mutmut\].*?(?=\n\[|\Z)", "", text, flags=re.S)
    (work / "pyproject.toml").write_text(text + _config(package, only))
    return work


def listed() -> dict[str, str]:
    """Survivors listed in tools/mutation-equivalent.txt: name -> "equivalent", or
    "import-time" for mutants of code that runs only while a module is imported (mutmut
    cannot switch to them: they are not test weaknesses, and not equivalent either)."""
    out = {}
    lines = EQUIVALENT.read_text().splitlines() if EQUIVALENT.exists() else []
    for line in lines:
        name, _, reason = line.partition("#")
        if name.strip():
            out[name.strip()] = ("import-time" if reason.strip().startswith("import-time")
                                 else "equivalent")
    return out


def by_file(work: Path) -> dict[str, dict]:
    """Per source file: mutants by status (``mutmut results --all true``), with listed
    survivors counted as "equivalent" or "import-time"; ``score`` is killed / (killed +
    survived + no tests + timeout) over the rest, ``raw_score`` the same with the listed
    survivors counted as survived (mutmut's own view)."""
    out = subprocess.run(["mutmut", "results", "--all", "true"], cwd=work, check=True,
                         capture_output=True, text=True).stdout
    known = listed()
    files: dict[str, dict] = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name.startswith("lab."):
            continue
        module = name.split(".x_")[0].split(".x\u01c1")[0]
        if status == "survived" and name in known:
            status = known[name]
        counts = files.setdefault(module.replace(".", "/") + ".py", {})
        counts[status] = counts.get(status, 0) + 1
    for counts in files.values():
        killed = counts.get("killed", 0)
        judged = sum(counts.get(k, 0) for k in ("killed", "survived", "no tests", "timeout",
                                                "suspicious"))
        listed_ = counts.get("equivalent", 0) + counts.get("import-time", 0)
        counts["total"] = sum(v for v in counts.values())
        counts["score"] = round(killed / judged, 4) if judged else None
        counts["raw_score"] = round(killed / (judged + listed_), 4) if judged + listed_ else None
    return files


def survivors(work: Path) -> list[str]:
    """Mutants of the last run that survived or had no test."""
    out = subprocess.run(["mutmut", "results"], cwd=work, check=True, capture_output=True,
                         text=True).stdout
    return [line.strip().rpartition(": ")[0] for line in out.splitlines()
            if line.strip().endswith((": survived", ": no tests"))]


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
    parser.add_argument("--max-children", type=int, default=1,
                        help="mutants tested at once (default 1: a shared machine)")
    parser.add_argument("--only", action="append", default=[], metavar="FILE",
                        help="mutate only this file (repeatable), e.g. "
                             "lab/smoothness/univariate.py")
    parser.add_argument("--keep", action="store_true",
                        help="keep the previous run's results and test only new mutants")
    parser.add_argument("--retest-survivors", action="store_true",
                        help="with --keep: test the survivors again (after adding tests)")
    args = parser.parse_args(argv)
    work = ROOT / ".mutation" / args.package
    if not args.report:
        names = survivors(work) if args.retest_survivors else []
        work = prepare(args.package, args.only, args.keep or args.retest_survivors)
        subprocess.run(["mutmut", "run", "--max-children", str(args.max_children), *names],
                       cwd=work, check=False)
    stats = score(work)
    stats["by_file"] = by_file(work)
    print(json.dumps(stats, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
