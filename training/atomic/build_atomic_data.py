"""Generator of the package's atomic data module ``src/physics/data/atomicData.generated.ts``.

Every number comes from two pinned PyPI packages (see ``training/requirements.txt``):

- ``xraydb`` (MIT): its ``xraydb/xraydb.sqlite`` holds the Elam–Ravel–Sieber tables
  (photoabsorption and scattering splines, edge energies, jump ratios, emission-line energies)
  plus molar masses and densities of the elements. The sqlite file is read with the standard
  library (``sqlite3``); the xraydb Python code is not imported.
- ``xraylib`` (BSD): fluorescence yields, radiative rates, Coster–Kronig and Auger transition
  probabilities, subshell photoionisation cross sections (Kissel), atomic form factors F(x, Z),
  incoherent scattering functions S(x, Z) and Compton profiles J(p_z).

Usage (from the repository root)::

    training/.venv/bin/python -m training.atomic.build_atomic_data          # writes the module
    training/.venv/bin/python -m training.atomic.build_atomic_data --check  # exit 1 if stale

Output format: one compact JSON string per element (decoded lazily by ``src/physics``); the keys
are documented in :data:`RECORD_KEYS`. Numbers are written with ECMAScript's ``Number#toString``
rules so that the output is byte-stable and reads back exactly.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import re
import sqlite3
import sys
from pathlib import Path

import xraylib as xrl

GENERATOR_VERSION = "2.0.0"
REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_PATH = REPO_ROOT / "src" / "physics" / "data" / "atomicData.generated.ts"

#: Highest Z converted. Elam's tables above Pu are not usable as they stand (Cm's photo table is
#: not monotonic in energy), so the package covers Z = 1…94.
MAX_Z = 94

#: IUPAC element names (names only; every number comes from the packages).
NAMES = [
    "Hydrogen", "Helium", "Lithium", "Beryllium", "Boron", "Carbon", "Nitrogen", "Oxygen",
    "Fluorine", "Neon", "Sodium", "Magnesium", "Aluminium", "Silicon", "Phosphorus", "Sulfur",
    "Chlorine", "Argon", "Potassium", "Calcium", "Scandium", "Titanium", "Vanadium", "Chromium",
    "Manganese", "Iron", "Cobalt", "Nickel", "Copper", "Zinc", "Gallium", "Germanium", "Arsenic",
    "Selenium", "Bromine", "Krypton", "Rubidium", "Strontium", "Yttrium", "Zirconium", "Niobium",
    "Molybdenum", "Technetium", "Ruthenium", "Rhodium", "Palladium", "Silver", "Cadmium", "Indium",
    "Tin", "Antimony", "Tellurium", "Iodine", "Xenon", "Caesium", "Barium", "Lanthanum", "Cerium",
    "Praseodymium", "Neodymium", "Promethium", "Samarium", "Europium", "Gadolinium", "Terbium",
    "Dysprosium", "Holmium", "Erbium", "Thulium", "Ytterbium", "Lutetium", "Hafnium", "Tantalum",
    "Tungsten", "Rhenium", "Osmium", "Iridium", "Platinum", "Gold", "Mercury", "Thallium", "Lead",
    "Bismuth", "Polonium", "Astatine", "Radon", "Francium", "Radium", "Actinium", "Thorium",
    "Protactinium", "Uranium", "Neptunium", "Plutonium",
]  # fmt: skip

#: Shells whose yields, rates, Coster–Kronig probabilities and photoionisation shares are taken
#: from xraylib (the shells that carry the lines the package models).
XRL_SHELLS = ["K", "L1", "L2", "L3", "M1", "M2", "M3", "M4", "M5"]
#: Shells whose vacancies can cascade into deeper-numbered shells (radiative and Auger).
CASCADE_FROM = ["K", "L1", "L2", "L3"]

#: Momentum-transfer grid x = sin(θ/2)/λ (Å⁻¹) of the form-factor tables: 48 points per decade
#: from 1e-2 to 10^1.5 Å⁻¹ (log-spaced; evaluated by linear interpolation in log–log; 24 per
#: decade left up to 2 % error near x = 4 Å⁻¹ for light elements).
X_PER_DECADE = 48
X_GRID = [10 ** (-2 + i / X_PER_DECADE) for i in range(int(3.5 * X_PER_DECADE) + 1)]

#: Compton-profile grid p_z (atomic units): fine near 0 where J(p_z) has its peak.
PZ_GRID = (
    [round(0.05 * i, 2) for i in range(0, 40)]
    + [round(2 + 0.25 * i, 2) for i in range(0, 32)]
    + [10.0, 12.5, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 80.0, 100.0]
)

#: Photoionisation-share grid: points per decade between 100 eV and 300 keV (the range of
#: xraylib's Kissel subshell cross sections), plus both sides of every tabulated edge.
SHARE_PER_DECADE = 12
SHARE_MIN_EV = 100.0
SHARE_MAX_EV = 300000.0
#: Extra share-grid points above every edge (relative offsets).
AFTER_EDGE = [0.002, 0.005, 0.01, 0.02, 0.05]

RECORD_KEYS = {
    "h": "[symbol, Z, molar mass g/mol (xraydb), density g/cm³ (xraydb)]",
    "e": "edges [label, energy eV (Elam), fluorescence yield (adopted), jump ratio (Elam)]",
    "l": "lines [IUPAC, Siegbahn, energy eV (Elam), radiative rate (adopted), initial shell]",
    "c": "Coster–Kronig [from, to, probability] (adopted)",
    "p": "photo spline (Elam): ln E(eV)…, ln σ…, d2… (cm²/g)",
    "s": "scatter splines (Elam): ln E…, ln σ_coh…, d2…, ln σ_incoh…, d2…",
    "xs": "shells of the photoionisation-share table",
    "xe": "ln E(eV) of the share table (edges appear twice: below, above)",
    "xo": "per shell of xs: index of the first stored share (the shares before it are 0)",
    "xf": "shares τ_shell/τ (xraylib Kissel) from index xo on, one column per shell, concatenated",
    "tr": "radiative vacancy transfers [from, to, radiative rate of the from–to line] (xraylib)",
    "ta": "non-radiative vacancy transfers [from, to, Auger yield × Σ Auger rates] (xraylib)",
    "ff": "ln F(x) atomic form factor on X_GRID (xraylib FF_Rayl)",
    "sf": "ln S(x) incoherent scattering function on X_GRID (xraylib SF_Compt; 0 → -745)",
    "j": "ln J(p_z) Compton profile (electrons per a.u., one-sided) on PZ_GRID (xraylib)",
    "jc": "cumulative ∫₀^p J dp′ (electrons) on PZ_GRID (trapezoid on xraylib's J)",
}


# ---------------------------------------------------------------------------------------------
# Number formatting: ECMAScript Number#toString of the shortest round-trip representation.
# ---------------------------------------------------------------------------------------------
def js_num(v: float) -> str:
    """Formats a float exactly as JavaScript's ``String(v)`` would (shortest round trip)."""
    if not math.isfinite(v):
        raise ValueError(f"non-finite number {v}")
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    r = repr(abs(float(v)))
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?(?:e([+-]\d+))?", r)
    if not m:
        raise ValueError(r)
    int_part, frac, exp = m.group(1), m.group(2) or "", int(m.group(3) or 0)
    digits = (int_part + frac).lstrip("0")
    # position of the decimal point relative to the first significant digit
    point = len(int_part) + exp
    if int_part == "0" or int(int_part) == 0:
        lead = len(frac) - len(frac.lstrip("0"))
        point = -lead + exp
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    n = point  # value = 0.d1d2… × 10^n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    es = f"e+{e}" if e >= 0 else f"e-{-e}"
    if k == 1:
        return sign + digits + es
    return sign + digits[0] + "." + digits[1:] + es


