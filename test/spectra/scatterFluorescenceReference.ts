/**
 * Test helpers: a brute-force evaluation of the fluorescence excited by singly scattered
 * photons written independently of the simulator's direction bins and tables:
 * a monochromatic beam enters a semi-infinite sample at ψ1; every direction (u, φ) on a fine grid
 * gets its own scattering angle θ, point values of the differential cross sections
 * (`rayleighDifferentialCm2PerGPerSr`, `comptonDifferentialCm2PerGPerSr`), its own Compton
 * energy E′(θ), τ_shell(E′) and μ(E′); the depth of the scatter event is integrated by
 * Gauss–Legendre quadrature and the path of the scattered photon in closed form (itself checked
 * against a two-dimensional numerical integral below).
 *
 *   V = ∫ dz e^(−a z) ∫ dΩ Σ_{R,C} (dσ/dΩ)(E, θ) τ(E′) ∫ dt e^(−μ′ t) e^(−b (z + u t)),
 *
 * with a = μ(E)/sin ψ1 and b = μ(E_line)/sin ψ2, the path t running to the surface for photons
 * going out (u < 0).
 */
import {
  comptonDifferentialCm2PerGPerSr,
  comptonEnergyKeV,
  createEnergyGrid,
  crossSectionOnGrid,
  elementData,
  massAttenuation,
  photoCrossSection,
  rayleighDifferentialCm2PerGPerSr,
  shellVacancyFraction,
  type ResolvedMaterial,
} from '../../src/physics/index.js';
import type { Excitation } from '../../src/spectra/excitation.js';
import { prepareElement, prepareLineGrid } from '../../src/spectra/primaryFluorescence.js';
import { prepareSecondOrder, scatterExcitedFluorescence } from '../../src/spectra/scatter.js';

const DEG = Math.PI / 180;

/** A discrete excitation (monochromatic lines only) in the simulator's internal form. */
export function discreteExcitation(energyKeV: number[], photons: number[]): Excitation {
  const e = Float64Array.from(energyKeV);
  const grid = createEnergyGrid(e);
  const compton = e.map((x) => comptonEnergyKeV(x, 90));
  return {
    energyKeV: e,
    photonsPerS: Float64Array.from(photons),
    isLine: new Uint8Array(e.length).fill(1),
    binWidthKeV: new Float64Array(e.length),
    grid,
    coarseEnergyKeV: e,
    coarseGrid: grid,
    coarseOf: Int32Array.from(e, (_, i) => i),
    coarsePhotonsPerS: Float64Array.from(photons),
    coarseLoKeV: e,
    coarseHiKeV: e,
    coarseComptonKeV: compton,
    coarseComptonGrid: createEnergyGrid(compton),
  };
}

/**
 * The simulator's scatter-excited term for one excitation, per shell of element `z`, in the
 * units of the primary Sherman sum (photons/s · cm²/g).
 */
export function simulatorTerm(
  exc: Excitation,
  material: ResolvedMaterial,
  z: number,
  incidenceDeg: number,
  exitDeg: number,
): Map<string, number> {
  const sin1 = Math.sin(incidenceDeg * DEG);
  const sin2 = Math.sin(exitDeg * DEG);
  const eMax = Math.max(...exc.energyKeV) + 1;
  const lineGrid = prepareLineGrid(1, eMax);
  const so = prepareSecondOrder(
    exc,
    { offsetKeV: 0, gainKeVPerChannel: 0.01, nChannels: 4096 },
    () => 1,
    sin1,
  );
  const p = prepareElement(z, exc, lineGrid, eMax, () => 1);
  const muLines = crossSectionOnGrid(lineGrid.grid, material, 'total');
  const v = scatterExcitedFluorescence(so, exc, material, [{ p }], muLines, sin1, sin2);
  return new Map(p.shells.map((s, i) => [s.shell, v[0][i]]));
}

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on the Legendre recurrence). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = t;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / dp;
      t -= dt;
      if (Math.abs(dt) < 1e-15) break;
    }
    x[i] = t;
    w[i] = 2 / ((1 - t * t) * dp * dp);
  }
  return { x, w };
}

const GL = gaussLegendre(8);
/** Depth segments in units of the integrand's decay length. */
const Z_SEGMENTS = [0, 0.25, 0.75, 1.75, 3.75, 7.75, 15.75, 31.75, 60];

/**
 * ∫₀^∞ dz e^(−a z) ∫ dt e^(−μ t) e^(−b (z + u t)) by Gauss–Legendre in z (segments of the
 * integrand's decay length) and the closed-form path integral: 1/(μ + b u) · e^(−b z) going in;
 * (1 − e^(−(μ − b v) z/v))/(μ − b v) · e^(−b z) going out (v = −u, path to the surface).
 */
