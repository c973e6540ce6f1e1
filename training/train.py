"""Train the cmxrf network: ``python -m training.train --config training/configs/default.json``.

Checkpoints go to ``<runDir>/last.pt`` (every ``checkpointEverySteps`` and each epoch end) and
``<runDir>/best.pt`` (lowest validation loss); ``--resume`` continues from ``last.pt``. The batch
order and the noise of every step are functions of (seed, epoch, step), so a resumed run draws
the same batches as an uninterrupted one (on the CPU).

Devices (``device``: ``cpu`` default, ``cuda``, ``auto``): on CUDA the augmentation (calibration
jitter, live time, Poisson) runs on the GPU, the training set is held in GPU memory when it fits
(``deviceData``), and the forward pass runs under bf16 autocast (``bf16``). The schedule is by
epochs/steps, or by wall-clock time with ``timeBudgetS`` (the learning rate then follows the
fraction of the budget spent, and training stops when it is spent).
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .data import (
    Augmentation,
    Normalization,
    ShardedDataset,
    augment,
    draw_depth_mask,
    normalize_rates,
    short_window_mask,
)
from .losses import LossWeights, compute_loss, encode_targets, fit_target_normalization
from .metrics import compute_metrics
from .model import CmxrfNet, ExportModel, ModelConfig, TargetNormalization, count_parameters

DEFAULTS: dict = {
    "name": "default",
    "seed": 1234,
    "threads": 2,
    "runDir": "runs/default",
    "data": {"trainDir": "data/train", "valDir": None, "valFraction": 0.05, "verifySha256": False},
    "normalization": {"referenceLiveTimeS": 10.0, "scale": 4.0},
    "augmentation": {},
    "presenceThresholdMassFraction": 1e-5,
    "model": {},
    "optim": {
        "epochs": 30,
        "batchSize": 64,
        "lr": 2e-3,
        "minLrFraction": 0.02,
        "weightDecay": 1e-4,
        "warmupSteps": 200,
        "gradClipNorm": 1.0,
    },
    "lossWeights": {},
    "logEverySteps": 50,
    "checkpointEverySteps": 500,
    "maxSteps": None,
    "valMaxProfiles": 2000,
    "device": "cpu",
    "timeBudgetS": None,
    # Warm start: a checkpoint whose weights and target normalisation start this run (fresh
    # optimizer and learning-rate schedule). None: random initialisation.
    "initFrom": None,
    "deviceData": "auto",
    "bf16": True,
}


def deep_merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def load_config(path: str | None, overrides: dict | None = None) -> dict:
    cfg = copy.deepcopy(DEFAULTS)
    if path:
        cfg = deep_merge(cfg, json.loads(Path(path).read_text()))
    if overrides:
        cfg = deep_merge(cfg, overrides)
    return cfg


def fmt_duration(s: float) -> str:
    s = max(0, int(round(s)))
    return f"{s // 3600}:{(s % 3600) // 60:02d}:{s % 60:02d}"


def log(msg: str) -> None:
    print(msg, flush=True)


def lr_at(step: int, total: int, o: dict) -> float:
    """Linear warm-up (at most 10 % of the run), then cosine to ``minLrFraction · lr``."""
    warmup = max(1, min(int(o["warmupSteps"]), total // 10))
    if step < warmup:
        return o["lr"] * (step + 1) / warmup
    p = min(1.0, (step - warmup) / max(1, total - warmup))
    lo = o["lr"] * o["minLrFraction"]
    return lo + (o["lr"] - lo) * 0.5 * (1 + math.cos(math.pi * p))


def batch_generator(seed: int, global_step: int, device: torch.device | str = "cpu") -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed * 1_000_003 + global_step)


def resolve_device(name: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU; ``cuda`` without CUDA is an error."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' requested but torch.cuda.is_available() is False (CPU build of torch?)")
    if name not in ("cpu", "cuda"):
        raise ValueError(f"device: expected 'auto', 'cpu' or 'cuda', got {name!r}")
    return torch.device(name)


class BatchSource:
    """Gathers batches: from the memory-mapped shards (CPU, or copied per batch to the GPU), or
    from one tensor holding the whole dataset in GPU memory when it fits."""

    def __init__(self, ds: ShardedDataset, device: torch.device, mode: str = "auto", fraction: float = 0.6):
        self.ds, self.device, self.resident = ds, device, False
        if device.type != "cuda" or mode == "off":
            return
        nbytes = len(ds) * ds.grid.nDepth * ds.grid.nChannels * 4
        free, _ = torch.cuda.mem_get_info(device)
        if mode == "on" or nbytes <= fraction * free:
            self.profiles = torch.empty((len(ds), ds.grid.nDepth, ds.grid.nChannels), dtype=torch.float32, device=device)
            for k, p in enumerate(ds.profiles):
                a, b = int(ds.offsets[k]), int(ds.offsets[k + 1])
                self.profiles[a:b] = torch.from_numpy(np.ascontiguousarray(p)).to(device)
            self.labels = torch.from_numpy(ds.all_labels()).to(device)
            self.resident = True
            log(f"[train] dataset held in GPU memory: {nbytes / 2**30:.1f} GiB of {free / 2**30:.1f} GiB free")
        else:
            log(f"[train] dataset ({nbytes / 2**30:.1f} GiB) does not fit in 60 % of free GPU memory; copied per batch")

    def gather(self, idx: np.ndarray) -> tuple[torch.Tensor | np.ndarray, torch.Tensor]:
        if self.resident:
            i = torch.from_numpy(np.asarray(idx, dtype=np.int64)).to(self.device)
            return self.profiles[i], self.labels[i]
        rates, labels = self.ds.gather(idx)
        if self.device.type == "cpu":
            return rates, torch.from_numpy(labels)
        return torch.from_numpy(rates).to(self.device, non_blocking=True), torch.from_numpy(labels).to(self.device)


def split_indices(n: int, val_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    perm = np.random.default_rng([seed, 7]).permutation(n)
    n_val = int(round(n * val_fraction)) if n > 1 else 0
    n_val = min(max(n_val, 1 if val_fraction > 0 and n > 1 else 0), n - 1)
    return np.sort(perm[n_val:]), np.sort(perm[:n_val])


@torch.no_grad()
def predict(
    model: ExportModel,
    ds: ShardedDataset,
    indices: np.ndarray,
    aug: Augmentation,
    norm: Normalization,
    seed: int,
    batch_size: int = 128,
    live_times_s: np.ndarray | None = None,
    window_steps: int | None = None,
) -> dict[str, np.ndarray]:
    """Noisy predictions in physical units; noise is a function of ``seed`` only.

    ``window_steps`` (models with a depth mask): only the first ``window_steps`` depth steps are
    measured (more where the surface lies deeper, see data.short_window_mask)."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    masked = model.net.mask_proj is not None
    if window_steps is not None and not masked:
        raise ValueError("window_steps needs a model trained with model.depthMask")
    outs: dict[str, list[np.ndarray]] = {n: [] for n in ExportModel.OUTPUT_NAMES}
    for s in range(0, len(indices), batch_size):
        idx = indices[s : s + batch_size]
        rates, labels = ds.gather(idx)
        t = None if live_times_s is None else torch.as_tensor(live_times_s[s : s + batch_size])
        r, _ = augment(rates, aug, gen, t)
        x = normalize_rates(r, norm)
        if masked:
            mask = (
                torch.ones(x.shape[0], x.shape[1])
                if window_steps is None
                else short_window_mask(labels, ds.grid, window_steps)
            )
            y = model(x * mask[:, :, None], mask)
        else:
            y = model(x)
        for n, v in zip(ExportModel.OUTPUT_NAMES, y):
            outs[n].append(v.numpy())
    return {n: np.concatenate(v, axis=0) for n, v in outs.items()}