def sig(v: float, digits: int = 6) -> float:
    """Rounds to `digits` significant digits (keeps the data compact and byte-stable)."""
    return float(f"{v:.{digits - 1}e}")


def dumps(obj) -> str:
    """Compact JSON with JavaScript number formatting (matches JSON.stringify)."""
    if isinstance(obj, bool) or obj is None:
        return json.dumps(obj)
    if isinstance(obj, (int, float)):
        return js_num(float(obj))
    if isinstance(obj, str):
        return json.dumps(obj, ensure_ascii=False)
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(dumps(x) for x in obj) + "]"
    if isinstance(obj, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{dumps(v)}" for k, v in obj.items()) + "}"
    raise TypeError(type(obj))


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------
def sqlite_path() -> Path:
    spec = importlib.util.find_spec("xraydb")
    if spec is None or spec.origin is None:
        raise SystemExit("xraydb is not installed: pip install -r training/requirements.txt")
    return Path(spec.origin).parent / "xraydb.sqlite"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_versions() -> dict[str, str]:
    return {
        "xraydb": importlib.metadata.version("xraydb"),
        "xraylib": importlib.metadata.version("xraylib"),
    }


def xrl_call(fn, *args) -> float | None:
    """Calls an xraylib function; None where xraylib has no value (it raises ValueError)."""
    try:
        v = fn(*args)
    except ValueError:
        return None
    return float(v)


