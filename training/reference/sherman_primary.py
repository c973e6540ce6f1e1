"""Independent reference values for the MXRF simulator, computed with the PyPI package xraylib.

Reads the simulator's excitation source and geometry (test/fixtures/sherman/excitation.json
and excitation-asymmetric.json, written by scripts/export-excitation.ts) and writes
test/fixtures/sherman/sherman-xraylib.json with:

* primary: Sherman-equation primary fluorescence of thick homogeneous samples, per line,
      P = sum_E N(E) T_in(E) w tau_line(E) / (mu(E)/sin psi1 + mu(E_i)/sin psi2) / sin psi1 * T_out(E_i)
  with tau_line = CS_FluorLine_Kissel_Cascade (photo-ionisation of the line's shell with
  Coster-Kronig transfers and the full radiative + non-radiative K->L cascade, as the simulator
  models it, times fluorescence yield and radiative rate; the radiative-cascade-only value is
  stored alongside), mu = CS_Total, T_in / T_out the air transmission tube->sample / sample->
  detector. Detector efficiency and the detector solid angle are NOT included.
* asymmetric: the same primary intensities for a second instrument (Mo tube at 35 kV, 30 deg
  incidence, 70 deg exit).
* secondary: enhancement S/P of an analyte's K shell by the K lines of another element, from a
  numerical double integral over the depth of primary and secondary production,
      S ~ sum_E N T_in / sin psi1 * sum_j w_j tau_j(E) * w_i tau_iK(E_j) / 2 *
          int_0^inf int_0^inf exp(-a z) E1(mu_j |z - z'|) exp(-b z') dz dz'
  (scipy quad, independent of the closed Shiraiwa-Fujino form, which is evaluated as a check).
* detector: SDD efficiency (Be window x Si dead layer x Si absorption) with CS_Total, and the
  full-energy (photo-absorption) variant with CS_Photo for the absorption in the crystal.
* tube: Ebel's tube model (continuum and Rh K/L lines) evaluated with xraylib data.
* escape: Si K escape fraction (Reed-Ware normal-incidence formula) with xraylib data.

Usage: training/.venv/bin/python training/reference/sherman_primary.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import scipy
import xraylib as xrl
from scipy import integrate, interpolate, special

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "test" / "fixtures" / "sherman"

SAMPLES = {
    "Fe": ({"Fe": 1.0}, 7.874),
    "Cu": ({"Cu": 1.0}, 8.96),
    "steel": ({"Fe": 0.70, "Cr": 0.18, "Ni": 0.10, "Mn": 0.02}, 7.9),
    "glass": (
        {"O": 0.46, "Si": 0.30, "Na": 0.08, "Ca": 0.07, "Pb": 0.05, "Sr": 0.02, "Zr": 0.02},
        2.6,
    ),
    "organic": (
        {
            "C": 0.50,
            "O": 0.38,
            "H": 0.07,
            "N": 0.04,
            "K": 0.005,
            "Ca": 0.003,
            "Fe": 0.001,
            "Zn": 0.0005,
            "Cu": 0.0003,
            "Br": 0.0002,
        },
        1.2,
    ),
    "CdSnBa": ({"O": 0.50, "Si": 0.25, "Sn": 0.10, "Ba": 0.10, "Cd": 0.05}, 3.5),
}

# Lines compared (simulator IUPAC name -> xraylib line macros summed).
K_LINES = {"K-L2": ["KL2"], "K-L3": ["KL3"], "K-M3": ["KM3"]}
L_LINES = {"L3-M5": ["L3M5"], "L3-M4": ["L3M4"], "L2-M4": ["L2M4"], "L1-M3": ["L1M3"]}
MIN_LINE_KEV = 1.0

SECONDARY = {
    "FeNi": ({"Fe": 0.5, "Ni": 0.5}, 8.4, "Fe", "Ni"),
    "FeCr": ({"Fe": 0.8, "Cr": 0.2}, 7.8, "Cr", "Fe"),
}
ENHANCER_K_LINES = ["KL2", "KL3", "KM2", "KM3", "KM4", "KM5", "KN2", "KN3"]

DETECTOR_ENERGIES_KEV = [1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 12.0, 16.0, 20.0, 25.0, 30.0, 40.0]
ESCAPE_ENERGIES_KEV = [2.0, 3.0, 4.0, 5.895, 8.0, 12.0, 20.0]
TUBE_ENERGIES_KEV = [2.025, 3.025, 5.025, 8.025, 12.025, 18.025, 22.025, 30.025, 40.025, 48.025]
TUBE_LINES = {"K-L3": xrl.K_SHELL, "K-L2": xrl.K_SHELL, "K-M3": xrl.K_SHELL, "L3-M5": xrl.L3_SHELL, "L2-M4": xrl.L2_SHELL}


def z_of(sym: str) -> int:
    return xrl.SymbolToAtomicNumber(sym)


def mu_total(comp: dict[str, float], e: float) -> float:
    return sum(w * xrl.CS_Total(z_of(s), e) for s, w in comp.items())


def line_macro(name: str) -> int:
    return getattr(xrl, name + "_LINE")


def line_energy(z: int, macros: list[str]) -> float:
    """Rate-weighted energy of the summed xraylib lines."""
    num = den = 0.0
    for m in macros:
        try:
            e = xrl.LineEnergy(z, line_macro(m))
            r = xrl.RadRate(z, line_macro(m))
        except ValueError:
            continue
        num += e * r
        den += r
    return num / den if den > 0 else 0.0


def fluor_line(z: int, macros: list[str], e: float, cs=xrl.CS_FluorLine_Kissel_Cascade) -> float:
    s = 0.0
    for m in macros:
        try:
            s += cs(z, line_macro(m), e)
        except ValueError:
            pass
    return s


def load_excitation(name: str = "excitation.json"):
    doc = json.loads((FIX / name).read_text())
    inst = doc["instrument"]
    air = doc["air"]
    e = list(doc["continuum"]["energyKeV"]) + [l["energyKeV"] for l in doc["lines"]]
    n = list(doc["continuum"]["photonsPerS"]) + [l["photonsPerS"] for l in doc["lines"]]
    e = np.array(e)
    n = np.array(n)
    order = np.argsort(e)
    e, n = e[order], n[order]
    air_mu = lambda x: mu_total(air["massFractions"], x)  # noqa: E731
    t_in = np.array([math.exp(-air_mu(x) * air["densityGPerCm3"] * inst["airPathInMm"] * 0.1) for x in e])
    t_out = lambda x: math.exp(-air_mu(x) * air["densityGPerCm3"] * inst["airPathOutMm"] * 0.1)  # noqa: E731
    return doc, inst, e, n * t_in, t_out


def primary(inst, e, n0, t_out):
    sin1 = math.sin(math.radians(inst["incidenceDeg"]))
    sin2 = math.sin(math.radians(inst["exitDeg"]))
    e0 = inst["tube"]["voltageKV"]
    out = {}
    for name, (comp, rho) in SAMPLES.items():
        mu_e = np.array([mu_total(comp, x) for x in e])
        lines = []
        for sym, w in comp.items():
            z = z_of(sym)
            for table in (K_LINES, L_LINES):
                for lname, macros in table.items():
                    el = line_energy(z, macros)
                    if el < MIN_LINE_KEV or el >= e0:
                        continue
                    tau = np.array([fluor_line(z, macros, x) for x in e])
                    if not np.any(tau > 0):
                        continue
                    b = mu_total(comp, el) / sin2
                    p = float(np.sum(n0 * w * tau / (mu_e / sin1 + b)) / sin1 * t_out(el))
                    # The same with the radiative K->L cascade only, for the record.
                    tau_r = np.array(
                        [fluor_line(z, macros, x, xrl.CS_FluorLine_Kissel_Radiative_Cascade) for x in e]
                    )
                    p_r = float(np.sum(n0 * w * tau_r / (mu_e / sin1 + b)) / sin1 * t_out(el))
                    lines.append(
                        {
                            "element": sym,
                            "z": z,
                            "line": lname,
                            "energyKeV": round(el, 5),
                            "primary": p,
                            "primaryRadiativeCascadeOnly": p_r,
                        }
                    )
        out[name] = {"composition": comp, "densityGPerCm3": rho, "lines": lines}
    return out


def depth_integral(a: float, b: float, c: float) -> float:
    """int_0^inf int_0^inf exp(-a z) E1(c |z - z'|) exp(-b z') dz dz' by nested quad."""

    def inner(z: float) -> float:
        f = lambda zp: special.exp1(c * abs(z - zp)) * math.exp(-b * zp)  # noqa: E731
        lo = integrate.quad(f, 0.0, z, limit=200)[0] if z > 0 else 0.0
        hi = integrate.quad(f, z, z + 50.0 / (b + c), limit=200)[0]
        return (lo + hi) * math.exp(-a * z)

    return integrate.quad(inner, 0.0, 50.0 / a, limit=200, epsrel=1e-9)[0]


