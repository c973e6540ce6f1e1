"""Export to ONNX + model card + parity vectors:
``python -m training.export --run runs/default --eval runs/default/eval/metrics.json``.

Writes ``<out-dir>/<name>.onnx`` (opset 17, dynamic batch axis), ``<out-dir>/<name>.json`` (the
model card) and ``<out-dir>/parity/{input,output}.json`` (already-normalised inputs and the
PyTorch outputs, for the TypeScript parity test). Defaults: ``--out-dir models --name
cmxrf-default``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from . import __version__
from .checkpoint import load_export_model
from .data import FORMAT_VERSION, Augmentation, Normalization, ShardedDataset, augment, normalize_rates, sha256_file
from .elements import PREDICTED_ELEMENTS, SETUP_NAMES
from .model import ExportModel, count_parameters

OPSET = 17
INPUT_NAME = "profile"
MASK_NAME = "depth_mask"
PARITY_ATOL = 1e-4

OUTPUTS_CARD = [
    {"name": "presence_logit", "shape": ["batch", 53], "unit": "logit",
     "meaning": "presence probability = sigmoid(presence_logit), elements in `elements` order"},
    {"name": "log10_mass_fraction", "shape": ["batch", 53], "unit": "log10(mass fraction)",
     "meaning": "mass fraction = 10^log10_mass_fraction (0..1), elements in `elements` order"},
    {"name": "density_g_per_cm3", "shape": ["batch", 1], "unit": "g/cm^3", "meaning": "density"},
    {"name": "surface_um", "shape": ["batch", 1], "unit": "um",
     "meaning": "surface position x0 on the scan axis (x_n = n * depthStepUm)"},
    {"name": "setup", "shape": ["batch", 6], "unit": "per parameter",
     "meaning": "tA (-), tB (keV), tM (keV), sigmaMaxUm (um), sigmaExpPerKeV (1/keV), sigmaOffUm (um)",
     "order": list(SETUP_NAMES)},
]


def _num(x: float) -> float:
    """float32 value rounded to 9 significant digits (round-trips float32 exactly)."""
    return float(f"{float(x):.9g}")


def tensor_json(a: np.ndarray) -> dict:
    return {"shape": list(a.shape), "dtype": "float32", "data": [_num(v) for v in a.ravel()]}


def has_depth_mask(model: ExportModel) -> bool:
    return model.net.mask_proj is not None


def export_onnx(model: ExportModel, path: Path, n_depth: int, n_channels: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    dummy = torch.zeros(2, n_depth, n_channels)
    args: tuple = (dummy,)
    names = [INPUT_NAME]
    if has_depth_mask(model):
        args = (dummy, torch.ones(2, n_depth))
        names.append(MASK_NAME)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            args,
            str(path),
            dynamo=False,
            input_names=names,
            output_names=list(ExportModel.OUTPUT_NAMES),
            dynamic_axes={**{n: {0: "batch"} for n in names}, **{n: {0: "batch"} for n in ExportModel.OUTPUT_NAMES}},
            opset_version=OPSET,
            do_constant_folding=True,
        )
    try:
        import onnx
    except ImportError:  # e.g. a GPU machine with torch and onnxruntime only
        print("[export] onnx not installed: onnx.checker skipped", flush=True)
        return
    onnx.checker.check_model(onnx.load(str(path)))


def parity_inputs(ck: dict, data: str | None, n: int, seed: int) -> np.ndarray:
    """``n`` normalised inputs: noisy profiles from ``data`` if given, else deterministic random."""
    cfg = ck["config"]
    norm = Normalization(**cfg["normalization"])
    g = ck["grid"]
    gen = torch.Generator().manual_seed(seed)
    if data:
        ds = ShardedDataset(data)
        rates, _ = ds.gather(np.arange(min(n, len(ds))))
        aug = replace(Augmentation.from_dict(cfg["augmentation"]), energyJitterBins=0.0)
        r, _ = augment(rates, aug, gen)
    else:
        r = torch.poisson(torch.rand(n, g["nDepth"], g["nChannels"], generator=gen) * 50, generator=gen) / 10
    return normalize_rates(r, norm).numpy().astype(np.float32)


def _onnx_version() -> str | None:
    try:
        import onnx
    except ImportError:
        return None
    return onnx.__version__


def package_version() -> str | None:
    """``version`` of the repository's package.json (None when not found)."""
    p = Path(__file__).resolve().parents[1] / "package.json"
    try:
        return json.loads(p.read_text())["version"]
    except (OSError, KeyError, ValueError):
        return None


def strip_paths(metrics: dict) -> dict:
    """Held-out metrics without machine paths: directories and files reduced to their names."""
    m = dict(metrics)
    if "checkpoint" in m:
        m["checkpoint"] = Path(str(m["checkpoint"])).name
    if isinstance(m.get("testSet"), dict) and "dir" in m["testSet"]:
        m["testSet"] = {**m["testSet"], "dir": Path(str(m["testSet"]["dir"])).name}
    return m


