"""Writes xraylib reference values for the TypeScript physics tests.

Output: ``test/fixtures/xraylib/physics-reference.json`` (independent oracle values computed by the
pinned PyPI package ``xraylib``; the tests compare the package's own implementation against
them). Regenerate from the repository root with::

    training/.venv/bin/python -m training.atomic.reference_values

``--check`` exits 1 if the committed file differs from a fresh computation.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import sys
from pathlib import Path

import xraylib as xrl

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_PATH = REPO_ROOT / "test" / "fixtures" / "xraylib" / "physics-reference.json"

DCS_Z = list(range(6, 83))
DCS_ENERGIES_KEV = [5.0, 10.0, 20.216, 30.0, 40.0]
DCS_ANGLES_DEG = [60.0, 90.0, 100.0, 120.0, 150.0]
#: Compounds given to xraylib's compound parser, with the formula the TypeScript side uses.
DCS_COMPOUNDS = ["H2O", "SiO2", "CaCO3", "C6H10O5", "Fe2O3"]

L_ELEMENTS = [47, 48, 50, 51, 53, 56, 64, 74, 78, 79, 82, 83]


def sig(v: float, digits: int = 7) -> float:
    return float(f"{v:.{digits - 1}e}")


def k_ratio_energy(z: int) -> float:
    return xrl.EdgeEnergy(z, xrl.K_SHELL) * 1.1


def l_energies(z: int) -> list[float]:
    l1 = xrl.EdgeEnergy(z, xrl.L1_SHELL)
    k = xrl.EdgeEnergy(z, xrl.K_SHELL)
    out = [round(l1 * 1.05, 3), 17.479, 20.216, 30.0, 40.0, round(k * 1.1, 3)]
    return sorted({e for e in out if e > l1 * 1.01 and e < 250 and abs(e / k - 1) > 0.01})


def compute() -> dict:
    dcs = []
    for z in DCS_Z:
        for e in DCS_ENERGIES_KEV:
            for a in DCS_ANGLES_DEG:
                th = math.radians(a)
                dcs.append([z, e, a, sig(xrl.DCS_Rayl(z, e, th)), sig(xrl.DCS_Compt(z, e, th))])
    compounds = []
    for f in DCS_COMPOUNDS:
        for e in DCS_ENERGIES_KEV:
            for a in DCS_ANGLES_DEG:
                th = math.radians(a)
                compounds.append(
                    [f, e, a, sig(xrl.DCS_Rayl_CP(f, e, th)), sig(xrl.DCS_Compt_CP(f, e, th))]
                )
    profiles = []
    for z in [1, 6, 8, 14, 26, 29, 47, 82]:
        for pz in [0.0, 0.3, 1.0, 2.1, 5.0, 12.0]:
            profiles.append([z, pz, sig(xrl.ComptonProfile(z, pz))])
    form = []
    for z in [6, 14, 26, 50, 82]:
        for x in [0.02, 0.1, 0.5, 1.0, 2.0, 4.0]:
            form.append([z, x, sig(xrl.FF_Rayl(z, x)), sig(xrl.SF_Compt(z, x))])
    k_lines = []
    for z in range(19, 93):
        e = k_ratio_energy(z)
        ka = xrl.CS_FluorLine_Kissel_Cascade(z, xrl.KA_LINE, e)
        kb = xrl.CS_FluorLine_Kissel_Cascade(z, xrl.KB_LINE, e)
        k_lines.append([z, sig(e), sig(ka), sig(kb)])
    l_lines = []
    names = {"L1M3": "LB3", "L1M2": "LB4", "L2M4": "LB1", "L3M5": "LA1", "L3M1": "LL"}
    for z in L_ELEMENTS:
        for e in l_energies(z):
            row = {"z": z, "energyKeV": e}
            for macro, sieg in names.items():
                row[sieg] = sig(xrl.CS_FluorLine_Kissel_Cascade(z, getattr(xrl, f"{macro}_LINE"), e))
            l_lines.append(row)
    shares = []
    for z in [20, 26, 29, 42, 48, 56, 74, 82]:
        for e in [5.0, 8.0, 12.0, 17.479, 25.0, 40.0, 80.0]:
            tot = xrl.CS_Photo_Total(z, e)
            for s in ["K", "L1", "L2", "L3"]:
                try:
                    p = xrl.CS_Photo_Partial(z, getattr(xrl, f"{s}_SHELL"), e)
                except ValueError:
                    continue
                shares.append([z, s, e, sig(p / tot)])
    line_cs = []
    for z, line, e in [
        (26, "KL3", 10.0), (26, "KL3", 17.479), (29, "KL3", 20.216), (38, "KL3", 20.216),
        (20, "KL3", 8.0), (14, "KL3", 5.0), (56, "L3M5", 20.216), (82, "L3M5", 20.216),
        (82, "L3M5", 40.0), (48, "L1M3", 20.216), (82, "M5N7", 10.0), (82, "M5N6", 10.0),
    ]:  # fmt: skip
        macro = getattr(xrl, f"{line}_LINE")
        line_cs.append([z, line, e, sig(xrl.CS_FluorLine_Kissel_Cascade(z, macro, e))])
    return {
        "source": "xraylib (PyPI) — computed by training/atomic/reference_values.py",
        "xraylib": importlib.metadata.version("xraylib"),
        "dcs": {"columns": ["z", "energyKeV", "angleDeg", "DCS_Rayl", "DCS_Compt"], "rows": dcs},
        "dcsCompounds": {
            "columns": ["formula", "energyKeV", "angleDeg", "DCS_Rayl_CP", "DCS_Compt_CP"],
            "rows": compounds,
        },
        "comptonProfile": {"columns": ["z", "pzAu", "ComptonProfile"], "rows": profiles},
        "formFactor": {"columns": ["z", "xPerAngstrom", "FF_Rayl", "SF_Compt"], "rows": form},
        "kLines": {
            "columns": ["z", "energyKeV", "KA_LINE", "KB_LINE"],
            "note": "CS_FluorLine_Kissel_Cascade, cm2/g",
            "rows": k_lines,
        },
        "lLines": {
            "note": "CS_FluorLine_Kissel_Cascade (cm2/g) of L1-M3, L1-M2, L2-M4, L3-M5, L3-M1",
            "rows": l_lines,
        },
        "photoShares": {
            "columns": ["z", "shell", "energyKeV", "CS_Photo_Partial/CS_Photo_Total"],
            "rows": shares,
        },
        "lineCrossSections": {
            "columns": ["z", "line", "energyKeV", "CS_FluorLine_Kissel_Cascade"],
            "rows": line_cs,
        },
    }


def render() -> str:
    return json.dumps(compute(), indent=None, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        if not OUTPUT_PATH.exists() or OUTPUT_PATH.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT_PATH} is out of date; regenerate it", file=sys.stderr)
            return 1
        print("reference values up to date")
        return 0
    OUTPUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT_PATH} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