def closed_form(a: float, b: float, c: float) -> float:
    return (math.log1p(a / c) / a + math.log1p(b / c) / b) / (a + b)


def secondary(inst, e, n0):
    sin1 = math.sin(math.radians(inst["incidenceDeg"]))
    sin2 = math.sin(math.radians(inst["exitDeg"]))
    out = {}
    for name, (comp, rho, analyte, enhancer) in SECONDARY.items():
        zi, zj = z_of(analyte), z_of(enhancer)
        wi, wj = comp[analyte], comp[enhancer]
        edge_i = xrl.EdgeEnergy(zi, xrl.K_SHELL)
        b = mu_total(comp, xrl.LineEnergy(zi, xrl.KL3_LINE)) / sin2
        mu_e = np.array([mu_total(comp, x) for x in e])
        tau_i = np.array([xrl.CS_Photo_Partial(zi, xrl.K_SHELL, x) if x > edge_i else 0.0 for x in e])
        prim = float(np.sum(n0 * wi * tau_i / (mu_e / sin1 + b)))
        sec = 0.0
        sec_closed = 0.0
        for m in ENHANCER_K_LINES:
            try:
                ej = xrl.LineEnergy(zj, line_macro(m))
            except ValueError:
                continue
            if ej <= edge_i:
                continue
            muj = mu_total(comp, ej)
            tij = xrl.CS_Photo_Partial(zi, xrl.K_SHELL, ej)
            # The depth integral is smooth in a = mu(E)/sin psi1: evaluate it numerically on a
            # log grid of a and interpolate (cubic in log-log) to every excitation energy.
            a_all = mu_e / sin1
            grid = np.geomspace(a_all.min() * 0.999, a_all.max() * 1.001, 40)
            table = np.log([depth_integral(g, b, muj) for g in grid])
            spline = interpolate.CubicSpline(np.log(grid), table)
            for k, x in enumerate(e):
                if n0[k] == 0:
                    continue
                try:
                    tj = xrl.CS_FluorLine_Kissel(zj, line_macro(m), x)
                except ValueError:
                    tj = 0.0
                if tj == 0:
                    continue
                a = mu_e[k] / sin1
                q = n0[k] * wj * tj * wi * tij * 0.5
                sec += q * math.exp(float(spline(math.log(a))))
                sec_closed += q * closed_form(a, b, muj)
        out[name] = {
            "composition": comp,
            "densityGPerCm3": rho,
            "analyte": analyte,
            "enhancer": enhancer,
            "enhancement": sec / prim,
            "enhancementClosedForm": sec_closed / prim,
        }
        print(f"secondary {name}: S/P = {sec / prim:.5f} (closed form {sec_closed / prim:.5f})", file=sys.stderr)
    return out


