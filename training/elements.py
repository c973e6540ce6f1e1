"""Element order and label names; mirrors ``src/predictedElements.ts`` (a test checks that)."""

from __future__ import annotations

PREDICTED_ELEMENTS: tuple[str, ...] = (
    "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se",
    "Br", "Rb", "Sr", "Y", "Zr", "Nb",
    "Cd", "In", "Sn", "Sb", "Te", "I", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb",
    "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",
    "Pt", "Au", "Hg", "Tl", "Pb", "Bi",
)  # fmt: skip
N_ELEMENTS = len(PREDICTED_ELEMENTS)  # 53

SCALAR_NAMES: tuple[str, ...] = (
    "densityGPerCm3",
    "surfaceUm",
    "tA",
    "tB",
    "tM",
    "sigmaMaxUm",
    "sigmaExpPerKeV",
    "sigmaOffUm",
)
SETUP_NAMES: tuple[str, ...] = SCALAR_NAMES[2:]
LABEL_NAMES: tuple[str, ...] = (
    tuple(f"massFraction_{s}" for s in PREDICTED_ELEMENTS) + SCALAR_NAMES + ("liveTimeS",)
)
N_LABELS = len(LABEL_NAMES)  # 62

# Column indices into the labels array.
COL_DENSITY = N_ELEMENTS
COL_SURFACE = N_ELEMENTS + 1
COL_SETUP = slice(N_ELEMENTS + 2, N_ELEMENTS + 8)
COL_SCALARS = slice(N_ELEMENTS, N_ELEMENTS + 8)
COL_LIVE_TIME = N_ELEMENTS + 8
