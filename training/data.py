"""Reading ``cmxrf simulate`` datasets (docs/dataset-format.md) and on-the-fly augmentation.

Profiles are memory-mapped (``np.load(mmap_mode="r")``); a batch is gathered from the shards,
then, in torch: optional energy-calibration jitter on the noise-free rates, a live time per
profile, Poisson counts, and the input normalisation :func:`normalize_rates`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .elements import LABEL_NAMES, N_LABELS, PREDICTED_ELEMENTS

FORMAT_VERSION = 1


class DatasetFormatError(ValueError):
    """A dataset directory does not match docs/dataset-format.md."""


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class Grid:
    nDepth: int
    depthStepUm: float
    nChannels: int
    startKeV: float
    binWidthKeV: float

    def as_dict(self) -> dict:
        return {
            "nDepth": self.nDepth,
            "depthStepUm": self.depthStepUm,
            "nChannels": self.nChannels,
            "startKeV": self.startKeV,
            "binWidthKeV": self.binWidthKeV,
        }


class ShardedDataset:
    """All shards of one dataset directory, memory-mapped; indexable by a global sample index."""

    def __init__(self, directory: str | os.PathLike, verify_sha256: bool = False):
        self.directory = Path(directory)
        manifest_path = self.directory / "manifest.json"
        if not manifest_path.is_file():
            raise DatasetFormatError(f"no manifest.json in {self.directory}")
        self.manifest_path = manifest_path
        self.manifest = json.loads(manifest_path.read_text())
        self.manifest_sha256 = sha256_file(manifest_path)
        m = self.manifest
        if m.get("formatVersion") != FORMAT_VERSION:
            raise DatasetFormatError(
                f"formatVersion: expected {FORMAT_VERSION}, got {m.get('formatVersion')!r} "
                f"({manifest_path})"
            )
        if list(m.get("elements", [])) != list(PREDICTED_ELEMENTS):
            raise DatasetFormatError(f"elements differ from PREDICTED_ELEMENTS ({manifest_path})")
        if list(m.get("labelNames", [])) != list(LABEL_NAMES):
            raise DatasetFormatError(f"labelNames differ from LABEL_NAMES ({manifest_path})")
        g = m["grid"]
        self.grid = Grid(
            int(g["nDepth"]),
            float(g["depthStepUm"]),
            int(g["nChannels"]),
            float(g["startKeV"]),
            float(g["binWidthKeV"]),
        )
        self.profiles: list[np.ndarray] = []
        self.labels: list[np.ndarray] = []
        offsets = [0]
        for shard in sorted(m["shards"], key=lambda s: s["index"]):
            files = shard["files"]
            p_path = self.directory / files["profiles"]
            l_path = self.directory / files["labels"]
            if verify_sha256:
                for key, path in (("profiles", p_path), ("labels", l_path)):
                    got = sha256_file(path)
                    if got != shard["sha256"][key]:
                        raise DatasetFormatError(
                            f"sha256 mismatch for {path}: expected {shard['sha256'][key]}, got {got}"
                        )
            p = np.load(p_path, mmap_mode="r")
            lab = np.load(l_path, mmap_mode="r")
            n = int(shard["n"])
            want_p = (n, self.grid.nDepth, self.grid.nChannels)
            if p.shape != want_p or p.dtype != np.float32:
                raise DatasetFormatError(
                    f"{p_path}: expected float32 {want_p}, got {p.dtype} {p.shape}"
                )
            if lab.shape != (n, N_LABELS) or lab.dtype != np.float32:
                raise DatasetFormatError(
                    f"{l_path}: expected float32 {(n, N_LABELS)}, got {lab.dtype} {lab.shape}"
                )
            self.profiles.append(p)
            self.labels.append(lab)
            offsets.append(offsets[-1] + n)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        if int(self.offsets[-1]) != int(m["count"]):
            raise DatasetFormatError(
                f"manifest count {m['count']} differs from the sum of shard sizes {self.offsets[-1]}"
            )

    def __len__(self) -> int:
        return int(self.offsets[-1])

    def all_labels(self) -> np.ndarray:
        """All labels ``[n, 62]`` (small; read into memory)."""
        return np.concatenate([np.asarray(x) for x in self.labels], axis=0)

    def gather(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Noise-free rates ``[b, nDepth, nChannels]`` and labels ``[b, 62]`` for global indices."""
        indices = np.asarray(indices, dtype=np.int64)
        shard = np.searchsorted(self.offsets, indices, side="right") - 1
        local = indices - self.offsets[shard]
        out_p = np.empty((len(indices), self.grid.nDepth, self.grid.nChannels), np.float32)
        out_l = np.empty((len(indices), N_LABELS), np.float32)
        for s in np.unique(shard):
            sel = np.nonzero(shard == s)[0]
            loc = local[sel]
            order = np.argsort(loc)  # ascending reads are kinder to the page cache
            out_p[sel[order]] = self.profiles[s][loc[order]]
            out_l[sel[order]] = self.labels[s][loc[order]]
        return out_p, out_l


