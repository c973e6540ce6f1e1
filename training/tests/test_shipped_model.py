"""The shipped model recovers freshly simulated profiles within its card's own error figures.

Active once the card carries pipeline evaluations (``evaluations.nominal``, written by
``training.pipeline``); older cards are skipped with a message. Generates 128 profiles at the
card's nominal instrument with a seed no training run uses, adds Poisson noise, runs the ONNX
graph with onnxruntime and compares the median relative error (≥ 0.1 wt%) and the presence F1
with the card (margins for the smaller sample: 1.5× the error + 2 points, F1 − 0.05).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from training.data import Augmentation, Normalization, ShardedDataset, augment, normalize_rates
from training.metrics import compute_metrics

ROOT = Path(__file__).resolve().parents[2]
CARD = ROOT / "models" / "cmxrf-default.json"


def _card() -> dict | None:
    return json.loads(CARD.read_text()) if CARD.is_file() else None


@pytest.mark.skipif(
    _card() is None or "evaluations" not in (_card() or {}),
    reason="models/cmxrf-default.json has no pipeline evaluations (model exported before training.pipeline)",
)
@pytest.mark.skipif(shutil.which("node") is None, reason="node needed for the generator")
def test_shipped_model_recovers_simulated_profiles(tmp_path: Path) -> None:
    import onnxruntime as ort

    from training.pipeline import simulate

    card = _card()
    inst = tmp_path / "instrument.json"
    inst.write_text(json.dumps(card["instrument"]))
    data = tmp_path / "check"
    simulate(data, 128, "shipped-model-check", 2, inst)
    ds = ShardedDataset(data)
    rates, labels = ds.gather(np.arange(len(ds)))
    norm = Normalization(card["input"]["normalization"]["referenceLiveTimeS"], card["input"]["normalization"]["scale"])
    r, _ = augment(rates, Augmentation(energyJitterBins=0.0), torch.Generator().manual_seed(99))
    x = normalize_rates(r, norm).numpy().astype(np.float32)
    sess = ort.InferenceSession(str(CARD.parent / card["onnx"]["file"]), providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    feeds = {"profile": x}
    if "depthMask" in card["input"]:  # full windows: every depth step measured
        feeds[card["input"]["depthMask"]["name"]] = np.ones(x.shape[:2], np.float32)
    pred = dict(zip(names, sess.run(None, feeds)))
    m = compute_metrics(pred, labels, card["presenceThresholdMassFraction"], card["presenceProbabilityThreshold"])
    ref = card["evaluations"]["nominal"]
    assert m["massFractionMedianRelErr_ge1e-3"] <= 1.5 * ref["massFractionMedianRelErr_ge1e-3"] + 0.02
    assert m["presenceF1_ge5e-4"] >= ref["presenceF1_ge5e-4"] - 0.05
