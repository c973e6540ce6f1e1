import numpy as np
import pytest
import torch

from training.elements import N_ELEMENTS
from training.losses import LossWeights, compute_loss, encode_targets, fit_target_normalization
from training.model import CmxrfNet, ExportModel, ModelConfig, TargetNormalization, count_parameters

from .conftest import TINY_MODEL


@pytest.mark.parametrize("stem", ["depth-channels", "conv2d"])
def test_output_shapes(stem):
    net = CmxrfNet(ModelConfig(stem=stem, **TINY_MODEL)).eval()
    logit, zw, zs = net(torch.zeros(3, 40, 1024))
    assert logit.shape == (3, 53) and zw.shape == (3, 53) and zs.shape == (3, 8)


def test_default_model_size():
    n = count_parameters(CmxrfNet(ModelConfig()))
    assert n * 4 <= 3_000_000  # float32 weights ≤ 3 MB


def test_export_model_denormalises():
    tn = TargetNormalization(-3.0, 1.5, [3.0, 50.0, 1.0, 5.0, 11.0, 25.0, 0.15, 7.0],
                             [2.0, 20.0, 0.3, 1.5, 1.8, 9.0, 0.07, 2.6])
    net = CmxrfNet(ModelConfig(**TINY_MODEL)).eval()
    m = ExportModel(net, tn).eval()
    x = torch.rand(2, 40, 1024)
    logit, zw, zs = net(x)
    out = m(x)
    assert [o.shape for o in out] == [(2, 53), (2, 53), (2, 1), (2, 1), (2, 6)]
    torch.testing.assert_close(out[0], logit)
    torch.testing.assert_close(out[1], zw * 1.5 - 3.0)
    torch.testing.assert_close(out[2][:, 0], zs[:, 0] * 2.0 + 3.0)
    torch.testing.assert_close(out[3][:, 0], zs[:, 1] * 20.0 + 50.0)
    torch.testing.assert_close(out[4], zs[:, 2:] * torch.tensor(tn.scalarStd[2:]) + torch.tensor(tn.scalarMean[2:]))


def _labels(b=4):
    rng = np.random.default_rng(0)
    lab = np.zeros((b, 62), np.float32)
    lab[:, :N_ELEMENTS] = np.where(rng.random((b, N_ELEMENTS)) < 0.3, 10 ** rng.uniform(-5, -1, (b, N_ELEMENTS)), 0)
    lab[0, 0] = 1e-5  # exactly at the threshold: present
    lab[0, 1] = 9.99e-6  # just below: absent
    lab[:, N_ELEMENTS:] = rng.uniform(1, 10, (b, 9))
    return torch.from_numpy(lab)


def test_presence_threshold():
    lab = _labels()
    tn = fit_target_normalization(lab.numpy(), 1e-5)
    t = encode_targets(lab, tn, 1e-5)
    assert t.present[0, 0] == 1.0 and t.present[0, 1] == 0.0


def test_concentration_loss_masked_to_present():
    lab = _labels()
    tn = fit_target_normalization(lab.numpy(), 1e-5)
    t = encode_targets(lab, tn, 1e-5)
    logit = torch.zeros(4, 53)
    zw = torch.zeros(4, 53, requires_grad=True)
    zs = torch.zeros(4, 8)
    loss, parts = compute_loss((logit, zw, zs), t, LossWeights())
    loss.backward()
    absent = t.present == 0
    assert absent.any() and (~absent).any()
    assert float(zw.grad[absent].abs().max()) == 0.0
    assert float(zw.grad[~absent].abs().min()) > 0.0
    # Changing predictions for absent elements leaves the loss unchanged.
    zw2 = zw.detach().clone()
    zw2[absent] = 123.0
    loss2, parts2 = compute_loss((logit, zw2, zs), t, LossWeights())
    assert parts2["log10w"] == parts["log10w"] and float(loss2.detach()) == float(loss.detach())


def test_loss_weights_and_all_absent_batch():
    lab = _labels()
    lab[:, :N_ELEMENTS] = 0
    tn = TargetNormalization(-3.0, 1.0, [0.0] * 8, [1.0] * 8)
    t = encode_targets(lab, tn, 1e-5)
    out = (torch.zeros(4, 53), torch.zeros(4, 53), torch.zeros(4, 8))
    loss, parts = compute_loss(out, t, LossWeights())
    assert parts["log10w"] == 0.0 and np.isfinite(float(loss))
    w = LossWeights(presence=0, log10MassFraction=0, density=0, surface=0, setup=1)
    loss_s, p = compute_loss(out, t, w)
    assert abs(float(loss_s) - p["setup"]) < 1e-6


def test_lr_schedule():
    from training.train import lr_at

    o = {"lr": 1e-3, "minLrFraction": 0.02, "warmupSteps": 200}
    assert lr_at(0, 10_000, o) == pytest.approx(1e-3 / 200)
    assert lr_at(199, 10_000, o) == pytest.approx(1e-3)
    assert lr_at(9_999, 10_000, o) == pytest.approx(2e-5, rel=1e-3)
    assert lr_at(0, 50, o) == pytest.approx(1e-3 / 5)  # warm-up capped at 10 % of the run
