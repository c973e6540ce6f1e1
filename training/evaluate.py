"""Held-out evaluation: ``python -m training.evaluate --run runs/default --data data/test``.

Draws noise for every test profile (live time log-uniform over the training range, or the
dataset's suggested ``liveTimeS`` with ``--live-time suggested``) from ``--noise-seed``, predicts,
and writes ``metrics.json`` plus PNG plots to ``--out`` (default ``<run>/eval``). The test set must
come from a different generator seed than the training set.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from .checkpoint import load_export_model
from .data import Augmentation, Normalization, ShardedDataset
from .elements import COL_DENSITY, COL_LIVE_TIME, COL_SURFACE, N_ELEMENTS, PREDICTED_ELEMENTS
from .metrics import GATE_PROBABILITY, compute_metrics
from .train import predict


def make_plots(pred: dict, labels: np.ndarray, thr: float, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    w = labels[:, :N_ELEMENTS]
    wp = 10.0 ** pred["log10_mass_fraction"]
    pres = w >= thr

    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.scatter(w[pres], wp[pres], s=3, alpha=0.3)
    lo, hi = thr, 1.0
    ax.plot([lo, hi], [lo, hi], "k--", lw=1)
    ax.set(xscale="log", yscale="log", xlabel="true mass fraction", ylabel="predicted mass fraction",
           title="Mass fractions (present elements)")
    fig.tight_layout()
    fig.savefig(out / "mass_fraction_pred_vs_true.png", dpi=110)
    plt.close(fig)
    files.append("mass_fraction_pred_vs_true.png")

    for key, col, label, fname in (
        ("density_g_per_cm3", COL_DENSITY, "density (g/cm³)", "density_pred_vs_true.png"),
        ("surface_um", COL_SURFACE, "surface position x0 (µm)", "surface_pred_vs_true.png"),
    ):
        t, p = labels[:, col], pred[key][:, 0]
        fig, ax = plt.subplots(figsize=(5, 5))
        ax.scatter(t, p, s=4, alpha=0.4)
        a, b = float(min(t.min(), p.min())), float(max(t.max(), p.max()))
        ax.plot([a, b], [a, b], "k--", lw=1)
        ax.set(xlabel=f"true {label}", ylabel=f"predicted {label}")
        fig.tight_layout()
        fig.savefig(out / fname, dpi=110)
        plt.close(fig)
        files.append(fname)

    rel = np.abs(wp - w) / np.where(w > 0, w, 1.0)
    fig, axes = plt.subplots(7, 8, figsize=(20, 17), sharex=True, sharey=True)
    for j, ax in enumerate(axes.flat):
        if j >= N_ELEMENTS:
            ax.axis("off")
            continue
        sel = pres[:, j]
        ax.scatter(w[sel, j], rel[sel, j], s=3, alpha=0.4)
        ax.set(xscale="log", yscale="log", title=f"{PREDICTED_ELEMENTS[j]} (n={int(sel.sum())})")
        ax.axhline(0.1, color="k", lw=0.5, ls=":")
    fig.supxlabel("true mass fraction")
    fig.supylabel("relative error |pred - true| / true")
    fig.tight_layout()
    fig.savefig(out / "per_element_rel_error_vs_concentration.png", dpi=80)
    plt.close(fig)
    files.append("per_element_rel_error_vs_concentration.png")
    return files


def evaluate(
    run: str,
    data: str,
    out: str | None = None,
    noise_seed: int = 20240,
    live_time: str = "random",
    max_profiles: int | None = None,
    plots: bool = True,
    allow_same_seed: bool = False,
    presence_probability: float = GATE_PROBABILITY,
    threads: int = 2,
    window_steps: int | None = None,
) -> dict:
    torch.set_num_threads(threads)
    model, ck = load_export_model(run)
    ds = ShardedDataset(data)
    if not allow_same_seed and ds.manifest.get("seed") == ck.get("trainManifestSeed"):
        raise ValueError(
            f"test set seed {ds.manifest.get('seed')} equals the training set seed; "
            "generate the held-out set with another seed (or pass --allow-same-seed)"
        )
    if ds.manifest_sha256 == ck.get("trainManifestSha256") and not allow_same_seed:
        raise ValueError("test set manifest is the training manifest")
    cfg = ck["config"]
    norm = Normalization(**cfg["normalization"])
    aug = Augmentation.from_dict(cfg["augmentation"])
    aug = replace(aug, energyJitterBins=0.0)  # the held-out set is on the nominal calibration
    thr = float(cfg["presenceThresholdMassFraction"])
    n = len(ds) if max_profiles is None else min(len(ds), max_profiles)
    idx = np.arange(n)
    labels = ds.all_labels()[:n]
    t_live = labels[:, COL_LIVE_TIME].astype(np.float64) if live_time == "suggested" else None
    t0 = time.perf_counter()
    pred = predict(model, ds, idx, aug, norm, noise_seed, live_times_s=t_live, window_steps=window_steps)
    dt = time.perf_counter() - t0
    m = compute_metrics(pred, labels, thr, presence_probability)
    # F1 and the gated absent sum at other presence-probability thresholds (for choosing one on a
    # validation set; the threshold itself is never tuned on the test set).
    m["presenceThresholdScan"] = {
        f"{p:.2f}": {
            k: compute_metrics(pred, labels, thr, p)[k]
            for k in ("presenceF1_ge5e-4", "absentSumMassFractionMedian_gated")
        }
        for p in np.arange(0.3, 0.96, 0.05)
    }
    m["testSet"] = {
        "dir": str(data),
        "manifestSha256": ds.manifest_sha256,
        "seed": ds.manifest.get("seed"),
        "noiseSeed": noise_seed,
        "liveTime": live_time if live_time == "suggested" else
        f"log-uniform {aug.liveTimeMinS}-{aug.liveTimeMaxS} s per depth step",
        **({"windowSteps": window_steps,
            "window": f"first {window_steps} depth steps measured (more where the surface needs "
                      "them for 25 um behind it), the rest masked"} if window_steps else {}),
    }
    m["checkpoint"] = ck["path"]
    m["inferenceSecondsPerProfile"] = dt / max(1, n)
    out_dir = Path(out) if out else Path(ck["path"]).parent / "eval"
    out_dir.mkdir(parents=True, exist_ok=True)
    if plots:
        try:
            m["plots"] = make_plots(pred, labels, thr, out_dir)
        except ImportError:
            print("[evaluate] matplotlib not installed: plots skipped", flush=True)
    (out_dir / "metrics.json").write_text(json.dumps(m, indent=2) + "\n")
    print(f"[evaluate] {n} profiles -> {out_dir / 'metrics.json'}", flush=True)
    for k in (
        "massFractionMedianRelErr_ge1e-3",
        "massFractionMedianRelErr_1e-4to1e-3",
        "densityMedianRelErr",
        "surfaceMedianAbsErrUm",
        "surfaceP95AbsErrUm",
        "absentSumMassFractionMedian_raw",
        "absentSumMassFractionMedian_gated",
        "presenceF1_ge5e-4",
    ):
        print(f"  {k}: {m[k]}", flush=True)
    return m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("--run", default="runs/default", help="run directory (uses best.pt) or a .pt file")
    ap.add_argument("--data", required=True, help="held-out dataset directory (different seed)")
    ap.add_argument("--out", help="output directory (default <run>/eval)")
    ap.add_argument("--noise-seed", type=int, default=20240)
    ap.add_argument("--live-time", choices=["random", "suggested"], default="random")
    ap.add_argument("--max-profiles", type=int)
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--allow-same-seed", action="store_true")
    ap.add_argument("--presence-probability", type=float, default=GATE_PROBABILITY,
                    help="detection threshold on sigmoid(presence logit) (choose it on a validation set)")
    ap.add_argument("--window-steps", type=int,
                    help="short scans: measured depth steps per window (models with a depth mask)")
    a = ap.parse_args(argv)
    evaluate(a.run, a.data, a.out, a.noise_seed, a.live_time, a.max_profiles, not a.no_plots,
             a.allow_same_seed, a.presence_probability, window_steps=a.window_steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
