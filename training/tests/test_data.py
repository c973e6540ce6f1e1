import json
import math

import numpy as np
import pytest
import torch

from training.data import (
    Augmentation,
    DatasetFormatError,
    Normalization,
    ShardedDataset,
    augment,
    draw_live_times,
    normalize_rates,
    shift_channels,
)


def test_manifest_and_mmap(train_dir):
    ds = ShardedDataset(train_dir, verify_sha256=True)
    assert len(ds) == 100
    assert ds.grid.nDepth == 40 and ds.grid.nChannels == 1024
    assert ds.grid.startKeV == 1.0 and ds.grid.binWidthKeV == 0.024 and ds.grid.depthStepUm == 5.0
    assert [p.shape[0] for p in ds.profiles] == [40, 40, 20]
    assert all(isinstance(p, np.memmap) for p in ds.profiles)
    assert len(ds.manifest_sha256) == 64


def test_gather_across_shards(train_dir):
    ds = ShardedDataset(train_dir)
    idx = np.array([99, 0, 41, 39, 40, 5])
    p, lab = ds.gather(idx)
    for row, g in enumerate(idx):
        s, loc = (0, g) if g < 40 else (1, g - 40) if g < 80 else (2, g - 80)
        direct = np.load(train_dir / f"shard-{s:05d}.profiles.npy")[loc]
        np.testing.assert_array_equal(p[row], direct)
        np.testing.assert_array_equal(lab[row], np.load(train_dir / f"shard-{s:05d}.labels.npy")[loc])


def test_format_errors(train_dir, tmp_path):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(train_dir, bad)
    m = json.loads((bad / "manifest.json").read_text())
    m["formatVersion"] = 2
    (bad / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(DatasetFormatError, match="formatVersion"):
        ShardedDataset(bad)
    m["formatVersion"] = 1
    m["count"] = 101
    (bad / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(DatasetFormatError, match="count"):
        ShardedDataset(bad)
    m["count"] = 100
    (bad / "manifest.json").write_text(json.dumps(m))
    np.save(bad / "shard-00000.labels.npy", np.zeros((40, 61), np.float32))
    with pytest.raises(DatasetFormatError, match="labels"):
        ShardedDataset(bad)


def test_poisson_mean_and_variance():
    rate_cps, t_s = 2.5, 4.0
    rates = np.full((8, 40, 1024), rate_cps, np.float32)
    gen = torch.Generator().manual_seed(0)
    aug = Augmentation(energyJitterBins=0.0)
    r, t = augment(rates, aug, gen, live_times_s=torch.full((8,), t_s))
    counts = (r.double() * t_s).numpy()
    assert np.allclose(counts, np.round(counts))  # integers
    n = counts.size  # 327680 draws; mean 10, var 10
    mean, var = counts.mean(), counts.var()
    assert abs(mean - 10.0) < 5 * math.sqrt(10.0 / n)
    assert abs(var - 10.0) < 5 * math.sqrt(2 * 10.0**2 / n)  # sd of sample variance ~ sqrt(2)·σ²/√n
    assert abs(float(r.mean()) - rate_cps) < 0.01


def test_noise_reproducible_and_zero_rate_stays_zero():
    rates = np.zeros((2, 40, 1024), np.float32)
    rates[:, :, 500] = 3.0
    a, ta = augment(rates, Augmentation(), torch.Generator().manual_seed(5))
    b, tb = augment(rates, Augmentation(), torch.Generator().manual_seed(5))
    assert torch.equal(a, b) and torch.equal(ta, tb)
    mask = np.ones(1024, bool)
    mask[499:502] = False  # jitter < 1 bin only spreads into the neighbours
    assert float(a[:, :, torch.from_numpy(mask)].abs().max()) == 0.0


def test_live_time_log_uniform():
    aug = Augmentation()
    t = draw_live_times(200_000, aug, torch.Generator().manual_seed(1)).numpy()
    assert t.min() >= 1.0 and t.max() <= 60.0
    lo, hi = math.log(1.0), math.log(60.0)
    lt = np.log(t)
    assert abs(lt.mean() - (lo + hi) / 2) < 0.01
    assert abs(lt.std() - (hi - lo) / math.sqrt(12)) < 0.01


def test_shift_channels():
    x = torch.zeros(1, 2, 16)
    x[0, :, 8] = 1.0
    np.testing.assert_allclose(shift_channels(x, torch.tensor([0.0])), x)
    half = shift_channels(x, torch.tensor([0.5]))  # out[k] = x[k + 0.5]
    np.testing.assert_allclose(half[0, 0, 7:9].numpy(), [0.5, 0.5])
    one = shift_channels(x, torch.tensor([-1.0]))
    np.testing.assert_allclose(one[0, 0].numpy(), np.roll(x[0, 0].numpy(), 1))
    q = shift_channels(x, torch.tensor([0.3]))
    assert abs(float(q.sum()) - 2.0) < 1e-6  # conserved away from the edges


def test_normalization_formula():
    norm = Normalization()
    assert norm.referenceLiveTimeS == 10.0 and norm.scale == 4.0
    r = torch.tensor([0.0, 1.0, 0.05, 1234.5])
    expected = np.log1p(r.numpy().astype(np.float64) * 10.0) / 4.0
    np.testing.assert_allclose(normalize_rates(r, norm).numpy(), expected, rtol=1e-6)
    card = norm.as_card()
    assert "log1p(rateCps * referenceLiveTimeS) / scale" in card["formula"]