def shell_macro(label: str) -> int | None:
    return getattr(xrl, f"{label}_SHELL", None)


def line_rate(z: int, initial: str, final: str) -> float | None:
    """xraylib radiative rate of ``initial-final``; a combined final such as M4,5 sums parts."""
    m = re.fullmatch(r"([A-Z])(\d(?:,\d)*)", final)
    if not m:
        return None
    total = 0.0
    found = False
    for n in m.group(2).split(","):
        macro = getattr(xrl, f"{initial}{m.group(1)}{n}_LINE", None)
        if macro is None:
            continue
        v = xrl_call(xrl.RadRate, z, macro)
        if v is not None:
            total += v
            found = True
    return total if found else None


AUGER_RE = re.compile(r"^(K|L[1-3]|M[1-5])_([A-Q]\d)([A-Q]\d)_AUGER$")


def auger_transfer(z: int, initial: str, target: str) -> float:
    """Vacancies moved from `initial` to `target` per `initial` vacancy by Auger transitions.

    Same bookkeeping as xraylib's cascade functions: AugerYield(initial) × Σ AugerRate × (number
    of the transition's two final holes that lie in `target`: 2 for e.g. K-L1L1 into L1).
    """
    ay = xrl_call(xrl.AugerYield, z, shell_macro(initial))
    if not ay:
        return 0.0
    s = 0.0
    for name in dir(xrl):
        m = AUGER_RE.match(name)
        if not m or m.group(1) != initial or target not in (m.group(2), m.group(3)):
            continue
        v = xrl_call(xrl.AugerRate, z, getattr(xrl, name))
        if v:
            s += v * ((m.group(2) == target) + (m.group(3) == target))
    return ay * s


def ck_macro(frm: str, to: str) -> int | None:
    if frm[0] != to[0] or frm[0] not in "LM":
        return None
    return getattr(xrl, f"F{frm[0]}{frm[1]}{to[1]}_TRANS", None)


# ---------------------------------------------------------------------------------------------
# Per-element record
# ---------------------------------------------------------------------------------------------
def parse_list(text: str) -> list[float]:
    return [float(v) for v in json.loads(text)]


