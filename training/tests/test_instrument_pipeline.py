"""Smoke test of ``python -m training.pipeline``: a tiny instrument-specific run end to end
(generation with the Node generator, training, evaluation, export, report) on the CPU."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from training.pipeline import main as pipeline_main

ROOT = Path(__file__).resolve().parents[2]
HAS_GENERATOR = shutil.which("node") is not None and (
    (ROOT / "dist" / "cli.js").is_file() or (ROOT / "node_modules" / ".bin" / "tsx").is_file()
)


@pytest.mark.skipif(not HAS_GENERATOR, reason="node with dist/cli.js or node_modules/.bin/tsx needed")
def test_pipeline_smoke(tmp_path: Path, capsys) -> None:
    inst = json.loads((ROOT / "instruments" / "m4-tornado.json").read_text())
    inst["name"] = "Smoke instrument"
    inst["tube"]["voltageKV"] = 45
    inst_path = tmp_path / "smoke.json"
    inst_path.write_text(json.dumps(inst))
    ranges_path = tmp_path / "ranges.json"
    ranges_path.write_text(json.dumps({
        "schemaVersion": 1, "blockSize": 4096,
        "parameters": {"detector.fwhmAtMnKaEv": {"min": 130, "max": 150}},
        "calibrationDrift": {"offsetKeV": [-0.005, 0.005]},
    }))
    heldout = tmp_path / "heldout.json"
    heldout.write_text(json.dumps({"schemaVersion": 1, "compositions": [
        {"name": "fe-ni", "massFractions": {"Fe": 0.7, "Ni": 0.3}, "densityGPerCm3": 8.0}]}))
    out = tmp_path / "models" / "mine"
    rc = pipeline_main([
        "--instrument", str(inst_path), "--ranges", str(ranges_path), "--out", str(out),
        "--work", str(tmp_path / "work"), "--profiles", "32", "--val-profiles", "16",
        "--test-profiles", "16", "--epochs", "1", "--batch-size", "16", "--workers", "1",
        "--heldout", str(heldout), "--heldout-repeats", "2",
        "--model-config", json.dumps({"stemChannels": 8, "stageChannels": [8, 8, 12, 12, 16],
                                      "flattenChannels": 4, "hidden": 32}),
    ])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "expected duration" in printed and printed.index("expected duration") < printed.index("simulate")
    assert "profiles/s" in printed  # training progress
    card = json.loads((out / "model.json").read_text())
    assert (out / "model.onnx").stat().st_size == card["onnx"]["sizeBytes"]
    assert card["instrument"]["name"] == "Smoke instrument"
    assert card["instrumentRanges"]["parameters"]["detector.fwhmAtMnKaEv"] == {"min": 130, "max": 150}
    # The simulator physics of the training data, from its manifest.
    assert card["simulator"] == {"doubleScatter": "directional", "higherScatterOrders": True}
    assert set(card["evaluations"]) == {"nominal", "randomized", "nominalShort15"}
    assert card["evaluations"]["nominalShort15"]["testSet"]["windowSteps"] == 15
    assert card["input"]["depthMask"]["minSteps"] == 10
    assert card["evaluations"]["randomized"]["nProfiles"] == 16
    pkg = json.loads((ROOT / "package.json").read_text())
    assert card["versions"]["cmxrf"] == pkg["version"] == card["pipeline"]["cmxrfVersion"]
    rows = card["heldOutCompositions"]
    assert {r["element"] for r in rows} >= {"Fe", "Ni"} and all(r["profiles"] == 2 for r in rows)
    # No machine paths in the card or the report.
    report = (out / "REPORT.md").read_text()
    for text in (json.dumps(card), report):
        assert str(tmp_path) not in text and str(ROOT) not in text
    assert "Smoke instrument" in report and "detector.fwhmAtMnKaEv" in report
    assert "| fe-ni | 2 | Fe |" in report and "| fe-ni | 2 | Ni |" in report