def detector(inst, absorption=xrl.CS_Total):
    """Be window and dead layer transmission (CS_Total) x absorption in the Si crystal
    (`absorption`: CS_Total for any interaction, CS_Photo for full-energy absorption)."""
    d = inst["detector"]
    rows = []
    for x in DETECTOR_ENERGIES_KEV:
        mbe = xrl.CS_Total(4, x)
        msi = xrl.CS_Total(14, x)
        mabs = absorption(14, x)
        eff = (
            math.exp(-mbe * 1.848 * d["beWindowUm"] * 1e-4)
            * math.exp(-msi * 2.33 * d["deadLayerUm"] * 1e-4)
            * (1 - math.exp(-mabs * 2.33 * d["siThicknessUm"] * 1e-4))
        )
        rows.append({"energyKeV": x, "efficiency": eff})
    return rows


def escape():
    ka = xrl.LineEnergy(14, xrl.KL3_LINE)
    edge = xrl.EdgeEnergy(14, xrl.K_SHELL)
    omega = xrl.FluorYield(14, xrl.K_SHELL)
    jump = xrl.JumpFactor(14, xrl.K_SHELL)
    rows = []
    for x in ESCAPE_ENERGIES_KEV:
        if x <= edge:
            rows.append({"energyKeV": x, "fraction": 0.0})
            continue
        r = xrl.CS_Photo(14, ka) / xrl.CS_Photo(14, x)
        f = 0.5 * omega * (1 - 1 / jump) * (1 - r * math.log(1 + 1 / r))
        rows.append({"energyKeV": x, "fraction": f})
    return rows


def ebel_depth(z: int, a: float, e0: float, u0: float) -> float:
    """Ebel (1999): mass depth rho*z_bar of the generation (g/cm2)."""
    lnz = math.log(z)
    m = 0.1382 - 0.9211 / math.sqrt(z)
    c = 0.1904 - 0.2236 * lnz + 0.1292 * lnz**2 - 0.01491 * lnz**3
    eta = e0**m * c
    j = 0.0135 * z
    rho_zm = (a / z) * (0.787e-5 * math.sqrt(j) * e0**1.5 + 0.735e-6 * e0**2)
    lnu = math.log(u0)
    return rho_zm * (0.49269 - 1.0987 * eta + 0.78557 * eta**2) * lnu / (
        0.70256 - 1.09865 * eta + 1.0046 * eta**2 + lnu
    )


