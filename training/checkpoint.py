"""Loading a training checkpoint as an inference model."""

from __future__ import annotations

from pathlib import Path

import torch

from .model import CmxrfNet, ExportModel, ModelConfig, TargetNormalization


def resolve_checkpoint(run_or_file: str | Path) -> Path:
    p = Path(run_or_file)
    if p.is_dir():
        for name in ("best.pt", "last.pt"):
            if (p / name).is_file():
                return p / name
        raise FileNotFoundError(f"no best.pt or last.pt in {p}")
    if not p.is_file():
        raise FileNotFoundError(f"checkpoint not found: {p}")
    return p


def load_export_model(run_or_file: str | Path) -> tuple[ExportModel, dict]:
    path = resolve_checkpoint(run_or_file)
    ck = torch.load(path, weights_only=False, map_location="cpu")
    net = CmxrfNet(ModelConfig.from_dict(ck["modelConfig"]))
    net.load_state_dict(ck["model"])
    model = ExportModel(net, TargetNormalization(**ck["targetNormalization"]))
    model.eval()
    ck["path"] = str(path)
    return model, ck
