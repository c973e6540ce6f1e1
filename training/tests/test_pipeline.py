"""Train (1–3 steps) → resume → evaluate → export → onnxruntime parity, on the fake dataset."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from training.evaluate import evaluate
from training.export import PARITY_ATOL, export
from training.train import main as train_main
from training.train import train

from .conftest import tiny_config


@pytest.fixture(scope="module")
def trained_run(train_dir, tmp_path_factory):
    run = tmp_path_factory.mktemp("run_full")
    summary = train(tiny_config(train_dir, run, maxSteps=3))
    assert summary["globalStep"] == 3
    return run


def test_train_writes_checkpoints_and_logs(trained_run, capsys):
    for f in ("last.pt", "best.pt", "config.json", "metrics.jsonl"):
        assert (trained_run / f).is_file(), f
    ck = torch.load(trained_run / "last.pt", weights_only=False)
    assert ck["globalStep"] == 3 and ck["trainTimeS"] > 0 and len(ck["trainManifestSha256"]) == 64
    lines = [json.loads(x) for x in (trained_run / "metrics.jsonl").read_text().splitlines()]
    assert any(x["kind"] == "val" for x in lines) and any(x["kind"] == "train" for x in lines)


def test_resume_matches_uninterrupted(train_dir, trained_run, tmp_path, capsys):
    run = tmp_path / "run_resumed"
    train(tiny_config(train_dir, run, maxSteps=2))
    assert torch.load(run / "last.pt", weights_only=False)["globalStep"] == 2
    # Resume through the CLI entry point with a config file.
    cfg_path = tmp_path / "cfg.json"
    cfg_path.write_text(json.dumps(tiny_config(train_dir, run, maxSteps=3)))
    assert train_main(["--config", str(cfg_path), "--resume"]) == 0
    out = capsys.readouterr().out
    assert "resumed from" in out and "profiles/s" in out and "ETA" in out
    a = torch.load(run / "last.pt", weights_only=False)
    b = torch.load(trained_run / "last.pt", weights_only=False)
    assert a["globalStep"] == 3
    for k, v in b["model"].items():
        torch.testing.assert_close(a["model"][k], v, atol=1e-5, rtol=1e-4)


def test_warm_start_loads_weights_and_checks_the_model(train_dir, trained_run, tmp_path, capsys):
    best = trained_run / "best.pt"
    src = torch.load(best, weights_only=False)
    # Zero steps: the run's weights are exactly the checkpoint's (and its target normalisation).
    run = tmp_path / "warm0"
    cfg = tiny_config(train_dir, run, maxSteps=0, initFrom=str(best), seed=src["config"]["seed"] + 1)
    train(cfg)
    assert "warm start from" in capsys.readouterr().out
    assert cfg["initFromInfo"]["globalStep"] == src["globalStep"]
    # One step moves them (fresh optimizer), starting from the checkpoint, not from scratch.
    run1 = tmp_path / "warm1"
    train(tiny_config(train_dir, run1, maxSteps=1, initFrom=str(best), seed=src["config"]["seed"] + 1))
    a = torch.load(run1 / "last.pt", weights_only=False)
    assert a["targetNormalization"] == src["targetNormalization"]
    # Adam's first step moves every weight by at most ~lr (2e-3); normalisation statistics excluded.
    diffs = [float((a["model"][k] - v).abs().max()) for k, v in src["model"].items()
             if v.is_floating_point() and "running" not in k]
    assert 0 < max(diffs) < 2.2e-3
    # A checkpoint of another architecture is refused with both configurations named.
    bad = tiny_config(train_dir, tmp_path / "warm_bad", maxSteps=1, initFrom=str(best))
    bad["model"]["stemChannels"] = bad["model"].get("stemChannels", 8) + 4
    with pytest.raises(ValueError, match="model configuration"):
        train(bad)


def test_evaluate_metrics_and_plots(trained_run, test_dir, tmp_path):
    out = tmp_path / "eval"
    m = evaluate(str(trained_run), str(test_dir), str(out))
    saved = json.loads((out / "metrics.json").read_text())
    for k in (
        "massFractionMedianRelErr_ge1e-3",
        "massFractionMedianRelErr_1e-4to1e-3",
        "densityMedianRelErr",
        "surfaceMedianAbsErrUm",
        "surfaceP95AbsErrUm",
        "absentSumMassFractionMedian_raw",
        "absentSumMassFractionMedian_gated",
        "presenceF1_ge5e-4",
    ):
        assert k in saved, k
    assert saved["nProfiles"] == 24 and m["testSet"]["seed"] == 2
    for png in saved["plots"]:
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_refuses_training_seed(trained_run, train_dir, tmp_path):
    with pytest.raises(ValueError, match="seed"):
        evaluate(str(trained_run), str(train_dir), str(tmp_path / "e"), plots=False)


def test_export_parity_and_card(trained_run, test_dir, tmp_path):
    import onnxruntime as ort

    metrics = tmp_path / "metrics.json"
    metrics.write_text(json.dumps(evaluate(str(trained_run), str(test_dir), str(tmp_path / "ev"), plots=False)))
    out = tmp_path / "models"
    card = export(str(trained_run), str(out), "cmxrf-test", str(metrics), str(test_dir))
    check_parity(out / "cmxrf-test.onnx", out / "parity")

    saved = json.loads((out / "cmxrf-test.json").read_text())
    assert saved == json.loads(json.dumps(card))
    g = saved["input"]["grid"]
    assert g == {"nDepth": 40, "depthStepUm": 5.0, "nChannels": 1024, "startKeV": 1.0, "binWidthKeV": 0.024}
    assert saved["input"]["name"] == "profile"
    n = saved["input"]["normalization"]
    assert n["referenceLiveTimeS"] == 10.0 and n["scale"] == 4.0 and "log1p" in n["formula"]
    assert [o["name"] for o in saved["outputs"]] == [
        "presence_logit", "log10_mass_fraction", "density_g_per_cm3", "surface_um", "setup"]
    assert len(saved["elements"]) == 53 and saved["elements"][0] == "K"
    assert len(saved["training"]["manifestSha256"]) == 64
    from training.data import sha256_file

    assert saved["onnx"]["sha256"] == sha256_file(out / "cmxrf-test.onnx") and saved["onnx"]["opset"] == 17
    assert saved["heldOutMetrics"]["nProfiles"] == 24
    assert saved["versions"]["torch"] == torch.__version__ and saved["versions"]["cmxrfDatasetFormat"] == 1
    assert saved["training"]["trainTimeS"] > 0

    # The default configuration takes short scans: a second input, the depth mask.
    dm = saved["input"]["depthMask"]
    assert dm["name"] == "depth_mask" and dm["shape"] == ["batch", 40] and dm["minSteps"] == 10
    assert dm["minMaterialUm"] == 25.0

    # Dynamic batch axis.
    sess = ort.InferenceSession(str(out / "cmxrf-test.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in sess.get_inputs()] == ["profile", "depth_mask"]
    ys = sess.run(None, {"profile": np.zeros((5, 40, 1024), np.float32), "depth_mask": np.ones((5, 40), np.float32)})
    assert [y.shape for y in ys] == [(5, 53), (5, 53), (5, 1), (5, 1), (5, 6)]
    # The mask changes the answer: the same (zero-padded) input read as 15 measured steps.
    short = np.ones((5, 40), np.float32)
    short[:, 15:] = 0
    ys_short = sess.run(None, {"profile": np.zeros((5, 40, 1024), np.float32), "depth_mask": short})
    assert np.abs(ys_short[0] - ys[0]).max() > 1e-6


def check_parity(onnx_path: Path, parity_dir: Path) -> None:
    import onnxruntime as ort

    inputs = json.loads((parity_dir / "input.json").read_text())["inputs"]
    exp = json.loads((parity_dir / "output.json").read_text())
    feeds = {k: np.asarray(v["data"], np.float32).reshape(v["shape"]) for k, v in inputs.items()}
    assert feeds["profile"].shape[1:] == (40, 1024)
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    assert [i.name for i in sess.get_inputs()] == list(feeds)
    names = [o.name for o in sess.get_outputs()]
    assert names == list(exp["outputs"])
    for name, y in zip(names, sess.run(None, feeds)):
        ref = np.asarray(exp["outputs"][name]["data"], np.float32).reshape(exp["outputs"][name]["shape"])
        assert y.shape == ref.shape
        assert np.abs(y - ref).max() <= PARITY_ATOL, name


def test_committed_model_parity(repo_root):
    onnx_path = repo_root / "models" / "cmxrf-default.onnx"
    if not onnx_path.is_file():
        pytest.skip("models/cmxrf-default.onnx not exported yet")
    check_parity(onnx_path, repo_root / "models" / "parity")
