"""``python -m lab derive``: check, re-render (atomically), print, and usage errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lab.cli import main
from lab.derivation import registry

SMALL = "clipping_vs_normalized"


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_check_one_derivation_exits_0(capsys):
    code, out, _ = _run(["derive", SMALL, "--check"], capsys)
    assert code == 0 and f"{SMALL}: ok" in out


def test_stdout_prints_markdown_and_tex(capsys):
    code, out, _ = _run(["derive", SMALL, "--stdout"], capsys)
    assert code == 0 and out == registry.render_path(SMALL).read_text(encoding="utf-8")
    code, out, _ = _run(["derive", SMALL, "--stdout", "--format", "tex"], capsys)
    assert code == 0 and out.startswith("\\documentclass")
    code, tex_out, _ = _run(["derive", SMALL, "--format", "tex"], capsys)  # implies printing
    assert code == 0 and tex_out == out


def test_rerender_writes_atomically_only_when_changed(tmp_path, monkeypatch, capsys):
    target = tmp_path / f"{SMALL}.md"
    monkeypatch.setattr(registry, "render_path", lambda name: tmp_path / f"{name}.md")
    code, out, _ = _run(["derive", SMALL], capsys)
    assert code == 0 and "wrote" in out and target.exists()
    code, out, _ = _run(["derive", SMALL], capsys)
    assert code == 0 and "unchanged" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp files left


def test_stale_render_fails_check(tmp_path, monkeypatch, capsys):
    (tmp_path / f"{SMALL}.md").write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(registry, "render_path", lambda name: tmp_path / f"{name}.md")
    code, _, err = _run(["derive", SMALL, "--check"], capsys)
    assert code == 1 and "stale" in err and SMALL in err


def test_failing_derivation_exits_1_naming_the_step(monkeypatch, capsys):
    import dataclasses

    import sympy as sp

    from lab.derivation import Algebra, Step, rel

    real = registry.load(SMALL)
    a = sp.Symbol("a", positive=True)
    broken = dataclasses.replace(real, steps=real.steps[:2] + (
        Step("wrong_constant", rel(a + a, "==", 3 * a), Algebra()),))
    monkeypatch.setattr(registry, "load", lambda name: broken)
    code, _, err = _run(["derive", SMALL, "--check"], capsys)
    assert code == 1 and "step 3 (wrong_constant) FAILED" in err


@pytest.mark.parametrize("argv, message", [
    (["derive"], "exactly one of NAME or --all"),
    (["derive", SMALL, "--all"], "exactly one of NAME or --all"),
    (["derive", "nope"], "unknown derivation 'nope'"),
    (["derive", SMALL, "--format", "tex", "--check"], "--format tex cannot be combined"),
    (["derive", SMALL, "--time-limit", "5"], "--time-limit limits the checks of --planted"),
    (["derive", SMALL, "--planted", "--time-limit", "0"], "is not in the range x>0"),
])
def test_usage_errors_are_one_line_exit_2(argv, message, capsys):
    code, out, err = _run(argv, capsys)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "lab", "derive", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "--check" in result.stdout


def test_planted_reports_and_exits_1_on_a_missed_false_claim(monkeypatch, capsys):
    """--planted prints the tally and each change not caught; a false claim accepted
    (MISSED) makes the exit code 1."""
    import dataclasses

    from lab.cli import derive_cmd
    from lab.derivation.planted import Plant, PlantResult

    step = registry.load(SMALL).steps[0]
    plant = Plant(label=step.label, kind="constant", change="1 -> 11/10", step=step)
    fake = [PlantResult(plant=plant, rejected=True, detail="no", truth="false"),
            PlantResult(plant=dataclasses.replace(plant, change="2 -> 9/5"), rejected=False,
                        detail="ok", truth="false", point="x = 1")]
    monkeypatch.setattr(derive_cmd, "plant_errors", lambda derivation, report, **kw: fake)
    code, out, _ = _run(["derive", SMALL, "--planted"], capsys)
    assert code == 1
    assert f"{SMALL}: 2 planted; caught 1;" in out and "MISSED 1" in out
    assert "MISSED: step scale_clip, constant 2 -> 9/5 (false at x = 1)" in out
    monkeypatch.setattr(derive_cmd, "plant_errors", lambda derivation, report, **kw: fake[:1])
    code, out, _ = _run(["derive", SMALL, "--planted"], capsys)
    assert code == 0 and "MISSED 0" in out


def test_planted_checks_out_of_time_are_reported_not_counted(monkeypatch, capsys):
    """--planted with a checker that runs away (a stand-in that spins): every changed step
    that is not kept true is reported "out of time" (neither caught nor missed), with the
    summary line, and the exit code stays 0 (no false claim was accepted)."""
    import time

    from lab.derivation import planted

    def runaway(*args):
        end = time.process_time() + 60.0
        while time.process_time() < end:
            pass
    monkeypatch.setattr(planted, "check_step", runaway)
    code, out, err = _run(["derive", SMALL, "--planted", "--time-limit", "0.02", "--quiet"],
                          capsys)
    assert code == 0 and err == ""
    head = out.splitlines()[0]
    timed = int(head.split("out of time ")[1])
    assert timed >= 1 and "caught 0;" in head and "MISSED 0;" in head
    assert out.count("  out of time: step ") == timed
    assert f"{timed} changed steps ran out of time (0.02 s of CPU time each)" in out


def test_planted_runs_alone(capsys):
    code, _, err = _run(["derive", SMALL, "--planted", "--check"], capsys)
    assert code == 2 and "--planted runs alone" in err


def test_check_all_fails_on_a_broken_lemma_link(monkeypatch, capsys):
    """--all --check also checks that each lemma is concluded where it says it is proved."""
    from lab.cli import derive_cmd

    monkeypatch.setattr(derive_cmd, "check_lemma_links",
                        lambda load, check: ["lemma 'telescoping': no verified step concludes it"])
    code, _, err = _run(["derive", "--all", "--check"], capsys)
    assert code == 1 and "lemma 'telescoping'" in err