def tube(inst) -> dict:
    """Ebel's tube model (continuum and K/L lines), evaluated with xraylib data."""
    t = inst["tube"]
    z = z_of(t["anode"])
    a = xrl.AtomicWeight(z)
    e0 = t["voltageKV"]
    geom = math.sin(math.radians(t["electronIncidenceDeg"])) / math.sin(math.radians(t["takeOffDeg"]))
    be_cm = t["beWindowUm"] * 1e-4
    absorb = lambda chi: 1.0 if chi < 1e-9 else (1 - math.exp(-2 * chi)) / (2 * chi)  # noqa: E731
    t_be = lambda e: math.exp(-xrl.CS_Total(4, e) * 1.848 * be_cm)  # noqa: E731
    x = 1.109 - 0.00435 * z + 0.00175 * e0
    continuum = []
    for e in TUBE_ENERGIES_KEV:
        f = absorb(xrl.CS_Total(z, e) * geom * ebel_depth(z, a, e0, e0 / e))
        continuum.append({"energyKeV": e, "photonsPerSrPerMAPerKeV": 1.35e9 * z * (e0 / e - 1) ** x * f * t_be(e)})

    def shell_term(shell: int, zq: float, bq: float) -> float:
        ek = xrl.EdgeEnergy(z, shell)
        u0 = e0 / ek
        if u0 <= 1:
            return 0.0
        j = 0.0135 * z
        su, lnu = math.sqrt(u0), math.log(u0)
        base = u0 * lnu + 1 - u0
        inv_s = zq * bq / z * base * (1 + 16.05 * math.sqrt(j / ek) * (su * lnu + 2 * (1 - su)) / base)
        r = 1 - 0.0081517 * z + 3.613e-5 * z * z + 0.009583 * z * math.exp(-u0) + 0.001141 * e0
        return inv_s * r

    vac = {xrl.K_SHELL: 5.0e13 * shell_term(xrl.K_SHELL, 2, 0.35)}
    s1 = 6.9e13 * shell_term(xrl.L1_SHELL, 2, 0.25)
    s2 = 6.9e13 * shell_term(xrl.L2_SHELL, 2, 0.25) + xrl.CosKronTransProb(z, xrl.FL12_TRANS) * s1
    s3 = (
        6.9e13 * shell_term(xrl.L3_SHELL, 4, 0.25)
        + xrl.CosKronTransProb(z, xrl.FL13_TRANS) * s1
        + xrl.CosKronTransProb(z, xrl.FL23_TRANS) * s2
    )
    vac.update({xrl.L1_SHELL: s1, xrl.L2_SHELL: s2, xrl.L3_SHELL: s3})
    lines = []
    for name, shell in TUBE_LINES.items():
        m = line_macro(name.replace("-", ""))
        el = xrl.LineEnergy(z, m)
        rho_z = ebel_depth(z, a, e0, e0 / xrl.EdgeEnergy(z, shell))
        f = absorb(xrl.CS_Total(z, el) * geom * rho_z)
        n = vac[shell] * xrl.FluorYield(z, shell) * xrl.RadRate(z, m) * f * t_be(el)
        lines.append({"line": name, "energyKeV": el, "photonsPerSrPerMA": n})
    return {"anode": t["anode"], "voltageKV": e0, "continuum": continuum, "lines": lines}


def asymmetric() -> dict:
    """Primary intensities for the second instrument (Mo tube, 30 deg in, 70 deg out)."""
    doc, inst, e, n0, t_out = load_excitation("excitation-asymmetric.json")
    return {
        "overrides": doc["overrides"],
        "incidenceDeg": inst["incidenceDeg"],
        "exitDeg": inst["exitDeg"],
        "primary": primary(inst, e, n0, t_out),
    }


def main() -> None:
    doc, inst, e, n0, t_out = load_excitation()
    ref = {
        "generator": "training/reference/sherman_primary.py",
        "xraylib": xrl.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "incidenceDeg": inst["incidenceDeg"],
        "exitDeg": inst["exitDeg"],
        "fluorLineCrossSection": "CS_FluorLine_Kissel_Cascade",
        "attenuation": "CS_Total",
        "primary": primary(inst, e, n0, t_out),
        "asymmetric": asymmetric(),
        "secondary": secondary(inst, e, n0),
        "detectorEfficiency": detector(inst),
        "detectorPhotoEfficiency": detector(inst, xrl.CS_Photo),
        "escapeFraction": escape(),
        "siliconKFluorescenceYield": xrl.FluorYield(14, xrl.K_SHELL),
        "tube": tube(inst),
    }
    (FIX / "sherman-xraylib.json").write_text(json.dumps(ref, indent=1) + "\n")
    print(f"wrote {FIX / 'sherman-xraylib.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
