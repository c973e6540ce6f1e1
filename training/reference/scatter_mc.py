"""Independent photon Monte Carlo of the scatter background of a thick homogeneous sample.

Reference for the simulator's single and double scatter (src/spectra/scatter.ts). Written
from the physics alone with numpy and xraylib (pinned in training/requirements.txt); nothing
here uses the package's code or data tables. The incident spectrum is taken as an input table
(test/fixtures/scatter-mc/excitation.json, written by
scripts/export-scatter-mc-excitation.ts: the photons per second that the simulator lets reach
the sample from a bare Rh tube at 50 kV): the transport is what is validated here, not the
tube model.

Model
-----
* Sample: homogeneous, semi-infinite (surface z = 0, z = mass depth in g/cm² growing inwards),
  laterally infinite. Incidence at psi1 below the surface, direction (cos psi1, 0, sin psi1);
  the detector is a point at infinity in the direction (cos psi2, 0, -sin psi2), so the
  scattering angle of single scatter is psi1 + psi2.
* Interactions (xraylib): photo-absorption (the photon is killed; fluorescence is not
  followed), Rayleigh (DCS_Rayl: Thomson x F^2) and Compton (DCS_Compt: Klein-Nishina x S,
  energy from the Compton formula at the sampled angle, no Doppler broadening). Attenuation
  mu = CS_Total. Mixtures by mass fraction.
* Polarisation: the tube is unpolarised and every scatter uses the unpolarised cross sections
  (the partial polarisation produced by the first scatter is not tracked). The simulator makes
  the same assumption.
* Estimator: survival biasing (the weight is multiplied by sigma_scatter/mu at each collision,
  the photon never dies by absorption) plus forced detection: at every collision of order n the
  expected count per steradian towards the detector,
      w * (dsigma/dOmega)(E, theta_det) / mu(E) * exp(-mu(E_out) z / sin psi2),
  is tallied for Rayleigh (E_out = E) and Compton (E_out = E'(theta_det)). The photon then
  scatters (Rayleigh or Compton by their cross sections, direction sampled from the tabulated
  DCS by inverse CDF), flies an exponential path and leaves when it crosses the surface.
  Russian roulette below 1 % of the starting weight.
* Tallies: counts per second per steradian of detector solid angle (no detector efficiency, no
  detector response) on 0.05 keV bins whose edges are the simulator's channel edges
  (0.05 i - 0.005 keV), separately for scatter order 1, 2 and >= 3 and for photons that came
  from the tube continuum or from tube lines; and the Rh K-alpha peaks: order-1 Rayleigh and
  Compton, and the pure-Rayleigh chains of order 2 and >= 3 (which land exactly on the
  Rayleigh peak).
* Sampling of the source: three strata (continuum 60 %, tube lines above 10 keV 20 %, below
  10 keV 20 %), each photon weighted by (stratum photons / all photons) / stratum share.
* Statistics: the histories are run in independent batches; every tally carries the standard
  error of the batch means.

Run from the repository root (about 2 min per sample at the default history count):
    nice -n 10 training/.venv/bin/python -m training.reference.scatter_mc
It writes test/fixtures/scatter-mc/reference.json (50°/50°, five samples). The asymmetric check
(30° incidence, 70° exit) in test/fixtures/scatter-mc/reference-asymmetric.json:
    nice -n 10 training/.venv/bin/python -m training.reference.scatter_mc --histories 1000000 \
        --incidence-deg 30 --exit-deg 70 --samples cellulose iron \
        --out test/fixtures/scatter-mc/reference-asymmetric.json
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import xraylib
import xraylib_np

ROOT = Path(__file__).resolve().parents[2]
EXCITATION = ROOT / "test" / "fixtures" / "scatter-mc" / "excitation.json"
OUT = ROOT / "test" / "fixtures" / "scatter-mc" / "reference.json"

#: Samples: compound -> mass fraction (parsed by xraylib.CompoundParser).
SAMPLES: dict[str, dict[str, float]] = {
    "cellulose": {"C6H10O5": 1.0},
    "soil": {
        "SiO2": 0.65,
        "Al2O3": 0.15,
        "Fe2O3": 0.06,
        "CaO": 0.05,
        "K2O": 0.03,
        "MgO": 0.02,
        "Na2O": 0.02,
        "TiO2": 0.01,
        "H2O": 0.01,
    },
    "iron": {"Fe": 1.0},
    "glass": {"SiO2": 0.72, "Na2O": 0.14, "CaO": 0.09, "MgO": 0.04, "Al2O3": 0.01},
    "bovine_liver": {
        "H": 0.072,
        "C": 0.51,
        "N": 0.105,
        "O": 0.285,
        "P": 0.011,
        "S": 0.008,
        "K": 0.0095,
    },
}

ELECTRON_REST_KEV = 510.99895
BIN_KEV = 0.05
EDGE_OFFSET_KEV = -0.005
N_BINS = 1000
KA_RANGE_KEV = (19.7, 20.3)


def element_fractions(compounds: dict[str, float]) -> dict[int, float]:
    """Mass fraction per atomic number of a compound mixture."""
    out: dict[int, float] = {}
    for formula, w in compounds.items():
        c = xraylib.CompoundParser(formula)
        for z, f in zip(c["Elements"], c["massFractions"]):
            out[z] = out.get(z, 0.0) + w * f
    return out


def compton_energy(e: np.ndarray, cos_theta: np.ndarray) -> np.ndarray:
    return e / (1.0 + (e / ELECTRON_REST_KEV) * (1.0 - cos_theta))


class Material:
    """Cross-section tables of one sample: attenuation on a fine energy grid, DCS tables on a
    log energy grid × a theta grid dense near 0 (theta = pi s^2) with their inverse CDFs."""

    def __init__(
        self,
        fractions: dict[int, float],
        n_e: int = 160,
        n_theta: int = 1200,
        isotropic_rayleigh_only: bool = False,
    ):
        """`isotropic_rayleigh_only` (for tests): Rayleigh scatter with the isotropic DCS
        CS_Rayl/(4 pi) and no Compton scatter, a case with a closed-form double scatter."""
        zs = np.array(sorted(fractions), dtype=np.int64)
        w = np.array([fractions[int(z)] for z in zs])
        self.fine_e0, self.fine_de = 0.5, 0.005
        fine = self.fine_e0 + self.fine_de * np.arange(int(51.0 / self.fine_de))
        self.mu = w @ xraylib_np.CS_Total(zs, fine)
        self.sig_r = w @ xraylib_np.CS_Rayl(zs, fine)
        self.sig_c = w @ xraylib_np.CS_Compt(zs, fine)
        if isotropic_rayleigh_only:
            self.sig_c = np.zeros_like(self.sig_c)
        self.log_e0 = math.log(0.5)
        self.dlog = (math.log(51.0) - self.log_e0) / (n_e - 1)
        e = np.exp(self.log_e0 + self.dlog * np.arange(n_e))
        self.s = np.linspace(0.0, 1.0, n_theta)
        self.theta = math.pi * self.s**2
        self.n_e, self.n_theta = n_e, n_theta
        self.dcs = []
        self.cdf_flat = []
        sin_t = np.sin(self.theta)
        for fn in (xraylib_np.DCS_Rayl, xraylib_np.DCS_Compt):
            d = np.tensordot(w, fn(zs, e, self.theta), axes=1)  # (n_e, n_theta), cm²/g/sr
            if isotropic_rayleigh_only:
                sig = w @ xraylib_np.CS_Rayl(zs, e) if fn is xraylib_np.DCS_Rayl else 0 * e
                d = np.repeat((sig / (4 * math.pi))[:, None], n_theta, axis=1)
            self.dcs.append(d)
            pdf = 2 * math.pi * d * sin_t
            cdf = np.concatenate(
                [np.zeros((n_e, 1)), np.cumsum(0.5 * (pdf[:, 1:] + pdf[:, :-1]) * np.diff(self.theta), axis=1)],
                axis=1,
            )
            cdf /= np.where(cdf[:, -1:] > 0, cdf[:, -1:], 1.0)
            self.cdf_flat.append((cdf + 2.0 * np.arange(n_e)[:, None]).ravel())

    def fine(self, table: np.ndarray, e: np.ndarray) -> np.ndarray:
        x = (e - self.fine_e0) / self.fine_de
        i = np.clip(x.astype(np.int64), 0, table.size - 2)
        f = x - i
        return table[i] * (1 - f) + table[i + 1] * f

    def dcs_at(self, kind: int, e: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """Bilinear interpolation of the mixture DCS (cm²/g/sr) in (log E, s)."""
        x = (np.log(e) - self.log_e0) / self.dlog
        i = np.clip(x.astype(np.int64), 0, self.n_e - 2)
        fx = x - i
        y = np.sqrt(np.clip(theta, 0, math.pi) / math.pi) * (self.n_theta - 1)
        j = np.clip(y.astype(np.int64), 0, self.n_theta - 2)
        fy = y - j
        d = self.dcs[kind]
        return (
            d[i, j] * (1 - fx) * (1 - fy)
            + d[i + 1, j] * fx * (1 - fy)
            + d[i, j + 1] * (1 - fx) * fy
            + d[i + 1, j + 1] * fx * fy
        )

    def sample_theta(self, kind: int, e: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Scattering angle from the DCS: row picked between the two bracketing energies with
        linear probability, inverse CDF with linear interpolation inside the theta cell."""
        x = (np.log(e) - self.log_e0) / self.dlog
        i = np.clip(x.astype(np.int64), 0, self.n_e - 2)
        row = i + (rng.random(e.size) < (x - i))
        u = rng.random(e.size)
        key = u + 2.0 * row
        flat = self.cdf_flat[kind]
        idx = np.searchsorted(flat, key, side="right") - 1
        base = row * self.n_theta
        j = np.clip(idx - base, 0, self.n_theta - 2)
        c0 = flat[base + j] - 2.0 * row
        c1 = flat[base + j + 1] - 2.0 * row
        f = np.where(c1 > c0, (u - c0) / np.where(c1 > c0, c1 - c0, 1.0), 0.5)
        return self.theta[j] + np.clip(f, 0, 1) * (self.theta[j + 1] - self.theta[j])