def export(
    run: str,
    out_dir: str = "models",
    name: str = "cmxrf-default",
    eval_metrics: str | None = None,
    parity_data: str | None = None,
    n_parity: int = 3,
    presence_probability: float = 0.5,
    extra_card: dict | None = None,
) -> dict:
    """Exports ``run`` to ONNX + card. ``extra_card`` fields (e.g. ``instrument``,
    ``instrumentRanges``, ``evaluations``) are added to the card."""
    if not 0.0 < presence_probability < 1.0:
        raise ValueError(f"presence_probability must be in (0, 1), got {presence_probability}")
    torch.set_num_threads(2)
    model, ck = load_export_model(run)
    out = Path(out_dir)
    g = ck["grid"]
    onnx_path = out / f"{name}.onnx"
    export_onnx(model, onnx_path, g["nDepth"], g["nChannels"])

    x = parity_inputs(ck, parity_data, n_parity, seed=4242)
    inputs = {INPUT_NAME: x}
    if has_depth_mask(model):
        # The last parity profile is cut to 15 measured steps (a short scan).
        mask = np.ones(x.shape[:2], np.float32)
        mask[-1, 15:] = 0
        x = x * mask[:, :, None]
        inputs = {INPUT_NAME: x, MASK_NAME: mask}
    with torch.no_grad():
        y = model(*(torch.from_numpy(v) for v in inputs.values()))
    parity_dir = out / "parity"
    parity_dir.mkdir(parents=True, exist_ok=True)
    (parity_dir / "input.json").write_text(
        json.dumps({"model": onnx_path.name, "inputs": {k: tensor_json(v) for k, v in inputs.items()}}) + "\n"
    )
    (parity_dir / "output.json").write_text(
        json.dumps({
            "model": onnx_path.name,
            "producer": f"PyTorch {torch.__version__}",
            "atol": PARITY_ATOL,
            "outputs": {n: tensor_json(v.numpy()) for n, v in zip(ExportModel.OUTPUT_NAMES, y)},
        }) + "\n"
    )

    cfg = ck["config"]
    aug_cfg = cfg.get("augmentation") or {}
    norm = Normalization(**cfg["normalization"])
    metrics = json.loads(Path(eval_metrics).read_text()) if eval_metrics else None
    if metrics:
        metrics.pop("perElement", None)
        metrics = strip_paths(metrics)
    card = {
        "name": name,
        "createdUtc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "onnx": {
            "file": onnx_path.name,
            "sha256": sha256_file(onnx_path),
            "opset": OPSET,
            "sizeBytes": onnx_path.stat().st_size,
        },
        "input": {
            "name": INPUT_NAME,
            "shape": ["batch", g["nDepth"], g["nChannels"]],
            "dtype": "float32",
            "grid": g,
            "normalization": norm.as_card(),
            **({"depthMask": {
                "name": MASK_NAME,
                "shape": ["batch", g["nDepth"]],
                "dtype": "float32",
                "minSteps": int(aug_cfg.get("maskMinSteps", 10)),
                "minMaterialUm": float(aug_cfg.get("maskMinMaterialUm", 25.0)),
                "meaning": "1 for a measured depth step, 0 for a step past the end of the scan "
                "(only trailing steps; the profile rows of masked steps are 0)",
            }} if has_depth_mask(model) else {}),
        },
        "outputs": OUTPUTS_CARD,
        "elements": list(PREDICTED_ELEMENTS),
        "presenceThresholdMassFraction": cfg["presenceThresholdMassFraction"],
        "presenceProbabilityThreshold": presence_probability,
        "targetNormalization": {
            **ck["targetNormalization"],
            "note": "already applied inside the ONNX graph; outputs are in physical units",
        },
        "architecture": {
            "modelConfig": ck["modelConfig"],
            "parameters": count_parameters(model),
        },
        "training": {
            "manifestSha256": ck["trainManifestSha256"],
            "manifestSeed": ck.get("trainManifestSeed"),
            "profiles": ck.get("trainProfiles"),
            "steps": ck["globalStep"],
            "trainTimeS": ck["trainTimeS"],
            "seed": cfg["seed"],
            "augmentation": cfg["augmentation"],
            "lossWeights": cfg["lossWeights"],
            "optim": cfg["optim"],
        },
        "heldOutMetrics": metrics,
        "parity": {"input": "parity/input.json", "output": "parity/output.json", "atol": PARITY_ATOL},
        "versions": {
            "torch": torch.__version__,
            "onnx": _onnx_version(),
            "training": __version__,
            "cmxrfDatasetFormat": FORMAT_VERSION,
            "cmxrf": package_version() or ck.get("trainManifestCmxrfVersion"),
        },
        **(extra_card or {}),
    }
    card_path = out / f"{name}.json"
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    print(f"[export] {onnx_path} ({card['onnx']['sizeBytes']} bytes), {card_path}, {parity_dir}/", flush=True)
    return card


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.export", description=__doc__.split("\n")[0])
    ap.add_argument("--run", default="runs/default", help="run directory (uses best.pt) or a .pt file")
    ap.add_argument("--out-dir", default="models")
    ap.add_argument("--name", default="cmxrf-default")
    ap.add_argument("--eval", dest="eval_metrics", help="metrics.json from training.evaluate")
    ap.add_argument("--parity-data", help="dataset whose first profiles become parity inputs")
    ap.add_argument("--n-parity", type=int, default=3)
    ap.add_argument("--presence-probability", type=float, default=0.5,
                    help="default detection threshold on the presence probability, written to the card")
    ap.add_argument("--instrument", help="instrument description JSON the model was trained for (into the card)")
    ap.add_argument("--ranges", help="randomization ranges JSON of its training data (into the card)")
    a = ap.parse_args(argv)
    extra = {}
    if a.instrument:
        extra["instrument"] = json.loads(Path(a.instrument).read_text())
    if a.ranges:
        extra["instrumentRanges"] = json.loads(Path(a.ranges).read_text())
    export(a.run, a.out_dir, a.name, a.eval_metrics, a.parity_data, a.n_parity, a.presence_probability, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