def kissel_shares(z: int, edges_ev: dict[str, float]) -> dict:
    """Photoionisation shares τ_s/τ on a grid, with the ionisable set fixed by Elam's edges."""
    all_shells = [n[: -len("_SHELL")] for n in dir(xrl) if n.endswith("_SHELL")]
    xrl_edge = {}
    for s in all_shells:
        e = xrl_call(xrl.EdgeEnergy, z, shell_macro(s))
        if e:
            xrl_edge[s] = e * 1000.0
    shells = [s for s in XRL_SHELLS if s in edges_ev and s in xrl_edge]
    if not shells:
        return {}

    def partial(s: str, e_ev: float) -> float:
        # Evaluate just above xraylib's own edge when Elam's edge lies a few eV below it.
        e = max(e_ev, xrl_edge[s] * (1 + 1e-6))
        if e > SHARE_MAX_EV:
            e = SHARE_MAX_EV
        v = xrl_call(xrl.CS_Photo_Partial, z, shell_macro(s), e / 1000.0)
        return v or 0.0

    def shares_at(e_ev: float, above: bool) -> list[float]:
        def ionisable(s: str) -> bool:
            edge = edges_ev.get(s, xrl_edge[s])
            return e_ev > edge or (above and e_ev == edge)

        parts = {s: partial(s, e_ev) for s in xrl_edge if ionisable(s)}
        total = sum(parts.values())
        return [sig(parts.get(s, 0.0) / total, 5) if total > 0 else 0.0 for s in shells]

    grid_edges = sorted(
        {edges_ev[s] for s in edges_ev if SHARE_MIN_EV < edges_ev[s] < SHARE_MAX_EV}
    )
    n_dec = math.log10(SHARE_MAX_EV / SHARE_MIN_EV)
    base = [SHARE_MIN_EV * 10 ** (i / SHARE_PER_DECADE) for i in range(int(n_dec * SHARE_PER_DECADE) + 1)]
    base.append(SHARE_MAX_EV)
    points: list[tuple[float, bool]] = []
    for e in base:
        if all(abs(math.log(e / g)) > 0.01 and not 0 < e / g - 1 < 0.11 for g in grid_edges):
            points.append((e, False))
    for g in grid_edges:
        points.append((g, False))
        points.append((g, True))
        # Kissel's M4/M5 (and some L) cross sections rise over tens of eV above the edge.
        for f in AFTER_EDGE:
            e = g * (1 + f)
            if e < SHARE_MAX_EV and all(abs(math.log(e / h)) > 1e-3 for h in grid_edges):
                points.append((e, False))
    points.sort(key=lambda p: (p[0], p[1]))
    ln_e = [sig(math.log(e), 8) for e, _ in points]
    cols = [[] for _ in shells]
    for e, above in points:
        for i, v in enumerate(shares_at(e, above)):
            cols[i].append(v)
    offsets = []
    flat = []
    for c in cols:
        k = next((i for i, v in enumerate(c) if v != 0.0), len(c) - 1)
        k = max(0, k - 1)  # keep the below-edge zero: interpolation needs it
        offsets.append(k)
        flat.extend(c[k:])
    return {"xs": shells, "xe": ln_e, "xo": offsets, "xf": flat}


