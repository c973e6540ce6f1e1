"""Training loss and target encoding."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .elements import COL_SCALARS, N_ELEMENTS
from .model import TargetNormalization

LOG10_FLOOR = -8.0  # log10 of mass fractions is taken of max(w, 1e-8); only used where present


@dataclass
class LossWeights:
    presence: float = 1.0  # BCE with logits, mean over 53 elements
    log10MassFraction: float = 1.0  # Huber on z(log10 w), mean over present entries only
    density: float = 1.0  # Huber on z(density)
    surface: float = 1.0  # Huber on z(x0)
    setup: float = 0.5  # Huber on z(setup), mean over the 6 parameters
    huberDelta: float = 1.0  # in normalised (z) units

    @staticmethod
    def from_dict(d: dict | None) -> "LossWeights":
        return LossWeights(**(d or {}))

    def as_dict(self) -> dict:
        return asdict(self)


def fit_target_normalization(labels: np.ndarray, presence_threshold: float) -> TargetNormalization:
    w = labels[:, :N_ELEMENTS].astype(np.float64)
    present = w >= presence_threshold
    if present.any():
        lw = np.log10(w[present])
        mean, std = float(lw.mean()), float(lw.std())
    else:
        mean, std = -3.0, 1.0
    scal = labels[:, COL_SCALARS].astype(np.float64)
    smean = scal.mean(axis=0)
    sstd = scal.std(axis=0)
    return TargetNormalization(
        log10MassFractionMean=mean,
        log10MassFractionStd=max(std, 1e-3),
        scalarMean=[float(v) for v in smean],
        scalarStd=[float(max(v, 1e-6)) for v in sstd],
    )


@dataclass
class Targets:
    present: torch.Tensor  # [b, 53] float 0/1
    z_log10w: torch.Tensor  # [b, 53]
    z_scalars: torch.Tensor  # [b, 8]


def encode_targets(
    labels: torch.Tensor, tn: TargetNormalization, presence_threshold: float
) -> Targets:
    w = labels[:, :N_ELEMENTS]
    present = (w >= presence_threshold).float()
    log10w = torch.log10(w.clamp_min(10.0**LOG10_FLOOR))
    z_w = (log10w - tn.log10MassFractionMean) / tn.log10MassFractionStd
    scal = labels[:, N_ELEMENTS : N_ELEMENTS + 8]
    z_s = (scal - torch.tensor(tn.scalarMean, dtype=scal.dtype, device=scal.device)) / torch.tensor(
        tn.scalarStd, dtype=scal.dtype, device=scal.device
    )
    return Targets(present, z_w, z_s)


def compute_loss(
    outputs: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
    t: Targets,
    lw: LossWeights,
) -> tuple[torch.Tensor, dict[str, float]]:
    logit, zw, zs = outputs
    l_pres = F.binary_cross_entropy_with_logits(logit, t.present)
    per = F.huber_loss(zw, t.z_log10w, reduction="none", delta=lw.huberDelta)
    n_present = t.present.sum()
    l_conc = (per * t.present).sum() / n_present.clamp_min(1.0)
    hs = F.huber_loss(zs, t.z_scalars, reduction="none", delta=lw.huberDelta)
    l_dens = hs[:, 0].mean()
    l_surf = hs[:, 1].mean()
    l_setup = hs[:, 2:].mean()
    total = (
        lw.presence * l_pres
        + lw.log10MassFraction * l_conc
        + lw.density * l_dens
        + lw.surface * l_surf
        + lw.setup * l_setup
    )
    parts = {"presence": l_pres, "log10w": l_conc, "density": l_dens, "surface": l_surf, "setup": l_setup}
    if total.device.type == "cpu":
        return total, {k: v.item() for k, v in parts.items()}
    # On a GPU, keep the parts on the device (no synchronisation per step); float() them to log.
    return total, {k: v.detach() for k, v in parts.items()}