export function depthPathIntegral(a: number, b: number, mu: number, u: number): number {
  // Decay length of the integrand in z: 1/(a + b), or 1/(a + μ/v) for a photon going out.
  const scale = 1 / (u > 0 ? a + b : Math.min(a + b, a + mu / -u));
  let sum = 0;
  for (let s = 0; s + 1 < Z_SEGMENTS.length; s++) {
    const lo = Z_SEGMENTS[s] * scale;
    const hi = Z_SEGMENTS[s + 1] * scale;
    for (let i = 0; i < GL.x.length; i++) {
      const z = lo + ((GL.x[i] + 1) / 2) * (hi - lo);
      const dz = (GL.w[i] / 2) * (hi - lo);
      const att = Math.exp(-(a + b) * z);
      let f: number;
      if (u > 0) f = att / (mu + b * u);
      else {
        const v = -u;
        const x = mu - b * v;
        if (Math.abs(x) < 1e-12) f = (att * z) / v;
        else if (x > 0) f = (-Math.expm1((-x * z) / v) / x) * att;
        // x < 0: e^(−(a+b)z)(e^(|x|z/v) − 1)/|x| without overflow.
        else f = (Math.exp(-(a + mu / v) * z) - att) / -x;
      }
      sum += dz * f;
    }
  }
  return sum;
}

/** Everything of the brute-force integrand that depends on the scattering angle alone. */
interface AngleTable {
  n: number;
  ray: Float64Array;
  com: Float64Array;
  tauC: Float64Array;
  muC: Float64Array;
}

function angleTable(
  material: ResolvedMaterial,
  energyKeV: number,
  z: number,
  shell: string,
): AngleTable {
  const n = 3600;
  const ray = new Float64Array(n + 1);
  const com = new Float64Array(n + 1);
  const tauC = new Float64Array(n + 1);
  const muC = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const th = (i / n) * Math.PI;
    ray[i] = rayleighDifferentialCm2PerGPerSr(material, energyKeV, th);
    com[i] = comptonDifferentialCm2PerGPerSr(material, energyKeV, th);
    const ec = comptonEnergyKeV(energyKeV, th / DEG);
    tauC[i] = photoCrossSection(elementData(z).symbol, ec) * shellVacancyFraction(z, shell, ec);
    muC[i] = massAttenuation(material, ec);
  }
  return { n, ray, com, tauC, muC };
}

/**
 * Brute-force V for a monochromatic beam of one photon/s: directions on a fine grid (u = ±t³
 * with `nT` (300) midpoints in t per hemisphere, `nPhi` (240) azimuths), angle-dependent
 * quantities interpolated linearly on a 0.05° table of θ. `polarisation` (0) multiplies the
 * differential cross sections by the factor of a beam linearly polarised to that degree, electric
 * vector in the plane of incidence, relative to the unpolarised ones: Thomson (1 − (k′·e)²)
 * against (1 + cos²θ)/2, Klein–Nishina (P + 1/P − 2 (k′·e)²) against (P + 1/P − sin²θ).
 */
export function bruteForce(
  material: ResolvedMaterial,
  energyKeV: number,
  z: number,
  shell: string,
  incidenceDeg: number,
  exitDeg: number,
  lineKeV: number,
  options: { polarisation?: number; nT?: number; nPhi?: number } = {},
): number {
  const polarisation = options.polarisation ?? 0;
  const sin1 = Math.sin(incidenceDeg * DEG);
  const cos1 = Math.cos(incidenceDeg * DEG);
  const a = massAttenuation(material, energyKeV) / sin1;
  const b = massAttenuation(material, lineKeV) / Math.sin(exitDeg * DEG);
  const tab = angleTable(material, energyKeV, z, shell);
  const tauR =
    photoCrossSection(elementData(z).symbol, energyKeV) * shellVacancyFraction(z, shell, energyKeV);
  const muR = massAttenuation(material, energyKeV);
  // Electric vector: perpendicular to the beam, in the plane of incidence.
  const ex = -sin1;
  const ez = cos1;
  const nT = options.nT ?? 300;
  const nPhi = options.nPhi ?? 240;
  let total = 0;
  for (const sign of [1, -1]) {
    for (let it = 0; it < nT; it++) {
      const t = (it + 0.5) / nT;
      const u = sign * t * t * t;
      const du = (3 * t * t) / nT;
      const s = Math.sqrt(1 - u * u);
      const kR = depthPathIntegral(a, b, muR, u);
      for (let ip = 0; ip < nPhi; ip++) {
        const phi = ((ip + 0.5) / nPhi) * 2 * Math.PI;
        const kx = s * Math.cos(phi);
        const cosT = Math.min(Math.max(cos1 * kx + sin1 * u, -1), 1);
        const th = Math.acos(cosT);
        const f = (th / Math.PI) * tab.n;
        const i0 = Math.min(Math.floor(f), tab.n - 1);
        const g = f - i0;
        const lin = (arr: Float64Array) => arr[i0] + g * (arr[i0 + 1] - arr[i0]);
        let dR = lin(tab.ray);
        let dC = lin(tab.com);
        if (polarisation > 0) {
          const ke = kx * ex + u * ez;
          const sin2T = 1 - cosT * cosT;
          const pr = comptonEnergyKeV(energyKeV, th / DEG) / energyKeV;
          const fR = (1 - ke * ke) / ((1 + cosT * cosT) / 2);
          const fC = (pr + 1 / pr - 2 * ke * ke) / (pr + 1 / pr - sin2T);
          dR *= 1 - polarisation + polarisation * fR;
          dC *= 1 - polarisation + polarisation * fC;
        }
        const dOmega = du * ((2 * Math.PI) / nPhi);
        let v = dR * tauR * kR;
        const tC = lin(tab.tauC);
        if (tC > 0) v += dC * tC * depthPathIntegral(a, b, lin(tab.muC), u);
        total += v * dOmega;
      }
    }
  }
  return total;
}