def element_record(db: sqlite3.Connection, z: int) -> dict:
    sym, mass, density = db.execute(
        "select element, molar_mass, density from elements where atomic_number=?", (z,)
    ).fetchone()
    levels = db.execute(
        "select iupac_symbol, absorption_edge, fluorescence_yield, jump_ratio"
        " from xray_levels where element=? order by id",
        (sym,),
    ).fetchall()
    edges_ev = {lab: e for lab, e, _, _ in levels}

    edges = []
    for lab, e_ev, w_elam, jump in levels:
        w = w_elam
        if lab in XRL_SHELLS:
            wx = xrl_call(xrl.FluorYield, z, shell_macro(lab))
            if wx is not None:
                w = wx
        edges.append([lab, e_ev, sig(w), jump])

    rows = db.execute(
        "select iupac_symbol, siegbahn_symbol, initial_level, final_level, emission_energy,"
        " intensity from xray_transitions where element=? order by id",
        (sym,),
    ).fetchall()
    lines = []
    missing = []  # Elam lines of xraylib shells for which xraylib has no rate
    for iupac, sieg, initial, final, e_ev, rate_elam in rows:
        if initial not in edges_ev:
            # A combined initial level (Elam's Mz, "M4,5-N2,3") is filed under its first part.
            initial = re.sub(r",\d+$", "", initial)
        rate = rate_elam
        if initial in XRL_SHELLS:
            rx = line_rate(z, initial, final)
            if rx is not None:
                rate = rx
            else:
                missing.append(len(lines))
        lines.append([iupac, sieg, e_ev, rate, initial, final])
    # A line xraylib does not list keeps Elam's rate while its shell's listed rates stay within
    # 1 (+0.5 % for rounding); otherwise it is dropped: e.g. Elam's Mg K-M2/K-M3 (11 %
    # of Mg K) where xraylib has no Kβ for Mg.
    for i in missing:
        shell = lines[i][4]
        total = sum(l[3] for l in lines if l[4] == shell)
        if total > 1.005:
            lines[i][3] = 0.0
    adopted_single = {
        (l[4], l[5]): l[3] for i, l in enumerate(lines) if i in missing and "," not in l[5]
    }
    # Lines with no intensity in the adopted compilation are left out of the line list.
    lines = [[a, b, c, sig(d), e] for a, b, c, d, e, _ in lines if d > 0]

    ck = []
    seen = set()
    for frm, to, p in db.execute(
        "select initial_level, final_level, transition_probability from Coster_Kronig"
        " where element=? order by id",
        (sym,),
    ).fetchall():
        macro = ck_macro(frm, to) if frm in XRL_SHELLS else None
        if macro is not None:
            px = xrl_call(xrl.CosKronTransProb, z, macro)
            p = px if px is not None else p
        ck.append([frm, to, sig(p)])
        seen.add((frm, to))
    # Coster–Kronig pairs that xraylib has but Elam does not list.
    for frm in XRL_SHELLS[1:]:
        for to in XRL_SHELLS[1:]:
            macro = ck_macro(frm, to)
            if macro is None or (frm, to) in seen or frm not in edges_ev or to not in edges_ev:
                continue
            px = xrl_call(xrl.CosKronTransProb, z, macro)
            if px:
                ck.append([frm, to, sig(px)])

    (pe, pv, pd) = db.execute(
        "select log_energy, log_photoabsorption, log_photoabsorption_spline"
        " from photoabsorption where element=?",
        (sym,),
    ).fetchone()
    (se, cv, cd, iv, idd) = db.execute(
        "select log_energy, log_coherent_scatter, log_coherent_scatter_spline,"
        " log_incoherent_scatter, log_incoherent_scatter_spline from scattering where element=?",
        (sym,),
    ).fetchone()
    p = [v for col in (pe, pv, pd) for v in parse_list(col)]
    s = [v for col in (se, cv, cd, iv, idd) for v in parse_list(col)]

    rec: dict = {"h": [sym, z, mass, density], "e": edges, "l": lines, "c": ck, "p": p, "s": s}
    rec.update(kissel_shares(z, {k: v for k, v in edges_ev.items() if k in XRL_SHELLS}))

    tr, ta = [], []
    for frm in CASCADE_FROM:
        if frm not in edges_ev:
            continue
        for to in XRL_SHELLS:
            if to not in edges_ev or XRL_SHELLS.index(to) <= XRL_SHELLS.index(frm):
                continue
            if to[0] == frm[0]:
                continue  # within one shell: Coster–Kronig, listed in "c"
            r = line_rate(z, frm, to)
            if r is None:
                r = adopted_single.get((frm, to))
            if r:
                tr.append([frm, to, sig(r)])
            a = auger_transfer(z, frm, to)
            if a:
                ta.append([frm, to, sig(a)])
    rec["tr"] = tr
    rec["ta"] = ta

    def ln_or_floor(v: float | None) -> float:
        return sig(math.log(v), 5) if v and v > 0 else -745

    rec["ff"] = [ln_or_floor(xrl_call(xrl.FF_Rayl, z, x)) for x in X_GRID]
    rec["sf"] = [ln_or_floor(xrl_call(xrl.SF_Compt, z, x)) for x in X_GRID]
    rec["j"] = [ln_or_floor(xrl_call(xrl.ComptonProfile, z, pz)) for pz in PZ_GRID]
    rec["jc"] = cumulative_profile(z)
    return rec


