"""Short scans: the depth mask drawn in training, its evaluation counterpart, and the masked net."""

import numpy as np
import pytest
import torch

from training.data import Augmentation, Grid, draw_depth_mask, min_mask_steps, short_window_mask
from training.elements import LABEL_NAMES, N_LABELS
from training.model import CmxrfNet, ModelConfig

GRID = Grid(nDepth=40, depthStepUm=5.0, nChannels=1024, startKeV=1.0, binWidthKeV=0.024)
COL = LABEL_NAMES.index("surfaceUm")


def labels_with_surface(surface_um: list[float]) -> np.ndarray:
    lab = np.zeros((len(surface_um), N_LABELS), np.float32)
    lab[:, COL] = surface_um
    return lab


def test_min_mask_steps_keeps_material_behind_the_surface():
    # Step n lies at 5 n um: 10 steps reach 45 um; a surface at 60 um needs 85 um -> step 17 -> 18 steps.
    got = min_mask_steps(torch.tensor([0.0, 20.0, 60.0, 99.0, 190.0]), 5.0, 40, 10, 25.0)
    assert got.tolist() == [10, 10, 18, 26, 40]
    for s, n in zip([0.0, 20.0, 60.0, 99.0], got.tolist()):
        assert (n - 1) * 5.0 >= s + 25.0 or n == 10


def test_draw_depth_mask_fraction_prefix_and_limits():
    surfaces = list(np.linspace(0, 99, 4000))
    aug = Augmentation(maskFraction=0.3, maskMinSteps=10, maskMinMaterialUm=25.0)
    mask = draw_depth_mask(labels_with_surface(surfaces), aug, GRID, torch.Generator().manual_seed(3))
    assert mask.shape == (4000, 40) and mask.dtype == torch.float32
    length = mask.sum(1)
    # Prefix masks only: ones then zeros.
    assert torch.equal(mask, (torch.arange(40)[None, :] < length[:, None]).float())
    short = length < 40
    # ~30 % cut (a cut profile may draw L = 40 and look uncut: a little less than 30 %).
    assert 0.22 < float(short.float().mean()) < 0.31
    need = min_mask_steps(torch.tensor(surfaces), 5.0, 40, 10, 25.0)
    assert bool((length >= need).all())
    assert int(length.min()) == 10


def test_draw_depth_mask_off_by_default():
    mask = draw_depth_mask(labels_with_surface([10.0] * 8), Augmentation(), GRID, torch.Generator())
    assert torch.equal(mask, torch.ones(8, 40))


def test_short_window_mask():
    mask = short_window_mask(labels_with_surface([0.0, 50.0]), GRID, 15)
    assert mask.sum(1).tolist() == [15.0, 16.0]  # 50 + 25 um = step 15 -> 16 steps


def test_masked_net_uses_the_mask_and_defaults_to_full_windows():
    torch.manual_seed(0)
    cfg = ModelConfig(stemChannels=8, stageChannels=[8, 8, 12, 12, 16], flattenChannels=4, hidden=32,
                      depthMask=True)
    net = CmxrfNet(cfg).eval()
    x = torch.rand(3, 40, 1024)
    full = torch.ones(3, 40)
    a = net(x, full)
    b = net(x)
    for u, v in zip(a, b):
        assert torch.allclose(u, v)
    short = full.clone()
    short[:, 12:] = 0
    c = net(x * short[:, :, None], short)
    assert (c[0] - a[0]).abs().max() > 1e-6
    with pytest.raises(ValueError, match="depth-channels"):
        CmxrfNet(ModelConfig(stem="conv2d", depthMask=True))
