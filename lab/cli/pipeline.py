"""The orchestration of ``python -m lab figures`` and ``python -m lab reproduce`` (front end,
without click): it composes the claims, figures, derivation and network layers.

Each step reports failure as data (an error line) instead of raising, so one broken step
still leaves a report that says what broke; the exit status of :func:`reproduce` is 1 when
a claim's verdict differs from its expectation, a derivation fails, or a step could not run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from lab import network
from lab.claims import check_all
from lab.derivation import check as check_derivation
from lab.derivation import registry
from lab.errors import LabInputError
from lab.figures.build import build_figures
from lab.figures.configs import full_config, quick_config
from lab.figures.report import DerivationStatus, ReportInputs, render_report
from lab.figures.tightness_data import verdict_rows
from lab.functions import zoo_rows
from lab.validate import check_int
from lab.writing import write_text


def check_out_dir(out) -> Path:
    """The output folder, refusing a path that is an existing file.

    Examples
    --------
    >>> check_out_dir("figures").name
    'figures'
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise LabInputError(f"--out {str(out)!r} is a file; give a folder (created if missing)")
    return out


def run_claims(budget: str, seed: int, progress: bool, client=None):
    """``(verdicts, "")`` from :func:`lab.claims.check_all`, or ``(None, error line)``.

    ``client``: a :class:`distributed.Client` to check the claims on (one task each).
    """
    try:
        return check_all(budget=budget, seed=seed, progress=progress, client=client,
                         whole=True), ""
    except Exception as exc:  # report a broken layer instead of crashing the whole run
        return None, f"check_all(budget={budget!r}) raised {type(exc).__name__}: {exc}"


def run_network(out_dir: Path, *, quick: bool, seed: int, progress: bool):
    """Run the network experiment into ``out_dir/network``.

    Returns ``(status, message, summary rows, files relative to out_dir)`` with status
    ``"ran"``, ``"skipped"`` (PyTorch missing) or ``"error"``.
    """
    if not network.torch_available():
        return "skipped", network.SKIP_MESSAGE, [], []
    try:
        make = network.quick_config if quick else network.default_config
        config = make(seed, progress=progress)
        result = network.run_experiment(config)
        paths = network.make_figures(result, out_dir / "network")
        rows = result.summary_rows()
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}", [], []
    rel = []
    for p in paths:
        try:
            rel.append(Path(p).resolve().relative_to(out_dir.resolve()).as_posix())
        except ValueError:
            rel.append(str(p))
    keep = ("model", "run", "final_subset_loss", "final_heldout_loss", "diverged_at",
            "spearman", "slope", "slope_ci_lo", "slope_ci_hi")
    rows = [{k: r[k] for k in keep if k in r} for r in rows]
    return "ran", f"config '{config.name}', seed {seed}", rows, sorted(rel)


def derivation_statuses() -> list[DerivationStatus]:
    """Check every derivation in ``proofs/`` (an error while loading counts as a failure).

    Examples
    --------
    >>> all(s.ok for s in derivation_statuses())  # doctest: +SKIP
    True
    """
    out = []
    for name in registry.names():
        try:
            d = registry.load(name)
            r = check_derivation(d)
        except Exception as exc:  # a broken proof module is a failing derivation
            out.append(DerivationStatus(name=name, title="?", ok=False, steps=0,
                                        detail=f"{type(exc).__name__}: {exc}"))
            continue
        out.append(DerivationStatus(
            name=name, title=d.title, ok=r.ok, steps=len(r.results),
            detail="" if r.ok else r.summary(),
            assumptions=[a[1] if isinstance(a, tuple) else str(a) for a in r.assumptions],
            cited=len(r.cited), numeric=len(r.numeric)))
    return out


def figures(out_dir, *, quick: bool, seed: int = 0, progress: bool = True, verdicts=None,
            verdict_note: str | None = None, echo: Callable[[str], None] = lambda s: None,
            client=None):
    """Build every figure (running the claims for figure g unless ``verdicts`` is given).

    ``client``: a :class:`distributed.Client` that checks the claims and measures figures a
    and b (the figures are the same bits).
    """
    out = check_out_dir(out_dir)
    seed = check_int(seed, "--seed", minimum=0)
    cfg = (quick_config if quick else full_config)(seed)
    if verdicts is None and verdict_note is None:
        budget = "quick" if quick else "default"
        echo(f"checking claims (budget '{budget}') for the tightness figure ...")
        verdicts, err = run_claims(budget, seed, progress, client)
        verdict_note = err or f"Claims checked with budget '{budget}', seed {seed}."
    echo(f"building figures (config '{cfg.name}') into {out} ...")
    return build_figures(out, config=cfg, verdicts=verdicts, verdict_note=verdict_note or "",
                         progress=progress, client=client)


def reproduce(out_dir="figures", *, quick: bool = False, seed: int = 0, progress: bool = True,
              echo: Callable[[str], None] = print, client=None) -> int:
    """Claims, figures, derivations and the network experiment, then ``REPORT.md``.

    ``client``: a :class:`distributed.Client` for the claims and figures a and b (the same
    verdicts and figures).

    Returns the exit status: 1 if any claim verdict differs from its expectation, a
    derivation fails, or a step could not run; else 0.
    """
    out = check_out_dir(out_dir)
    seed = check_int(seed, "--seed", minimum=0)
    budget = "quick" if quick else "default"
    failures = []

    echo(f"[1/4] claims (budget '{budget}', seed {seed})")
    verdicts, claims_error = run_claims(budget, seed, progress, client)
    vrows = verdict_rows(verdicts) if verdicts is not None else None
    if claims_error:
        failures.append(claims_error)
    elif any(not r["matches"] or r.get("whole_matches") is False for r in vrows):
        failures.append("claims differ from expectation: "
                        + ", ".join(r["claim"] + (" (whole class)" if r["matches"] else "")
                                    for r in vrows
                                    if not r["matches"] or r.get("whole_matches") is False))

    echo("[2/4] figures")
    note = claims_error or f"Claims checked with budget '{budget}', seed {seed}."
    records = figures(out, quick=quick, seed=seed, progress=progress, verdicts=verdicts or [],
                      verdict_note=note, client=client)

    echo("[3/4] derivations")
    try:
        derivs, derivs_error = derivation_statuses(), ""
    except Exception as exc:
        derivs, derivs_error = None, f"{type(exc).__name__}: {exc}"
    if derivs_error:
        failures.append(f"derivations: {derivs_error}")
    elif any(not d.ok for d in derivs):
        failures.append("derivations failing: " + ", ".join(d.name for d in derivs if not d.ok))

    echo(f"[4/4] network experiment ({'quick' if quick else 'default'})")
    status, message, nrows, nfiles = run_network(out, quick=quick, seed=seed, progress=progress)
    if status == "error":
        failures.append(f"network experiment: {message}")

    code = 1 if failures else 0
    cfg = (quick_config if quick else full_config)(seed)
    inputs = ReportInputs(
        config_line=(f"Figures: config '{cfg.name}'; claims: budget '{budget}'; seed {seed}; "
                     f"network: {'quick' if quick else 'default'} config."),
        figures=records, verdict_rows=vrows, claims_error=claims_error, claims_budget=budget,
        derivations=derivs, derivations_error=derivs_error, zoo_rows=zoo_rows(),
        network_status=status, network_message=message, network_rows=nrows,
        network_files=nfiles, exit_code=code)
    write_text(out / "REPORT.md", render_report(inputs))
    echo(f"wrote {out / 'REPORT.md'}")
    for f in failures:
        echo(f"FAILED: {f}")
    return code