def cumulative_profile(z: int) -> list[float]:
    """∫₀^p J(p′) dp′ at every p of PZ_GRID (trapezoid rule, step 0.005 a.u., on xraylib's J)."""
    out = [0.0]
    acc = 0.0
    for a, b in zip(PZ_GRID[:-1], PZ_GRID[1:]):
        n = max(1, round((b - a) / 0.005))
        h = (b - a) / n
        ys = [xrl.ComptonProfile(z, a + i * h) for i in range(n + 1)]
        acc += h * (sum(ys) - 0.5 * (ys[0] + ys[-1]))
        out.append(sig(acc))
    return out


# ---------------------------------------------------------------------------------------------
# Module text
# ---------------------------------------------------------------------------------------------
def generate() -> str:
    db_path = sqlite_path()
    sha = sha256_of(db_path)
    versions = package_versions()
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        db_version = db.execute("select tag from Version order by id desc limit 1").fetchone()[0]
        records = [element_record(db, z) for z in range(1, MAX_Z + 1)]
    finally:
        db.close()
    symbols = [r["h"][0] for r in records]
    rows = "\n".join(f"  {json.dumps(dumps(r), ensure_ascii=False)}," for r in records)
    x_grid = [sig(x, 8) for x in X_GRID]
    return f"""// GENERATED FILE — do not edit. Regenerate with
//   training/.venv/bin/python -m training.atomic.build_atomic_data
// Generator: training/atomic/build_atomic_data.py version {GENERATOR_VERSION}; Z = 1…{MAX_Z}.
//
// Sources (PyPI packages, pinned in training/requirements.txt):
// - xraydb {versions['xraydb']} (MIT licence), file xraydb/xraydb.sqlite, database version {db_version},
//   SHA-256 {sha}.
//   Used: Elam photoabsorption and scattering splines, edge energies, jump ratios, emission-line
//   energies, line list; molar masses and densities.
//   Cite: W. T. Elam, B. D. Ravel and J. R. Sieber, Radiat. Phys. Chem. 63 (2002) 121–128,
//   doi:10.1016/S0969-806X(01)00227-4.
// - xraylib {versions['xraylib']} (BSD 3-clause licence).
//   Used: fluorescence yields, radiative rates, Coster–Kronig and Auger transition probabilities
//   (K, L1–L3, M1–M5), subshell photoionisation shares (Kissel), atomic form factors F(x, Z),
//   incoherent scattering functions S(x, Z), Compton profiles J(p_z).
//   Cite: T. Schoonjans et al., Spectrochim. Acta B 66 (2011) 776–784,
//   doi:10.1016/j.sab.2011.09.011; and the compilations it documents.
// Record keys: see RECORD_KEYS in the generator; docs/physics-data.md explains each quantity.
/* eslint-disable */

/** SHA-256 of the xraydb.sqlite the Elam tables were read from. */
export const ELAM_SHA256 = '{sha}';
/** Version of the xraydb database (xraydb.sqlite) that holds the Elam tables. */
export const ELAM_VERSION = '{db_version}';
/** Versions of the PyPI packages the data was generated from. */
export const ATOMIC_DATA_PACKAGES: Readonly<Record<string, string>> = {dumps(versions)};
/** Element symbols, index = Z − 1. */
export const ELEMENT_SYMBOLS: readonly string[] = {dumps(symbols)};
/** Element names, index = Z − 1. */
export const ELEMENT_NAMES: readonly string[] = {dumps(NAMES[:MAX_Z])};
/** Momentum transfer x = sin(θ/2)/λ (1/Å) of the form-factor tables (`ff`, `sf`). */
export const X_GRID_PER_ANGSTROM: readonly number[] = {dumps(x_grid)};
/** Momentum p_z (atomic units) of the Compton-profile tables (`j`). */
export const PZ_GRID_AU: readonly number[] = {dumps(PZ_GRID)};
/** Per-element compact JSON (keys documented in the generator), index = Z − 1. */
export const ELEMENT_JSON: readonly string[] = [
{rows}
];
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file is stale")
    ap.add_argument("--out", type=Path, default=OUTPUT_PATH)
    args = ap.parse_args(argv)
    text = generate()
    if args.check:
        if not args.out.exists() or args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} is out of date; regenerate it", file=sys.stderr)
            return 1
        print("atomic data up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