# ----------------------------------------------------------------------------------------------
# Input normalisation (must be reproduced exactly by the TypeScript inference code)


@dataclass(frozen=True)
class Normalization:
    """x = log1p(rateCps · referenceLiveTimeS) / scale, rateCps = counts / liveTimeS."""

    referenceLiveTimeS: float = 10.0
    scale: float = 4.0

    def as_card(self) -> dict:
        return {
            "kind": "log1p",
            "formula": "x = log1p(rateCps * referenceLiveTimeS) / scale, "
            "rateCps = counts / liveTimeS (counts per second of live time, per bin and depth step); "
            "log1p(y) = ln(1 + y), natural logarithm",
            "referenceLiveTimeS": self.referenceLiveTimeS,
            "scale": self.scale,
            "layout": "profile[b, depth, channel], depth n = 0..nDepth-1 at x_n = n * depthStepUm, "
            "channel k covers [startKeV + k * binWidthKeV, startKeV + (k + 1) * binWidthKeV)",
            "dtype": "float32",
        }


def normalize_rates(rates: torch.Tensor, norm: Normalization) -> torch.Tensor:
    return torch.log1p(rates * norm.referenceLiveTimeS) / norm.scale


# ----------------------------------------------------------------------------------------------
# Augmentation


@dataclass(frozen=True)
class Augmentation:
    liveTimeMinS: float = 1.0
    liveTimeMaxS: float = 60.0
    poisson: bool = True
    energyJitterBins: float = 0.3  # max |shift| in bins, uniform; 0 disables
    # Short scans (models with model.depthMask): this fraction of the profiles is cut to L measured
    # steps, L uniform in [max(maskMinSteps, steps covering surface + maskMinMaterialUm), nDepth];
    # the rows past L are zeroed and their mask entries are 0.
    maskFraction: float = 0.0
    maskMinSteps: int = 10
    maskMinMaterialUm: float = 25.0

    @staticmethod
    def from_dict(d: dict | None) -> "Augmentation":
        return Augmentation(**(d or {}))


def min_mask_steps(surface_um: torch.Tensor, depth_step_um: float, n_depth: int, min_steps: int,
                   min_material_um: float) -> torch.Tensor:
    """Fewest measured steps that keep ``min_material_um`` of scan behind the surface: step n lies
    at ``n * depth_step_um``, so L steps reach ``(L - 1) * depth_step_um``."""
    need = torch.ceil((surface_um.double() + min_material_um) / depth_step_um) + 1
    return need.clamp(min=min_steps, max=n_depth).long()


def draw_depth_mask(labels: np.ndarray | torch.Tensor, aug: Augmentation, grid: "Grid",
                    gen: torch.Generator) -> torch.Tensor:
    """Depth mask ``[b, nDepth]`` (float32, on the device of ``gen``) for a batch: all ones, or
    for a fraction ``aug.maskFraction`` of the profiles, ones for the first L steps only."""
    lab = torch.as_tensor(np.asarray(labels) if not torch.is_tensor(labels) else labels)
    b = lab.shape[0]
    dev = gen.device
    mask = torch.ones(b, grid.nDepth, device=dev)
    if aug.maskFraction <= 0:
        return mask
    surface = lab[:, LABEL_NAMES.index("surfaceUm")].to(dev)
    lo = min_mask_steps(surface, grid.depthStepUm, grid.nDepth, aug.maskMinSteps, aug.maskMinMaterialUm)
    u = torch.rand(b, generator=gen, device=dev, dtype=torch.float64)
    length = lo + torch.floor(u * (grid.nDepth - lo + 1).double()).long()
    cut = torch.rand(b, generator=gen, device=dev) < aug.maskFraction
    length = torch.where(cut, length.clamp(max=grid.nDepth), torch.full_like(length, grid.nDepth))
    steps = torch.arange(grid.nDepth, device=dev)[None, :]
    return (steps < length[:, None]).float()


