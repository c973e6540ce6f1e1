"""CNN over energy with depth steps as input channels, and MLP heads.

Input ``profile [B, nDepth, nChannels]`` (normalised, see data.Normalization). Raw outputs are in
normalised target units; :class:`ExportModel` de-normalises them inside the graph.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from .elements import N_ELEMENTS


@dataclass
class ModelConfig:
    nDepth: int = 40
    nChannels: int = 1024
    stem: str = "depth-channels"  # or "conv2d"
    stemChannels: int = 48
    stageChannels: list[int] = field(default_factory=lambda: [64, 64, 96, 96, 128])
    kernelSize: int = 5
    flattenChannels: int = 32
    hidden: int = 256
    dropout: float = 0.1
    # Multiplies every channel count and the hidden width (rounded); 1.5 gives ~1.3 M parameters.
    widthMultiplier: float = 1.0
    # Second input ``depth_mask [B, nDepth]`` (1 = measured step, 0 = past the end of the scan):
    # lets one model take scans shorter than nDepth (see data.draw_depth_mask).
    depthMask: bool = False

    @staticmethod
    def from_dict(d: dict | None) -> "ModelConfig":
        return ModelConfig(**(d or {}))

    def width(self, n: int) -> int:
        return max(1, int(round(n * self.widthMultiplier)))

    def as_dict(self) -> dict:
        return asdict(self)


class ConvBlock(nn.Module):
    """Strided conv (downsample ×2) then a residual conv, each Conv-BN-GELU."""

    def __init__(self, cin: int, cout: int, k: int):
        super().__init__()
        self.down = nn.Sequential(
            nn.Conv1d(cin, cout, k, stride=2, padding=k // 2, bias=False),
            nn.BatchNorm1d(cout),
            nn.GELU(),
        )
        self.res = nn.Sequential(
            nn.Conv1d(cout, cout, 3, padding=1, bias=False),
            nn.BatchNorm1d(cout),
            nn.GELU(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.down(x)
        return x + self.res(x)


class Conv2dStem(nn.Module):
    """Alternative stem: 2-D conv over (depth, energy), then depth folded into channels."""

    def __init__(self, n_depth: int, cout: int):
        super().__init__()
        self.c2 = 8
        self.conv = nn.Sequential(
            nn.Conv2d(1, self.c2, (5, 5), stride=(2, 1), padding=(2, 2), bias=False),
            nn.BatchNorm2d(self.c2),
            nn.GELU(),
        )
        d2 = (n_depth + 1) // 2
        self.mix = nn.Sequential(
            nn.Conv1d(self.c2 * d2, cout, 1, bias=False), nn.BatchNorm1d(cout), nn.GELU()
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, c = x.shape
        y = self.conv(x[:, None])  # [b, c2, d2, c]
        return self.mix(y.reshape(b, -1, c))


class CmxrfNet(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        stem_ch = w(cfg.stemChannels)
        if cfg.stem == "depth-channels":
            # Pointwise mixing of the depth profile at each energy bin.
            self.stem = nn.Sequential(
                nn.Conv1d(cfg.nDepth, stem_ch, 1, bias=False),
                nn.BatchNorm1d(stem_ch),
                nn.GELU(),
            )
        elif cfg.stem == "conv2d":
            if cfg.depthMask:
                raise ValueError("model.depthMask needs model.stem = 'depth-channels'")
            self.stem = Conv2dStem(cfg.nDepth, stem_ch)
        else:
            raise ValueError(f"model.stem: expected 'depth-channels' or 'conv2d', got {cfg.stem!r}")
        # The mask enters the stem as a per-channel bias (before its batch norm): which depth steps
        # were measured shifts every energy bin alike.
        self.mask_proj = nn.Linear(cfg.nDepth, stem_ch, bias=False) if cfg.depthMask else None
        blocks = []
        cin = stem_ch
        for cout in cfg.stageChannels:
            blocks.append(ConvBlock(cin, w(cout), cfg.kernelSize))
            cin = w(cout)
        self.blocks = nn.Sequential(*blocks)
        length = cfg.nChannels
        for _ in cfg.stageChannels:
            length = (length + 1) // 2
        flat = w(cfg.flattenChannels)
        hidden = w(cfg.hidden)
        self.reduce = nn.Sequential(
            nn.Conv1d(cin, flat, 1, bias=False),
            nn.BatchNorm1d(flat),
            nn.GELU(),
        )
        # Flatten keeps the energy position (which is what identifies an element).
        self.trunk = nn.Sequential(
            nn.Flatten(),
            nn.Linear(flat * length, hidden),
            nn.GELU(),
            nn.Dropout(cfg.dropout),
            nn.Linear(hidden, hidden),
            nn.GELU(),
        )
        self.presence_head = nn.Linear(hidden, N_ELEMENTS)
        self.conc_head = nn.Linear(hidden, N_ELEMENTS)
        self.scalar_head = nn.Linear(hidden, 8)  # density, x0, 6 setup parameters

    def forward(
        self, profile: torch.Tensor, depth_mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Returns (presence logits [B,53], normalised log10 w [B,53], normalised scalars [B,8]).

        ``depth_mask [B, nDepth]`` (models with ``depthMask`` only; default: every step measured).
        Rows of ``profile`` at masked steps must be zero.
        """
        if self.mask_proj is None:
            h = self.stem(profile)
        else:
            if depth_mask is None:
                depth_mask = profile.new_ones(profile.shape[0], self.cfg.nDepth)
            h = self.stem[0](profile) + self.mask_proj(depth_mask.to(profile.dtype))[:, :, None]
            h = self.stem[2](self.stem[1](h))
        h = self.reduce(self.blocks(h))
        h = self.trunk(h)
        return self.presence_head(h), self.conc_head(h), self.scalar_head(h)


@dataclass
class TargetNormalization:
    """Regression targets are z = (y - mean) / std.

    log10 mass fraction: one (mean, std) over all present (w >= threshold) entries of the
    training set; scalars (density, x0, tA, tB, tM, sigmaMaxUm, sigmaExpPerKeV, sigmaOffUm):
    per-column mean and std of the training set.
    """

    log10MassFractionMean: float
    log10MassFractionStd: float
    scalarMean: list[float]
    scalarStd: list[float]

    def as_dict(self) -> dict:
        return asdict(self)


class ExportModel(nn.Module):
    """Wraps CmxrfNet; de-normalises targets so ONNX outputs are in physical units."""

    OUTPUT_NAMES = (
        "presence_logit",
        "log10_mass_fraction",
        "density_g_per_cm3",
        "surface_um",
        "setup",
    )

    def __init__(self, net: CmxrfNet, tn: TargetNormalization):
        super().__init__()
        self.net = net
        self.register_buffer(
            "w_mean", torch.tensor(tn.log10MassFractionMean, dtype=torch.float32)
        )
        self.register_buffer("w_std", torch.tensor(tn.log10MassFractionStd, dtype=torch.float32))
        self.register_buffer("s_mean", torch.tensor(tn.scalarMean, dtype=torch.float32))
        self.register_buffer("s_std", torch.tensor(tn.scalarStd, dtype=torch.float32))

    def forward(self, profile: torch.Tensor, depth_mask: torch.Tensor | None = None):
        logit, zw, zs = self.net(profile, depth_mask)
        log10w = zw * self.w_std + self.w_mean
        s = zs * self.s_std + self.s_mean
        return logit, log10w, s[:, 0:1], s[:, 1:2], s[:, 2:8]


def count_parameters(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())
