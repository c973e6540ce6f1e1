"""Per-instrument training in one command: data generation → training → evaluation → ONNX + card +
report.

    python -m training.pipeline --instrument my.json [--ranges r.json] --out models/mine \\
        [--profiles N] [--device auto|cpu|cuda] [--time-budget-s S]

1. generates the training, validation and test sets with the Node generator (``node dist/cli.js
   simulate``, the built package; ``tsx src/cli/index.ts`` when ``dist/`` is missing): training
   and validation with the instrument randomized inside ``--ranges`` (if given); a test set at
   the nominal instrument, one inside the ranges, and one of the held-out compositions
   (``training/heldout-compositions.json``, outside the composition prior's archetypes);
2. trains (``training.train``) on the chosen device, by epochs or within ``--time-budget-s``;
3. picks the presence-probability threshold on the validation set, evaluates every test set;
4. exports ``<out>/<name>.onnx`` and the card ``<out>/<name>.json`` (recording the instrument,
   the ranges and every evaluation) and writes ``<out>/REPORT.md`` from the run's own records.

It prints the expected duration before it starts and progress lines while it runs. Rerunning
with the same ``--work`` directory resumes: finished dataset shards are kept.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .checkpoint import load_export_model
from .data import Augmentation, Normalization, ShardedDataset
from .elements import N_ELEMENTS, PREDICTED_ELEMENTS
from .evaluate import evaluate
from .export import export, package_version
from .pipeline_report import write_report
from .train import fmt_duration, load_config, predict, resolve_device, train

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "training" / "heldout-compositions.json"

# Throughput assumptions for the duration estimate (measured, see training/README.md): one
# generator worker simulates ~25 profiles/s; a fresh randomized instrument costs ~20 s of
# preparation; training runs ~400 profiles/s on 2 CPU cores and ~15,000 profiles/s on one
# H100/H200 (bf16, data in GPU memory).
GEN_PROFILES_PER_S_PER_WORKER = 25.0
GEN_S_PER_INSTRUMENT = 20.0
TRAIN_PROFILES_PER_S = {"cpu": 400.0, "cuda": 15000.0}


def log(msg: str) -> None:
    print(msg, flush=True)


def generator_command() -> list[str]:
    """How to run the Node generator: the built CLI, else the TypeScript sources through tsx."""
    node = shutil.which("node")
    if node and (ROOT / "dist" / "cli.js").is_file():
        return [node, str(ROOT / "dist" / "cli.js")]
    tsx = ROOT / "node_modules" / ".bin" / "tsx"
    if tsx.is_file():
        return [str(tsx), str(ROOT / "src" / "cli" / "index.ts")]
    raise SystemExit(
        "training.pipeline: no Node generator found: build the package (npm run build → dist/cli.js) "
        "or install the dev dependencies (node_modules/.bin/tsx); Node must be on PATH."
    )


def simulate(out: Path, count: int, seed: str, workers: int, instrument: Path | None,
             ranges: Path | None = None, compositions: Path | None = None, shard_size: int = 512) -> float:
    """Runs ``cmxrf simulate`` (resumable) and returns its wall time (s)."""
    cmd = generator_command() + [
        "simulate", "--count", str(count), "--seed", seed, "--out", str(out),
        "--workers", str(workers), "--shard-size", str(shard_size),
    ]
    if instrument:
        cmd += ["--instrument", str(instrument)]
    if ranges:
        cmd += ["--randomize", str(ranges)]
    if compositions:
        cmd += ["--compositions", str(compositions)]
    log(f"[pipeline] simulate {out.name}: {count} profiles, seed {seed}")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"training.pipeline: the generator failed (exit {proc.returncode}) for {out.name}")
    return time.perf_counter() - t0


def plan_counts(profiles: int, val: int | None = None, test: int | None = None) -> dict[str, int]:
    return {
        "train": profiles,
        "val": val or max(64, min(2000, profiles // 20)),
        "test": test or max(64, min(2048, profiles // 10)),
    }


def estimate(counts: dict[str, int], n_heldout: int, workers: int, randomized: bool, block: int,
             device: str, train_profiles: float | None, budget_s: float | None) -> dict[str, float]:
    """Expected durations (s) of the stages."""
    gen_profiles = counts["train"] + counts["val"] + 2 * counts["test"] + n_heldout
    gen = gen_profiles / (GEN_PROFILES_PER_S_PER_WORKER * workers)
    if randomized:
        n_inst = math.ceil(counts["train"] / block) + math.ceil(counts["val"] / block) + math.ceil(counts["test"] / block)
        gen += n_inst * GEN_S_PER_INSTRUMENT / workers
    tr = budget_s if budget_s else (train_profiles or 0) / TRAIN_PROFILES_PER_S[device]
    ev = (counts["val"] + 2 * counts["test"] + n_heldout) / 300.0 + 20
    return {"generate": gen, "train": tr, "evaluate+export": ev, "total": gen + tr + ev}


def heldout_table(run: Path, data: Path, norm: Normalization, aug: Augmentation, threshold: float,
                  noise_seed: int = 777) -> list[dict]:
    """Per held-out composition: every element with true w ≥ 1e-4 or predicted present ≥ 1e-3:
    true value, median prediction over its profiles, and the fraction of profiles where it was
    detected."""
    model, _ = load_export_model(run)
    ds = ShardedDataset(data)
    labels = ds.all_labels()
    idx = np.arange(len(ds))
    pred = predict(model, ds, idx, aug, norm, noise_seed)
    names: list[str] = []
    for shard in sorted(ds.manifest["shards"], key=lambda s: s["index"]):
        samples = json.loads((data / shard["files"]["samples"]).read_text())["samples"]
        names += [s["archetype"].removeprefix("reference:") for s in samples]
    w_pred = 10.0 ** pred["log10_mass_fraction"]
    prob = 1 / (1 + np.exp(-pred["presence_logit"]))
    rows = []
    for name in dict.fromkeys(names):
        sel = np.array([n == name for n in names])
        w_true = labels[sel][0, :N_ELEMENTS]
        med = np.median(w_pred[sel], axis=0)
        det = (prob[sel] > threshold).mean(axis=0)
        for j, el in enumerate(PREDICTED_ELEMENTS):
            if w_true[j] >= 1e-4 or (det[j] >= 0.5 and med[j] >= 1e-3):
                rows.append({
                    "composition": name, "element": el, "profiles": int(sel.sum()),
                    "trueMassFraction": float(w_true[j]), "predictedMedian": float(med[j]),
                    "relErr": float(abs(med[j] - w_true[j]) / w_true[j]) if w_true[j] > 0 else None,
                    "detectedFraction": float(det[j]),
                })
    return rows


def check_onnx_parity(onnx_path: Path, parity_dir: Path) -> None:
    """onnxruntime on the exported graph reproduces the PyTorch parity outputs (≤ atol)."""
    import onnxruntime as ort

    inputs = json.loads((parity_dir / "input.json").read_text())["inputs"]
    exp = json.loads((parity_dir / "output.json").read_text())
    feeds = {k: np.asarray(v["data"], np.float32).reshape(v["shape"]) for k, v in inputs.items()}
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    worst = 0.0
    for name, y in zip(names, sess.run(None, feeds)):
        ref = np.asarray(exp["outputs"][name]["data"], np.float32).reshape(exp["outputs"][name]["shape"])
        worst = max(worst, float(np.abs(y - ref).max()))
    if worst > exp["atol"]:
        raise SystemExit(f"training.pipeline: ONNX parity failed: max |onnx - torch| {worst:.2e} > {exp['atol']}")
    log(f"[pipeline] ONNX parity: max |onnxruntime - PyTorch| {worst:.1e} (≤ {exp['atol']})")


def choose_threshold(metrics: dict) -> float:
    """Presence-probability threshold with the best F1 on the validation set."""
    scan = metrics.get("presenceThresholdScan", {})
    best, best_f1 = 0.5, -1.0
    for p, v in scan.items():
        f1 = v.get("presenceF1_ge5e-4")
        if f1 is not None and f1 > best_f1:
            best, best_f1 = float(p), f1
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.pipeline", description=__doc__.split("\n")[0])
    ap.add_argument("--instrument", required=True, help="instrument description JSON")
    ap.add_argument("--ranges", help="randomization ranges JSON (domain randomization around --instrument)")
    ap.add_argument("--out", required=True, help="output directory of the model, its card and REPORT.md")
    ap.add_argument("--name", default="model", help="file name of the .onnx and .json (default: model)")
    ap.add_argument("--profiles", type=int, default=30000, help="training profiles (default 30000)")
    ap.add_argument("--val-profiles", type=int, help="validation profiles (default 5 %%, 64–2000)")
    ap.add_argument("--test-profiles", type=int, help="profiles per test set (default 10 %%, 64–2048)")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="cpu")
    ap.add_argument("--time-budget-s", type=float, help="training time budget (s); default: epochs")
    ap.add_argument("--epochs", type=int, help="epochs when no time budget is given (default: config)")
    ap.add_argument("--config", default=str(ROOT / "training" / "configs" / "default.json"))
    ap.add_argument("--width", type=float, help="model width multiplier (e.g. 1.5)")
    ap.add_argument("--batch-size", type=int, help="override optim.batchSize (e.g. 256 on a GPU)")
    ap.add_argument("--work", help="working directory for datasets and checkpoints (default runs/pipeline-<out name>)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="generator worker threads")
    ap.add_argument("--threads", type=int, help="torch CPU threads (default: 2 on CPU, all cores with CUDA)")
    ap.add_argument("--seed", default=None, help="seed prefix of the datasets (default: --name)")
    ap.add_argument("--heldout", default=str(HELDOUT), help="held-out compositions JSON ('' to skip)")
    ap.add_argument("--heldout-repeats", type=int, default=8, help="profiles per held-out composition")
    ap.add_argument("--model-config", help="JSON object merged into config.model (tiny models for tests)")
    ap.add_argument("--init-from", help="warm start: a checkpoint (.pt) of the same model configuration")
    ap.add_argument("--lr", type=float, help="peak learning rate (default: config; lower it for a warm start)")
    ap.add_argument("--train-seed", type=int, help="seed of batch order, noise and dropout (default: config)")
    ap.add_argument("--stop-after", choices=["data"], help="stop after generating the data (rerun to continue)")
    a = ap.parse_args(argv)

    out = Path(a.out)
    work = Path(a.work) if a.work else ROOT / "runs" / f"pipeline-{out.resolve().name}"
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    instrument = Path(a.instrument).resolve()
    ranges = Path(a.ranges).resolve() if a.ranges else None
    description = json.loads(instrument.read_text())
    ranges_json = json.loads(ranges.read_text()) if ranges else None
    device = resolve_device(a.device)
    seed = a.seed or a.name
    counts = plan_counts(a.profiles, a.val_profiles, a.test_profiles)
    heldout = Path(a.heldout).resolve() if a.heldout else None
    n_heldout = (len(json.loads(heldout.read_text())["compositions"]) * a.heldout_repeats) if heldout else 0
    cfg_over: dict = {
        "name": a.name,
        "runDir": str(work / "run"),
        "data": {"trainDir": str(work / "train"), "valDir": str(work / "val")},
        "device": device.type,
        "threads": a.threads or (2 if device.type == "cpu" else (os.cpu_count() or 2)),
    }
    if a.time_budget_s:
        cfg_over["timeBudgetS"] = a.time_budget_s
        cfg_over["optim"] = {"epochs": 100000}
    elif a.epochs:
        cfg_over["optim"] = {"epochs": a.epochs}
    if a.batch_size:
        cfg_over.setdefault("optim", {})["batchSize"] = a.batch_size
    if a.width:
        cfg_over.setdefault("model", {})["widthMultiplier"] = a.width
    if a.model_config:
        cfg_over.setdefault("model", {}).update(json.loads(a.model_config))
    if a.init_from:
        cfg_over["initFrom"] = str(Path(a.init_from).resolve())
    if a.lr:
        cfg_over.setdefault("optim", {})["lr"] = a.lr
    if a.train_seed is not None:
        cfg_over["seed"] = a.train_seed
    cfg = load_config(a.config, cfg_over)
    train_profiles = None if a.time_budget_s else counts["train"] * int(cfg["optim"]["epochs"])
    block = int((ranges_json or {}).get("blockSize", 1024))
    est = estimate(counts, n_heldout, a.workers, ranges is not None, block, device.type, train_profiles,
                   a.time_budget_s)
    log(
        f"[pipeline] instrument '{description.get('name')}'"
        + (f", randomized ({len(ranges_json['parameters'])} parameters, blocks of {block})" if ranges_json else ", nominal only")
        + f"; {counts['train']} training, {counts['val']} validation, 2 × {counts['test']} test, {n_heldout} held-out profiles; "
        f"device {device}"
    )
    log(
        "[pipeline] expected duration: "
        + ", ".join(f"{k} ~{fmt_duration(v)}" for k, v in est.items())
        + " (estimate from typical throughput; progress lines follow)"
    )
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    gen_inst = instrument
    # Shards aligned with the instrument blocks: each block's simulator is prepared by one worker only.
    shard = block if ranges else 512
    timings["generateTrainS"] = simulate(work / "train", counts["train"], f"{seed}-train", a.workers, gen_inst,
                                         ranges, shard_size=shard)
    timings["generateValS"] = simulate(work / "val", counts["val"], f"{seed}-val", a.workers, gen_inst, ranges,
                                       shard_size=shard)
    timings["generateTestS"] = simulate(work / "test-nominal", counts["test"], f"{seed}-test", a.workers, gen_inst)
    if ranges:
        timings["generateTestS"] += simulate(work / "test-randomized", counts["test"], f"{seed}-test-randomized",
                                             a.workers, gen_inst, ranges, shard_size=shard)
    if heldout:
        timings["generateTestS"] += simulate(work / "test-heldout", n_heldout, f"{seed}-heldout", a.workers,
                                             gen_inst, None, heldout, shard_size=max(1, n_heldout))
    log(f"[pipeline] data generated in {fmt_duration(sum(timings.values()))}")
    if a.stop_after == "data":
        log(f"[pipeline] --stop-after data: rerun the same command without it to train (data kept in {work})")
        return 0

    t0 = time.perf_counter()
    summary = train(cfg)
    timings["trainWallS"] = time.perf_counter() - t0
    run = Path(cfg["runDir"])

    log("[pipeline] evaluating")
    t0 = time.perf_counter()
    threads = int(cfg["threads"])
    val_m = evaluate(str(run), str(work / "val"), str(work / "eval-val"), plots=False, noise_seed=1, threads=threads)
    threshold = choose_threshold(val_m)
    log(f"[pipeline] presence-probability threshold {threshold:.2f} (best F1 on the validation set)")
    evals = {"nominal": evaluate(str(run), str(work / "test-nominal"), str(work / "eval-nominal"),
                                 presence_probability=threshold, threads=threads)}
    if ranges:
        evals["randomized"] = evaluate(str(run), str(work / "test-randomized"), str(work / "eval-randomized"),
                                       plots=False, presence_probability=threshold, threads=threads)
    if cfg["model"].get("depthMask"):
        # Short scans: the nominal test set seen through 15-step windows (the real M4 Cu-foil scan's length).
        evals["nominalShort15"] = evaluate(str(run), str(work / "test-nominal"), str(work / "eval-short15"),
                                           plots=False, presence_probability=threshold, threads=threads,
                                           window_steps=15)
    norm = Normalization(**cfg["normalization"])
    aug = Augmentation.from_dict({**cfg["augmentation"], "energyJitterBins": 0.0})
    rows = heldout_table(run, work / "test-heldout", norm, aug, threshold) if heldout else []
    timings["evaluateS"] = time.perf_counter() - t0

    def slim(m: dict) -> dict:
        return {k: v for k, v in m.items() if k not in ("perElement", "definitions", "presenceThresholdScan",
                                                        "plots", "checkpoint")} | {
            "testSet": {**m["testSet"], "dir": Path(m["testSet"]["dir"]).name}}

    ck = torch.load(run / "best.pt", weights_only=False, map_location="cpu")
    device_name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    # The simulator physics of the training data (absent in datasets made before it was recorded).
    train_manifest = json.loads((work / "train" / "manifest.json").read_text())
    extra = {
        **({"simulator": train_manifest["simulator"]} if "simulator" in train_manifest else {}),
        "instrument": description,
        **({"instrumentRanges": ranges_json} if ranges_json else {}),
        "evaluations": {k: slim(v) for k, v in evals.items()},
        "heldOutCompositions": rows,
        "pipeline": {
            "profiles": counts,
            "heldOutProfiles": n_heldout,
            "seeds": {"train": f"{seed}-train", "val": f"{seed}-val", "test": f"{seed}-test",
                      "testRandomized": f"{seed}-test-randomized" if ranges else None,
                      "heldOut": f"{seed}-heldout" if heldout else None},
            "device": device_name,
            "torchThreads": cfg["threads"],
            "generatorWorkers": a.workers,
            "timeBudgetS": a.time_budget_s,
            **({"warmStart": cfg["initFromInfo"]} if cfg.get("initFromInfo") else {}),
            "timingsS": {k: round(v, 1) for k, v in timings.items()},
            "trainProfilesPerS": (ck["globalStep"] * int(cfg["optim"]["batchSize"])) / max(1e-9, ck["trainTimeS"]),
            "cmxrfVersion": package_version(),
        },
    }
    metrics_path = work / "eval-nominal" / "metrics.json"
    card = export(str(run), str(out), a.name, str(metrics_path), str(work / "test-nominal"),
                  presence_probability=threshold, extra_card=extra)
    check_onnx_parity(out / f"{a.name}.onnx", out / "parity")
    for png in (work / "eval-nominal").glob("*.png"):
        (out / "report").mkdir(exist_ok=True)
        shutil.copyfile(png, out / "report" / png.name)
    report = write_report(card, run / "metrics.jsonl", out)
    timings["totalS"] = time.perf_counter() - t_start
    log(f"[pipeline] done in {fmt_duration(timings['totalS'])}: {out / (a.name + '.onnx')}, "
        f"{out / (a.name + '.json')}, {report}")
    log(f"[pipeline] use it: cmxrf quantify --model {out / (a.name + '.json')} <files>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
