"""``python -m lab network``: the --quick run end to end, usage errors, the skip message."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import lab.network
from lab.cli import main
from lab.cli.network_cmd import command


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def quick_out(tmp_path_factory) -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("sklearn")
    out = tmp_path_factory.mktemp("network")
    proc = subprocess.run(
        [sys.executable, "-m", "lab", "network", "--quick", "--out", str(out), "--seed", "1",
         "--no-progress"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stdout
    return out


def test_quick_run_writes_every_file(quick_out):
    for model in ("lstm", "mlp"):
        for stem in (f"network_{model}_steps.csv", f"network_{model}_smoothness.csv"):
            assert (quick_out / stem).stat().st_size > 0
        for fig in (1, 2):
            for ext in ("svg", "png", "caption.txt"):
                assert (quick_out / f"network_fig{fig}_{model}.{ext}").stat().st_size > 0
            caption = (quick_out / f"network_fig{fig}_{model}.caption.txt").read_text()
            assert "seed 1" in caption and "quick" in caption
    assert (quick_out / "network_summary.csv").exists()
    assert (quick_out / "network_config.json").exists()
    assert not list(quick_out.glob("*.tmp")) and not list(quick_out.glob(".*"))


def test_quick_smoothness_data(quick_out):
    for model in ("lstm", "mlp"):
        rows = _rows(quick_out / f"network_{model}_smoothness.csv")
        assert set(rows[0]) == {"model", "run", "lr", "clip", "iteration", "subset_loss",
                                "grad_norm", "smoothness", "update_norm"}
        assert len({r["run"] for r in rows}) == 2
        for r in rows:
            for col in ("subset_loss", "grad_norm", "smoothness", "update_norm"):
                value = float(r[col])
                assert math.isfinite(value) and value > 0, (model, col, r)


def test_quick_steps_respect_clipping(quick_out):
    for model in ("lstm", "mlp"):
        rows = _rows(quick_out / f"network_{model}_steps.csv")
        clipped = [r for r in rows if r["clip"] != "nan"]
        unclipped = [r for r in rows if r["clip"] == "nan"]
        assert clipped and unclipped
        for r in rows:
            for col in ("batch_loss", "batch_grad_norm", "step_scale", "update_norm"):
                assert math.isfinite(float(r[col]))
            assert 0 < float(r["step_scale"]) <= 1
        for r in clipped:
            # float32 parameters: allow rounding in the last places
            assert float(r["update_norm"]) <= float(r["lr"]) * float(r["clip"]) * (1 + 1e-4)
        for r in unclipped:
            assert float(r["step_scale"]) == 1.0
            expected = float(r["lr"]) * float(r["batch_grad_norm"])
            assert float(r["update_norm"]) == pytest.approx(expected, rel=1e-3)
        # the clip is active at least once in the quick run (else the comparison is moot)
        assert any(float(r["step_scale"]) < 1 for r in clipped)


def test_quick_summary(quick_out):
    rows = _rows(quick_out / "network_summary.csv")
    assert len(rows) == 4
    for r in rows:
        assert int(r["diverged_at"]) == -1
        assert math.isfinite(float(r["final_subset_loss"]))
        assert -1 <= float(r["spearman"]) <= 1
        assert float(r["slope_ci_lo"]) <= float(r["slope"]) <= float(r["slope_ci_hi"])
        assert int(r["n_points"]) >= 10
        assert -1 <= int(r["iterations_to_target"]) <= int(r["iterations_done"])
    for model in ("lstm", "mlp"):  # the best unclipped run reaches its own final loss
        unclipped = [int(r["iterations_to_target"]) for r in rows
                     if r["model"] == model and r["clip"] == "nan"]
        assert max(unclipped) >= 0


def test_usage_errors_are_one_line_exit_2(capsys, tmp_path):
    a_file = tmp_path / "f"
    a_file.write_text("x")
    for argv in (["network", "--seed", "-1"], ["network", "--threads", "0"],
                 ["network", "--out", str(a_file)]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error:") and "\n" not in err


def test_skip_message_without_torch(monkeypatch, tmp_path):
    monkeypatch.setattr(lab.network, "missing_requirements", lambda: ["torch"])
    result = CliRunner().invoke(command, ["--quick", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "skipped" in result.output and "[nn]" in result.output
    assert not (tmp_path / "o").exists()
    with pytest.raises(ModuleNotFoundError, match="skipped"):
        lab.network.run_experiment(lab.network.quick_config())
