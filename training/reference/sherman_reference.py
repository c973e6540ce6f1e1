"""Independent Sherman-equation reference values for the simulator's primary fluorescence.

For thick homogeneous samples, discrete excitation energies E_j with N0_j photons, incidence
psi1 and exit psi2, the primary intensity of line i of element a (per unit detector solid angle
/ 4 pi, before detector efficiency) is

    I_i = sum_j N0_j * w_a * sigma_line(E_j) / (mu(E_j)/sin psi1 + mu(E_i)/sin psi2) / sin psi1

with sigma_line = xraylib.CS_FluorLine_Kissel_Cascade (photo-ionisation, cascades, yield and
radiative rate) and mu = xraylib.CS_Total (per element, mixed by mass fraction). Nothing here
uses the package's own data or code: xraylib (BSD, pinned in training/requirements.txt) is the
independent oracle.

Also the default detector's efficiency from xraylib's total cross sections.

Run from the repository root:
    training/.venv/bin/python -m training.reference.sherman_reference
It writes test/fixtures/sherman/reference.json (committed).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import xraylib

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "sherman" / "reference.json"

EXCITATION_KEV = [8.0, 12.0, 17.48, 22.0, 30.0]
EXCITATION_PHOTONS = [1.0, 2.0, 1.5, 1.0, 0.5]
PSI1_DEG = 50.0
PSI2_DEG = 50.0

SAMPLES = {
    "glass": {"Si": 0.33, "O": 0.47, "Na": 0.1, "Ca": 0.07, "Fe": 0.02, "Sr": 0.01},
    "steel": {"Fe": 0.7, "Cr": 0.18, "Ni": 0.1, "Mn": 0.02},
    "organic": {"C": 0.44, "O": 0.49, "H": 0.06, "Zn": 0.005, "Pb": 0.005},
    "brass": {"Cu": 0.6, "Zn": 0.38, "Pb": 0.02},
}

LINES = {
    "KL3": xraylib.KL3_LINE,
    "KL2": xraylib.KL2_LINE,
    "KM3": xraylib.KM3_LINE,
    "L3M5": xraylib.L3M5_LINE,
    "L2M4": xraylib.L2M4_LINE,
}
IUPAC = {"KL3": "K-L3", "KL2": "K-L2", "KM3": "K-M3", "L3M5": "L3-M5", "L2M4": "L2-M4"}


def mu(comp: dict[str, float], e: float) -> float:
    return sum(w * xraylib.CS_Total(xraylib.SymbolToAtomicNumber(s), e) for s, w in comp.items())


def main(out: Path = OUT) -> None:
    s1 = math.sin(math.radians(PSI1_DEG))
    s2 = math.sin(math.radians(PSI2_DEG))
    rows = []
    for name, comp in SAMPLES.items():
        for sym, w in comp.items():
            z = xraylib.SymbolToAtomicNumber(sym)
            if z < 11:
                continue
            for key, code in LINES.items():
                try:
                    ei = xraylib.LineEnergy(z, code)
                except ValueError:
                    continue
                if ei < 1.0:
                    continue
                total = 0.0
                for e0, n0 in zip(EXCITATION_KEV, EXCITATION_PHOTONS):
                    try:
                        sig = xraylib.CS_FluorLine_Kissel_Cascade(z, code, e0)
                    except ValueError:
                        sig = 0.0
                    if sig <= 0:
                        continue
                    total += n0 * w * sig / (mu(comp, e0) / s1 + mu(comp, ei) / s2) / s1
                if total > 0:
                    rows.append(
                        {"sample": name, "element": sym, "line": IUPAC[key], "energyKeV": ei,
                         "intensity": total}
                    )
    # Detector efficiency of the default SDD (8 um Be, 0.1 um Si dead layer, 450 um Si):
    # exp(-mu_Be rho t_Be) exp(-mu_Si rho t_dead) (1 - exp(-mu_Si rho t_Si)), mu = CS_Total.
    eff = []
    for e in [1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 40.0]:
        mbe = xraylib.CS_Total(4, e)
        msi = xraylib.CS_Total(14, e)
        v = (
            math.exp(-mbe * 1.848 * 8e-4)
            * math.exp(-msi * 2.33 * 0.1e-4)
            * (1 - math.exp(-msi * 2.33 * 450e-4))
        )
        eff.append({"energyKeV": e, "efficiency": v})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "description": "Sherman primary intensities from xraylib "
                + xraylib.__version__
                + " (CS_FluorLine_Kissel_Cascade, CS_Total); see training/reference/sherman_reference.py",
                "excitationKeV": EXCITATION_KEV,
                "excitationPhotons": EXCITATION_PHOTONS,
                "incidenceDeg": PSI1_DEG,
                "exitDeg": PSI2_DEG,
                "samples": SAMPLES,
                "lines": rows,
                "detectorEfficiency": eff,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {out} ({len(rows)} lines)")


if __name__ == "__main__":
    main()