def rotate(d: np.ndarray, cos_t: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """New unit directions at polar angle acos(cos_t), azimuth phi around directions d (n, 3)."""
    sin_t = np.sqrt(np.clip(1 - cos_t**2, 0, None))
    ux, uy, uz = d[:, 0], d[:, 1], d[:, 2]
    cp, sp = np.cos(phi), np.sin(phi)
    den = np.sqrt(np.clip(1 - uz**2, 0, None))
    small = den < 1e-10
    dens = np.where(small, 1.0, den)
    nx = sin_t * (ux * uz * cp - uy * sp) / dens + ux * cos_t
    ny = sin_t * (uy * uz * cp + ux * sp) / dens + uy * cos_t
    nz = -sin_t * cp * den + uz * cos_t
    sgn = np.where(uz >= 0, 1.0, -1.0)
    nx = np.where(small, sin_t * cp, nx)
    ny = np.where(small, sin_t * sp, ny)
    nz = np.where(small, sgn * cos_t, nz)
    out = np.stack([nx, ny, nz], axis=1)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def bin_of(e: np.ndarray) -> np.ndarray:
    return np.clip(((e - EDGE_OFFSET_KEV) / BIN_KEV).astype(np.int64), 0, N_BINS - 1)


def run_batch(
    mat: Material,
    src: dict,
    n: int,
    psi1_deg: float,
    psi2_deg: float,
    rng: np.random.Generator,
    max_order: int = 400,
) -> dict[str, np.ndarray]:
    """One batch of n histories; tallies per incident photon (per sr)."""
    hist = np.zeros((2, 3, N_BINS))  # [continuum/line origin, order 1/2/>=3, bin]
    ka = np.zeros(4)  # order-1 Rayleigh, order-1 Compton, pure-Rayleigh order 2, >= 3
    # Source strata.
    e_src, w_src, is_line, width = src["e"], src["n"], src["line"], src["w"]
    total = w_src.sum()
    strata = [(~is_line, 0.6), (is_line & (e_src > 10), 0.2), (is_line & (e_src <= 10), 0.2)]
    strata = [(mask, share) for mask, share in strata if w_src[mask].sum() > 0]
    shares = np.array([share for _, share in strata])
    counts = rng.multinomial(n, shares / shares.sum())
    e_list, wt_list = [], []
    for (mask, share), m in zip(strata, counts):
        idx = np.nonzero(mask)[0]
        p = w_src[idx] / w_src[idx].sum()
        pick = idx[rng.choice(idx.size, size=m, p=p)]
        e = e_src[pick] + (rng.random(m) - 0.5) * width[pick]
        e_list.append(e)
        wt_list.append(np.full(m, (w_src[idx].sum() / total) * n / max(m, 1)))
    e = np.concatenate(e_list)
    w0 = np.concatenate(wt_list)
    line = np.concatenate([np.full(m, bool(is_line[mask].any())) for (mask, _), m in zip(strata, counts)])
    ka_src = line & (e >= KA_RANGE_KEV[0]) & (e <= KA_RANGE_KEV[1])
    s1, c1 = math.sin(math.radians(psi1_deg)), math.cos(math.radians(psi1_deg))
    s2, c2 = math.sin(math.radians(psi2_deg)), math.cos(math.radians(psi2_deg))
    det = np.array([c2, 0.0, -s2])
    d = np.tile(np.array([c1, 0.0, s1]), (e.size, 1))
    origin = line.astype(np.int64)
    w = w0.copy()
    pure_ray = np.ones(e.size, dtype=bool)
    mu = mat.fine(mat.mu, e)
    z = -np.log(rng.random(e.size)) / mu * s1
    for order in range(1, max_order + 1):
        if e.size == 0:
            break
        o = min(order, 3) - 1
        mu = mat.fine(mat.mu, e)
        sr = mat.fine(mat.sig_r, e)
        sc = mat.fine(mat.sig_c, e)
        # Forced detection.
        cos_det = np.clip(d @ det, -1, 1)
        th_det = np.arccos(cos_det)
        e_c = compton_energy(e, cos_det)
        ray = w * mat.dcs_at(0, e, th_det) / mu * np.exp(-mu * z / s2)
        com = w * mat.dcs_at(1, e, th_det) / mu * np.exp(-mat.fine(mat.mu, e_c) * z / s2)
        for orig in (0, 1):
            sel = origin == orig
            hist[orig, o] += np.bincount(bin_of(e[sel]), weights=ray[sel], minlength=N_BINS)
            hist[orig, o] += np.bincount(bin_of(e_c[sel]), weights=com[sel], minlength=N_BINS)
        chain = ka_src & pure_ray
        if order == 1:
            ka[0] += ray[chain].sum()
            ka[1] += com[chain].sum()
        else:
            ka[2 if order == 2 else 3] += ray[chain].sum()
        # Survive (weight), choose the interaction, scatter.
        w = w * (sr + sc) / mu
        is_c = rng.random(e.size) * (sr + sc) < sc
        theta = np.where(is_c, mat.sample_theta(1, e, rng), mat.sample_theta(0, e, rng))
        cos_t = np.cos(theta)
        e = np.where(is_c, compton_energy(e, cos_t), e)
        pure_ray &= ~is_c
        d = rotate(d, cos_t, 2 * math.pi * rng.random(e.size))
        z = z + (-np.log(rng.random(e.size)) / mat.fine(mat.mu, e)) * d[:, 2]
        keep = z > 0
        # Russian roulette on the weight relative to the start.
        low = w < 0.01 * w0
        survive = rng.random(e.size) < 0.1
        w = np.where(low & survive, w * 10, w)
        keep &= ~low | survive
        e, d, z, w, w0, origin, pure_ray, ka_src = (
            a[keep] for a in (e, d, z, w, w0, origin, pure_ray, ka_src)
        )
    return {"hist": hist * total / n, "ka": ka * total / n}


def simulate(
    compounds: dict[str, float],
    src: dict,
    histories: int,
    batches: int,
    seed: int,
    psi1_deg: float,
    psi2_deg: float,
    batch_size: int = 200_000,
) -> dict:
    mat = Material(element_fractions(compounds))
    rng = np.random.default_rng(seed)
    per = histories // batches
    results = []
    for _ in range(batches):
        acc = {"hist": 0.0, "ka": 0.0}
        done = 0
        while done < per:
            m = min(batch_size, per - done)
            r = run_batch(mat, src, m, psi1_deg, psi2_deg, rng)
            acc["hist"] = acc["hist"] + r["hist"] * m
            acc["ka"] = acc["ka"] + r["ka"] * m
            done += m
        results.append({k: v / per for k, v in acc.items()})
    hist = np.array([r["hist"] for r in results])
    ka = np.array([r["ka"] for r in results])
    sem = lambda a: a.std(axis=0, ddof=1) / math.sqrt(batches)  # noqa: E731
    return {"hist": hist.mean(0), "histErr": sem(hist), "ka": ka.mean(0), "kaErr": sem(ka)}


def load_source(path: Path = EXCITATION) -> tuple[dict, float, float]:
    doc = json.loads(path.read_text())
    src = {
        "e": np.array(doc["energyKeV"], dtype=float),
        "n": np.array(doc["photonsPerS"], dtype=float),
        "line": np.array(doc["isLine"], dtype=bool),
        "w": np.array(doc["binWidthKeV"], dtype=float),
    }
    return src, float(doc["incidenceDeg"]), float(doc["exitDeg"])


def sig(x: np.ndarray, digits: int = 5) -> list[float]:
    return [float(f"{v:.{digits}g}") for v in np.asarray(x).ravel()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--histories", type=int, default=2_000_000)
    ap.add_argument("--batches", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--samples", nargs="*", default=list(SAMPLES))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--incidence-deg", type=float, help="instead of the excitation file's")
    ap.add_argument("--exit-deg", type=float, help="instead of the excitation file's")
    args = ap.parse_args()
    src, psi1, psi2 = load_source()
    psi1 = args.incidence_deg if args.incidence_deg is not None else psi1
    psi2 = args.exit_deg if args.exit_deg is not None else psi2
    doc: dict = {
        "description": (
            "Scatter background of thick samples from an independent photon Monte Carlo "
            "(training/reference/scatter_mc.py): counts per second per sr of detector solid "
            "angle, no detector efficiency or response, on 0.05 keV bins (lower edge of bin i: "
            "0.05 i - 0.005 keV); hist[origin][order][bin], origin 0 = tube continuum, 1 = tube "
            "lines; order 1, 2, >= 3; *Err = standard error of the batch means. ka = Rh K-alpha: "
            "order-1 Rayleigh, order-1 Compton, pure-Rayleigh chains of order 2 and >= 3."
        ),
        "command": "nice -n 10 training/.venv/bin/python -m training.reference.scatter_mc "
        + f"--histories {args.histories} --batches {args.batches} --seed {args.seed} "
        + f"--incidence-deg {psi1:g} --exit-deg {psi2:g} --samples {' '.join(args.samples)} "
        + f"--out {args.out.resolve().relative_to(ROOT)}",
        "histories": args.histories,
        "batches": args.batches,
        "seed": args.seed,
        "incidenceDeg": psi1,
        "exitDeg": psi2,
        "binKeV": BIN_KEV,
        "firstEdgeKeV": EDGE_OFFSET_KEV,
        "samples": {},
    }
    for k, name in enumerate(args.samples):
        r = simulate(SAMPLES[name], src, args.histories, args.batches, args.seed + k, psi1, psi2)
        doc["samples"][name] = {
            "composition": SAMPLES[name],
            "hist": [[sig(r["hist"][o, n]) for n in range(3)] for o in range(2)],
            "histErr": [[sig(r["histErr"][o, n], 3) for n in range(3)] for o in range(2)],
            "ka": sig(r["ka"]),
            "kaErr": sig(r["kaErr"], 3),
        }
        print(name, "ka", r["ka"], "+-", r["kaErr"], flush=True)
    args.out.write_text(json.dumps(doc) + "\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
