"""Write a small fake dataset in exactly the docs/dataset-format.md layout (no physics).

Used by the tests and for end-to-end smoke runs:
``python -m training.fake_data --out /tmp/fake --count 256 --shard-size 100 --seed 1``.
Profiles are Gaussian peaks at a fixed energy per element whose height grows with the mass
fraction, times an erfc-shaped depth profile starting at x0, plus a flat background — enough
structure for a smoke test to learn something, nothing more.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

from .data import FORMAT_VERSION, sha256_file
from .elements import LABEL_NAMES, N_ELEMENTS, PREDICTED_ELEMENTS

GRID = {"nDepth": 40, "depthStepUm": 5.0, "nChannels": 1024, "startKeV": 1.0, "binWidthKeV": 0.024}


def _erfc(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erfc, otypes=[np.float64])(x)


def fake_sample(rng: np.random.Generator, grid: dict = GRID) -> tuple[np.ndarray, np.ndarray, dict]:
    nd, nc = grid["nDepth"], grid["nChannels"]
    present = rng.random(N_ELEMENTS) < 0.15
    w = np.where(present, 10.0 ** rng.uniform(-5, -1, N_ELEMENTS), 0.0)
    w[rng.random(N_ELEMENTS) < 0.02] = 10.0 ** rng.uniform(-7, -5)  # traces below threshold
    if w.sum() > 0.9:
        w *= 0.9 / w.sum()
    density = rng.uniform(0.5, 9.0)
    x0 = rng.uniform(5.0, 95.0)
    setup = [
        rng.uniform(0.5, 1.5),  # tA
        rng.uniform(3.0, 8.0),  # tB keV
        rng.uniform(8.0, 14.0),  # tM keV
        rng.uniform(10.0, 40.0),  # sigmaMaxUm
        rng.uniform(0.05, 0.3),  # sigmaExpPerKeV
        rng.uniform(3.0, 12.0),  # sigmaOffUm
    ]
    live = float(np.exp(rng.uniform(0, math.log(60))))
    x = np.arange(nd) * grid["depthStepUm"]
    depth = 0.5 * _erfc((x0 - x) / (math.sqrt(2) * 15.0)) * np.exp(-np.clip(x - x0, 0, None) * density / 60)
    e = grid["startKeV"] + (np.arange(nc) + 0.5) * grid["binWidthKeV"]
    spec = np.full(nc, 0.05)
    for j in np.nonzero(w > 0)[0]:
        ej = 1.5 + 22.0 * j / N_ELEMENTS
        spec += 2e3 * w[j] * np.exp(-0.5 * ((e - ej) / 0.07) ** 2)
    spec += 5.0 * np.exp(-0.5 * ((e - 20.2) / 0.1) ** 2) / density  # "Rayleigh"
    rates = (setup[0] * depth[:, None] * spec[None, :]).astype(np.float32)
    labels = np.concatenate([w, [density, x0], setup, [live]]).astype(np.float32)
    composition = {s: float(w[j]) for j, s in enumerate(PREDICTED_ELEMENTS) if w[j] > 0}
    composition["O"] = float(1.0 - w.sum())
    info = {"composition": composition, "densityGPerCm3": density, "setup": setup}
    return rates, labels, info


def write_fake_dataset(
    out_dir: str | Path, count: int = 64, shard_size: int = 32, seed: int = 0, grid: dict = GRID
) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    shards = []
    for si, start in enumerate(range(0, count, shard_size)):
        n = min(shard_size, count - start)
        prof = np.empty((n, grid["nDepth"], grid["nChannels"]), np.float32)
        lab = np.empty((n, len(LABEL_NAMES)), np.float32)
        samples = []
        for i in range(n):
            prof[i], lab[i], info = fake_sample(rng, grid)
            samples.append({**info, "seedIndex": start + i})
        stem = f"shard-{si:05d}"
        files = {
            "profiles": f"{stem}.profiles.npy",
            "labels": f"{stem}.labels.npy",
            "samples": f"{stem}.samples.json",
        }
        np.save(out / files["profiles"], prof)
        np.save(out / files["labels"], lab)
        (out / files["samples"]).write_text(json.dumps(samples))
        shards.append(
            {
                "index": si,
                "n": n,
                "files": files,
                "sha256": {k: sha256_file(out / v) for k, v in files.items()},
            }
        )
    manifest = {
        "formatVersion": FORMAT_VERSION,
        "generator": "training.fake_data (no physics)",
        "cmxrfVersion": "0.0.0-fake",
        "seed": seed,
        "count": count,
        "shardSize": shard_size,
        "grid": grid,
        "elements": list(PREDICTED_ELEMENTS),
        "labelNames": list(LABEL_NAMES),
        "shards": shards,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.fake_data", description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=256)
    ap.add_argument("--shard-size", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    write_fake_dataset(a.out, a.count, a.shard_size, a.seed)
    print(f"wrote {a.count} fake profiles to {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
