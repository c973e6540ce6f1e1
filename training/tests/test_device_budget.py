"""Device selection, the time-budget schedule and the width multiplier (CPU; the CUDA path is
exercised on a GPU machine by the pipeline)."""

from __future__ import annotations

import pytest
import torch

from training.model import CmxrfNet, ModelConfig, count_parameters
from training.train import BatchSource, lr_at, resolve_device, train
from training.data import ShardedDataset

from .conftest import tiny_config


def test_resolve_device():
    assert resolve_device("cpu").type == "cpu"
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="cuda"):
            resolve_device("cuda")
    with pytest.raises(ValueError, match="device"):
        resolve_device("tpu")


def test_time_budget_stops_training(train_dir, tmp_path):
    cfg = tiny_config(train_dir, tmp_path / "run", timeBudgetS=1.5)
    cfg["optim"]["epochs"] = 10_000
    s = train(cfg)
    assert 1.5 <= s["trainTimeS"] < 30
    assert s["globalStep"] < 10_000 * 5
    assert (tmp_path / "run" / "best.pt").is_file()


def test_lr_schedule_warms_up_and_decays():
    o = {"lr": 1e-3, "minLrFraction": 0.02, "warmupSteps": 10}
    assert lr_at(0, 1000, o) == pytest.approx(1e-4)
    assert lr_at(9, 1000, o) == pytest.approx(1e-3)
    assert lr_at(1000, 1000, o) == pytest.approx(2e-5)


def test_width_multiplier_scales_parameters():
    base = count_parameters(CmxrfNet(ModelConfig()))
    wide = count_parameters(CmxrfNet(ModelConfig(widthMultiplier=1.5)))
    # Convolutions and the MLP scale with the square of the width: 1.5² = 2.25.
    assert base == 668_562
    assert 1.9 < wide / base < 2.4
    y = CmxrfNet(ModelConfig(widthMultiplier=1.5)).eval()(torch.zeros(2, 40, 1024))
    assert [t.shape for t in y] == [(2, 53), (2, 53), (2, 8)]


def test_batch_source_on_cpu_matches_the_dataset(train_dir):
    ds = ShardedDataset(train_dir)
    src = BatchSource(ds, torch.device("cpu"))
    assert not src.resident
    r, lab = src.gather([3, 50, 99])
    r2, lab2 = ds.gather([3, 50, 99])
    assert (r == r2).all() and torch.equal(lab, torch.from_numpy(lab2))
