"""Held-out metrics (shared by validation in train.py and by evaluate.py)."""

from __future__ import annotations

import math

import numpy as np

from .elements import COL_DENSITY, COL_SETUP, COL_SURFACE, N_ELEMENTS, PREDICTED_ELEMENTS, SETUP_NAMES

F1_MIN_MASS_FRACTION = 5e-4  # 0.05 wt%
GATE_PROBABILITY = 0.5


def _median(x: np.ndarray) -> float | None:
    return float(np.median(x)) if x.size else None


def compute_metrics(
    pred: dict[str, np.ndarray],
    labels: np.ndarray,
    presence_threshold: float,
    gate_probability: float = GATE_PROBABILITY,
) -> dict:
    """``pred``: presence_logit, log10_mass_fraction [n,53]; density_g_per_cm3, surface_um [n,1];
    setup [n,6] (physical units, as the ONNX model outputs). ``labels``: [n,62]."""
    w = labels[:, :N_ELEMENTS].astype(np.float64)
    w_pred = 10.0 ** pred["log10_mass_fraction"].astype(np.float64)
    prob = 1.0 / (1.0 + np.exp(-pred["presence_logit"].astype(np.float64)))
    present = w >= presence_threshold
    absent = ~present
    safe_w = np.where(w > 0, w, 1.0)
    rel = np.abs(w_pred - w) / safe_w

    hi = w >= 1e-3
    mid = (w >= 1e-4) & (w < 1e-3)
    dens_true = labels[:, COL_DENSITY].astype(np.float64)
    dens_rel = np.abs(pred["density_g_per_cm3"][:, 0] - dens_true) / dens_true
    x0_abs = np.abs(pred["surface_um"][:, 0] - labels[:, COL_SURFACE])
    absent_raw = (w_pred * absent).sum(axis=1)
    gated = absent & (prob > gate_probability)
    absent_gated = (w_pred * gated).sum(axis=1)

    pos = w >= F1_MIN_MASS_FRACTION
    neg = absent
    pred_pos = prob > gate_probability
    tp = int((pos & pred_pos).sum())
    fn = int((pos & ~pred_pos).sum())
    fp = int((neg & pred_pos).sum())
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else None

    setup_abs = np.abs(pred["setup"] - labels[:, COL_SETUP])
    per_element = {}
    for j, sym in enumerate(PREDICTED_ELEMENTS):
        sel = hi[:, j]
        per_element[sym] = {"n": int(sel.sum()), "medianRelErrGe1e-3": _median(rel[sel, j])}

    return {
        "nProfiles": int(w.shape[0]),
        "presenceThresholdMassFraction": presence_threshold,
        "massFractionMedianRelErr_ge1e-3": _median(rel[hi]),
        "massFractionCount_ge1e-3": int(hi.sum()),
        "massFractionMedianRelErr_1e-4to1e-3": _median(rel[mid]),
        "massFractionCount_1e-4to1e-3": int(mid.sum()),
        "densityMedianRelErr": _median(dens_rel),
        "surfaceMedianAbsErrUm": _median(x0_abs),
        "surfaceP95AbsErrUm": float(np.percentile(x0_abs, 95)) if x0_abs.size else None,
        "absentSumMassFractionMedian_raw": _median(absent_raw),
        "absentSumMassFractionMedian_gated": _median(absent_gated),
        "presenceProbabilityThreshold": gate_probability,
        "presenceF1_ge5e-4": f1,
        "presencePrecision_ge5e-4": precision,
        "presenceRecall_ge5e-4": recall,
        "setupMedianAbsErr": {n: _median(setup_abs[:, i]) for i, n in enumerate(SETUP_NAMES)},
        "perElement": per_element,
        "definitions": {
            "relErr": "|10^log10_mass_fraction_pred - w_true| / w_true over (profile, element) pairs",
            "massFractionMedianRelErr_ge1e-3": "pairs with w_true >= 1e-3 (0.1 wt%)",
            "massFractionMedianRelErr_1e-4to1e-3": "pairs with 1e-4 <= w_true < 1e-3 (0.01-0.1 wt%)",
            "absentSum_raw": "per profile: sum of 10^pred over elements with w_true < presence "
            "threshold; median over profiles",
            "absentSum_gated": "as raw, counting only elements with sigmoid(logit) > presenceProbabilityThreshold",
            "presenceF1": "positives w_true >= 5e-4, negatives w_true < presence threshold, "
            "pairs in between excluded; predicted present = sigmoid(logit) > presenceProbabilityThreshold; "
            "micro-averaged",
        },
    }


def finite_or_none(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x