def _portable_path(path: str) -> str:
    p = Path(path).resolve()
    for base in (Path.cwd().resolve(), Path(__file__).resolve().parents[1]):
        if p.is_relative_to(base):
            return str(p.relative_to(base))
    return p.name


def train(cfg: dict, resume: bool = False) -> dict:
    torch.set_num_threads(int(cfg["threads"]))
    torch.set_flush_denormal(True)  # denormal floats slow CPU convolutions down
    seed = int(cfg["seed"])
    torch.manual_seed(seed)
    device = resolve_device(str(cfg.get("device") or "cpu"))
    use_bf16 = device.type == "cuda" and bool(cfg.get("bf16", True))
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    budget_s = cfg.get("timeBudgetS")
    budget_s = float(budget_s) if budget_s else None
    run_dir = Path(cfg["runDir"])
    run_dir.mkdir(parents=True, exist_ok=True)
    ds = ShardedDataset(cfg["data"]["trainDir"], verify_sha256=cfg["data"]["verifySha256"])
    mc = ModelConfig.from_dict(cfg["model"])
    if (mc.nDepth, mc.nChannels) != (ds.grid.nDepth, ds.grid.nChannels):
        raise ValueError(
            f"model grid {mc.nDepth}x{mc.nChannels} differs from dataset grid "
            f"{ds.grid.nDepth}x{ds.grid.nChannels} ({ds.manifest_path})"
        )
    if cfg["data"]["valDir"]:
        val_ds = ShardedDataset(cfg["data"]["valDir"])
        train_idx = np.arange(len(ds))
        val_idx = np.arange(len(val_ds))
    else:
        val_ds = ds
        train_idx, val_idx = split_indices(len(ds), cfg["data"]["valFraction"], seed)
    val_idx = val_idx[: cfg["valMaxProfiles"]]
    norm = Normalization(**cfg["normalization"])
    aug = Augmentation.from_dict(cfg["augmentation"])
    lw = LossWeights.from_dict(cfg["lossWeights"])
    thr = float(cfg["presenceThresholdMassFraction"])
    o = cfg["optim"]
    bs = int(o["batchSize"])
    steps_per_epoch = len(train_idx) // bs
    if steps_per_epoch == 0:
        raise ValueError(f"{len(train_idx)} training profiles < batch size {bs}")
    total_steps = steps_per_epoch * int(o["epochs"])
    if cfg["maxSteps"] is not None:
        total_steps = min(total_steps, int(cfg["maxSteps"]))

    net = CmxrfNet(mc).to(device)
    opt = torch.optim.AdamW(net.parameters(), lr=o["lr"], weight_decay=o["weightDecay"])
    last_path, best_path = run_dir / "last.pt", run_dir / "best.pt"
    global_step, train_time_s, best_val = 0, 0.0, math.inf
    if resume and last_path.is_file():
        ck = torch.load(last_path, weights_only=False, map_location=device)
        net.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        global_step, train_time_s, best_val = ck["globalStep"], ck["trainTimeS"], ck["bestValLoss"]
        tn = TargetNormalization(**ck["targetNormalization"])
        log(f"[train] resumed from {last_path} at step {global_step}")
    elif cfg.get("initFrom"):
        if resume:
            log(f"[train] --resume: no {last_path}, starting from {cfg['initFrom']}")
        ck = torch.load(cfg["initFrom"], weights_only=False, map_location=device)
        if ck.get("modelConfig") != mc.as_dict():
            raise ValueError(
                f"initFrom {cfg['initFrom']}: its model configuration {ck.get('modelConfig')} differs from "
                f"this run's {mc.as_dict()}"
            )
        if int(ck.get("config", {}).get("seed", -1)) == seed:
            log(
                f"[train] warning: seed {seed} equals the initial checkpoint's: the batch order and noise "
                "draws repeat that run's; pass another --seed"
            )
        net.load_state_dict(ck["model"])
        # The target normalisation is part of what the weights learned: keep it.
        tn = TargetNormalization(**ck["targetNormalization"])
        cfg["initFromInfo"] = {
            # Relative to the working directory when inside it: the card carries no machine paths.
            "path": _portable_path(cfg["initFrom"]),
            "globalStep": int(ck["globalStep"]),
            "trainTimeS": float(ck["trainTimeS"]),
            "trainManifestSha256": ck.get("trainManifestSha256"),
            "trainProfiles": ck.get("trainProfiles"),
        }
        log(
            f"[train] warm start from {cfg['initFrom']} (its step {ck['globalStep']}, "
            f"{ck['trainTimeS']:.0f} s of training); fresh optimizer and schedule"
        )
    else:
        if resume:
            log(f"[train] --resume: no {last_path}, starting fresh")
        tn = fit_target_normalization(ds.all_labels()[train_idx], thr)
    (run_dir / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    log(
        f"[train] {len(train_idx)} train / {len(val_idx)} val profiles, {steps_per_epoch} steps/epoch, "
        f"{total_steps} steps" + (f" or {budget_s:.0f} s, whichever ends first" if budget_s else "")
        + f", model {count_parameters(net)} parameters, device {device}"
        + (" (bf16 autocast)" if use_bf16 else "") + f", threads {torch.get_num_threads()}"
    )
    batches = BatchSource(ds, device, str(cfg.get("deviceData", "auto")))
    val_batches = batches if val_ds is ds else BatchSource(val_ds, device, str(cfg.get("deviceData", "auto")))

    def save(path: Path) -> None:
        ck = {
            "model": {k: v.detach().cpu() for k, v in net.state_dict().items()},
            "optimizer": opt.state_dict(),
            "globalStep": global_step,
            "trainTimeS": train_time_s,
            "bestValLoss": best_val,
            "targetNormalization": tn.as_dict(),
            "modelConfig": mc.as_dict(),
            "config": cfg,
            "grid": ds.grid.as_dict(),
            "trainManifestSha256": ds.manifest_sha256,
            "trainManifestSeed": ds.manifest.get("seed"),
            "trainManifestCmxrfVersion": ds.manifest.get("cmxrfVersion"),
            "trainProfiles": int(len(train_idx)),
            "torchVersion": torch.__version__,
            "device": str(device),
        }
        tmp = path.with_suffix(".tmp")
        torch.save(ck, tmp)
        tmp.replace(path)

    metrics_log = open(run_dir / "metrics.jsonl", "a")

    def validate(epoch: int) -> float:
        nonlocal best_val
        export = ExportModel(net, tn).to(device)
        net.eval()
        gen = batch_generator(seed, 999_999_937, device)
        losses = []
        with torch.no_grad():
            preds: dict[str, list] = {n: [] for n in ExportModel.OUTPUT_NAMES}
            for s in range(0, len(val_idx), 256):
                rates, labels = val_batches.gather(val_idx[s : s + 256])
                r, _ = augment(rates, aug, gen)
                x = normalize_rates(r, norm)
                with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=use_bf16):
                    raw = net(x)
                    ys = export(x)
                raw = tuple(t.float() for t in raw)
                loss, _ = compute_loss(raw, encode_targets(labels, tn, thr), lw)
                losses.append(float(loss) * len(labels))
                for n, v in zip(ExportModel.OUTPUT_NAMES, ys):
                    preds[n].append(v.float().cpu().numpy())
        net.train()
        val_loss = sum(losses) / max(1, len(val_idx))
        m = compute_metrics(
            {n: np.concatenate(v) for n, v in preds.items()}, val_ds.all_labels()[val_idx], thr
        )
        m.pop("perElement")
        m.pop("definitions")
        log(
            f"[val] epoch {epoch} step {global_step} loss {val_loss:.4f} "
            f"relErr(w>=1e-3) {m['massFractionMedianRelErr_ge1e-3']} "
            f"F1 {m['presenceF1_ge5e-4']} densRel {m['densityMedianRelErr']:.4f} "
            f"x0 {m['surfaceMedianAbsErrUm']:.2f} um"
        )
        metrics_log.write(
            json.dumps({"kind": "val", "epoch": epoch, "step": global_step, "loss": val_loss, **m}) + "\n"
        )
        metrics_log.flush()
        if val_loss < best_val:
            best_val = val_loss
            save(best_path)
        return val_loss

    net.train()
    t_last = time.perf_counter()
    seen_since = 0
    rate_ema = None

    def out_of_time() -> bool:
        return budget_s is not None and train_time_s >= budget_s

    def lr_now() -> float:
        if budget_s is None:
            return lr_at(global_step, total_steps, o)
        # Time schedule: the same warm-up and cosine over the fraction of the budget spent.
        return lr_at(int(1_000_000 * min(1.0, train_time_s / budget_s)), 1_000_000, {**o, "warmupSteps": min(int(o["warmupSteps"]) * 100, 50_000)})

    while global_step < total_steps and not out_of_time():
        epoch = global_step // steps_per_epoch
        step_in_epoch = global_step % steps_per_epoch
        perm = np.random.default_rng([seed, epoch]).permutation(train_idx)
        for i in range(step_in_epoch, steps_per_epoch):
            if global_step >= total_steps or out_of_time():
                break
            t0 = time.perf_counter()
            idx = perm[i * bs : (i + 1) * bs]
            rates, labels = batches.gather(idx)
            gen = batch_generator(seed, global_step, device)
            torch.manual_seed(seed * 1_000_003 + global_step)  # dropout: resumable determinism
            r, _ = augment(rates, aug, gen)
            x = normalize_rates(r, norm)
            mask = None
            if mc.depthMask:
                mask = draw_depth_mask(labels, aug, ds.grid, gen)
                x = x * mask[:, :, None]
            if global_step == 0:
                q = torch.quantile(x.flatten()[:: max(1, x.numel() // 100_000)].float().cpu(), torch.tensor([0.5, 0.99]))
                log(
                    f"[train] first batch normalised input: median {q[0]:.3f}, p99 {q[1]:.3f}, "
                    f"max {float(x.max()):.3f} (check the normalisation constants if max >> 5)"
                )
            targets = encode_targets(labels, tn, thr)
            for g in opt.param_groups:
                g["lr"] = lr_now()
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=use_bf16):
                out = net(x, mask)
            out = tuple(t.float() for t in out)
            loss, parts = compute_loss(out, targets, lw)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if o["gradClipNorm"]:
                torch.nn.utils.clip_grad_norm_(net.parameters(), o["gradClipNorm"])
            opt.step()
            global_step += 1
            if device.type == "cuda" and (global_step % cfg["logEverySteps"] == 0 or global_step % 10 == 0):
                # Honest cumulative time (and time budget) without stalling the GPU every step.
                torch.cuda.synchronize()
            train_time_s += time.perf_counter() - t0
            seen_since += len(idx)
            if global_step % cfg["logEverySteps"] == 0 or global_step == total_steps:
                now = time.perf_counter()
                rate = seen_since / max(1e-9, now - t_last)
                rate_ema = rate if rate_ema is None else 0.7 * rate_ema + 0.3 * rate
                eta = (total_steps - global_step) * bs / rate_ema
                if budget_s is not None:
                    eta = min(eta, max(0.0, budget_s - train_time_s))
                t_last, seen_since = now, 0
                log(
                    f"[train] epoch {epoch + 1}/{o['epochs']} step {i + 1}/{steps_per_epoch} "
                    f"(global {global_step}/{total_steps}) loss {loss.item():.4f} "
                    + " ".join(f"{k} {float(v):.4f}" for k, v in parts.items())
                    + f" lr {opt.param_groups[0]['lr']:.2e} | {rate:.1f} profiles/s "
                    f"elapsed {fmt_duration(train_time_s)} ETA {fmt_duration(eta)}"
                )
                metrics_log.write(
                    json.dumps({"kind": "train", "epoch": epoch + 1, "step": global_step,
                                "loss": loss.item(), **{k: float(v) for k, v in parts.items()},
                                "profilesPerS": rate}) + "\n"
                )
                metrics_log.flush()
            if global_step % cfg["checkpointEverySteps"] == 0:
                save(last_path)
        if global_step % steps_per_epoch == 0 or global_step >= total_steps or out_of_time():
            validate(epoch + 1)
            save(last_path)
            t_last, seen_since = time.perf_counter(), 0
    metrics_log.close()
    summary = {
        "globalStep": global_step,
        "trainTimeS": train_time_s,
        "bestValLoss": best_val,
        "runDir": str(run_dir),
    }
    log(f"[train] done: {json.dumps(summary)}")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.train", description=__doc__.split("\n")[0])
    ap.add_argument("--config", help="JSON config (missing fields take training.train.DEFAULTS)")
    ap.add_argument("--resume", action="store_true", help="continue from <runDir>/last.pt")
    ap.add_argument("--data", help="override data.trainDir")
    ap.add_argument("--run-dir", help="override runDir")
    ap.add_argument("--epochs", type=int, help="override optim.epochs")
    ap.add_argument("--max-steps", type=int, help="stop after this many optimizer steps in total")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], help="override device (default cpu)")
    ap.add_argument("--time-budget-s", type=float, help="stop after this much training time (s); LR follows it")
    ap.add_argument("--width", type=float, help="override model.widthMultiplier")
    ap.add_argument("--init-from", help="warm start: checkpoint (.pt) whose weights start this run")
    ap.add_argument("--lr", type=float, help="override optim.lr (peak learning rate)")
    a = ap.parse_args(argv)
    over: dict = {}
    if a.data:
        over.setdefault("data", {})["trainDir"] = a.data
    if a.run_dir:
        over["runDir"] = a.run_dir
    if a.epochs is not None:
        over.setdefault("optim", {})["epochs"] = a.epochs
    if a.max_steps is not None:
        over["maxSteps"] = a.max_steps
    if a.seed is not None:
        over["seed"] = a.seed
    if a.device:
        over["device"] = a.device
    if a.time_budget_s:
        over["timeBudgetS"] = a.time_budget_s
    if a.width:
        over.setdefault("model", {})["widthMultiplier"] = a.width
    if a.init_from:
        over["initFrom"] = a.init_from
    if a.lr:
        over.setdefault("optim", {})["lr"] = a.lr
    train(load_config(a.config, over), resume=a.resume)
    return 0


if __name__ == "__main__":
    sys.exit(main())