def short_window_mask(labels: np.ndarray | torch.Tensor, grid: "Grid", n_steps: int,
                      min_material_um: float = 25.0) -> torch.Tensor:
    """Evaluation mask: ``n_steps`` measured steps, more only where the surface needs them."""
    lab = torch.as_tensor(np.asarray(labels) if not torch.is_tensor(labels) else labels)
    surface = lab[:, LABEL_NAMES.index("surfaceUm")]
    length = min_mask_steps(surface, grid.depthStepUm, grid.nDepth, n_steps, min_material_um)
    steps = torch.arange(grid.nDepth)[None, :]
    return (steps < length[:, None]).float()


def draw_live_times(b: int, aug: Augmentation, gen: torch.Generator) -> torch.Tensor:
    """Log-uniform live time per profile (seconds per depth step), shape ``[b]``."""
    lo, hi = math.log(aug.liveTimeMinS), math.log(aug.liveTimeMaxS)
    u = torch.rand(b, generator=gen, dtype=torch.float64, device=gen.device)
    return torch.exp(lo + (hi - lo) * u)


def shift_channels(rates: torch.Tensor, shift_bins: torch.Tensor) -> torch.Tensor:
    """out[..., k] = rates[..., k + shift] by linear interpolation; zero outside the grid.

    ``shift_bins`` has shape ``[b]`` (|shift| < 1 expected). Simulates a small energy-calibration
    offset error.
    """
    b, d, c = rates.shape
    k = torch.arange(c, dtype=rates.dtype, device=rates.device)
    pos = k[None, :] + shift_bins[:, None].to(rates.dtype)  # [b, c]
    i0 = torch.floor(pos)
    frac = (pos - i0)[:, None, :]
    i0 = i0.long()
    i1 = i0 + 1
    valid0 = ((i0 >= 0) & (i0 < c))[:, None, :]
    valid1 = ((i1 >= 0) & (i1 < c))[:, None, :]
    g0 = torch.gather(rates, 2, i0.clamp(0, c - 1)[:, None, :].expand(b, d, c))
    g1 = torch.gather(rates, 2, i1.clamp(0, c - 1)[:, None, :].expand(b, d, c))
    return g0 * (1 - frac) * valid0 + g1 * frac * valid1


def augment(
    rates: np.ndarray | torch.Tensor,
    aug: Augmentation,
    gen: torch.Generator,
    live_times_s: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Noise-free rates → measured rates (counts / live time). Returns (rates, liveTimesS).

    Runs on the device of ``gen`` (rates are moved there): on CUDA the whole augmentation stays
    on the GPU and Poisson counts are drawn in float32 (exact to the float32 rounding of the
    counts); on the CPU in float64, as before.
    """
    r = torch.as_tensor(rates, dtype=torch.float32).to(gen.device)
    b = r.shape[0]
    if aug.energyJitterBins > 0:
        shift = (torch.rand(b, generator=gen, device=gen.device) * 2 - 1) * aug.energyJitterBins
        r = shift_channels(r, shift)
    t = (
        draw_live_times(b, aug, gen)
        if live_times_s is None
        else live_times_s.to(device=gen.device, dtype=torch.float64)
    )
    if aug.poisson:
        if r.device.type == "cpu":
            lam = r.double().clamp_min(0) * t[:, None, None]
            counts = torch.poisson(lam, generator=gen)
            r = (counts / t[:, None, None]).float()
        else:
            tf = t.float()[:, None, None]
            counts = torch.poisson(r.clamp_min(0) * tf, generator=gen)
            r = counts / tf
    return r, t
