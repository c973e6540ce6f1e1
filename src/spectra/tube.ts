/**
 * X-ray tube spectrum after H. Ebel's model: bremsstrahlung continuum and characteristic K and
 * L lines of the anode, with anode self-absorption for the depth distribution of generation and
 * the Be exit window.
 *
 * Continuum: dN/dE = 1.35e9 · Z · (E0/E − 1)^x · f(χ) · T_Be(E) photons/(s·sr·mA·keV),
 * x = 1.109 − 0.00435 Z + 0.00175 E0; f(χ) = (1 − exp(−2χρz̄)) / (2χρz̄),
 * χ = μ(E) · sin φ / sin ε (φ electron incidence, ε take-off); ρz̄ from Ebel's mass depth of
 * maximum/mean generation and backscatter coefficient η.
 * Lines: N = C_q · (1/S) · R · ω_q · p · f(χ) · T_Be with C_K = 5.0e13, C_L = 6.9e13
 * photons/(s·sr·mA), Ebel's stopping-power factor 1/S (z_K b_K = 2 · 0.35; per L subshell
 * z = 2, 2, 4 with b_L = 0.25) and backscatter factor R; L3 lines include Coster–Kronig
 * transfers from L1/L2 ionisation.
 *
 * @see H. Ebel, X-Ray Spectrom. 28 (1999) 255, doi:10.1002/(SICI)1097-4539(199907/08)28:4<255::AID-XRS347>3.0.CO;2-Y
 * @see H. Ebel, X-Ray Spectrom. 32 (2003) 46, doi:10.1002/xrs.610
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import {
  costerKronig,
  edgeEnergyKeV,
  elementData,
  fluorescenceYield,
  massAttenuation,
  massAttenuationGrid,
} from '../physics/index.js';
import type { XRayTube } from './instrument.js';

/** One characteristic tube line. */
export interface TubeLine {
  /** IUPAC line name. */
  line: string;
  /** Siegbahn name. */
  siegbahn: string;
  energyKeV: number;
  /** Photons/(s·sr·mA) leaving the tube window. */
  photonsPerSrPerMA: number;
}

/** Tube output: continuum on a grid plus discrete lines. */
export interface TubeSpectrum {
  /** Bin centres (keV). */
  energyKeV: Float64Array;
  /** Bin width (keV). */
  binWidthKeV: number;
  /** Continuum photons/(s·sr·mA) per bin, after the Be window. */
  continuumPerSrPerMA: Float64Array;
  /** Characteristic lines of the anode, after the Be window. */
  lines: TubeLine[];
}

const BE_DENSITY_G_PER_CM3 = 1.848;
const UM_PER_CM = 1e4;

function ebelDepth(z: number, a: number, e0: number, u0: number): number {
  const lnZ = Math.log(z);
  const m = 0.1382 - 0.9211 / Math.sqrt(z);
  const c = 0.1904 - 0.2236 * lnZ + 0.1292 * lnZ * lnZ - 0.01491 * lnZ * lnZ * lnZ;
  const eta = Math.pow(e0, m) * c;
  const j = 0.0135 * z;
  const rhoZm = (a / z) * (0.787e-5 * Math.sqrt(j) * Math.pow(e0, 1.5) + 0.735e-6 * e0 * e0);
  const lnU = Math.log(u0);
  return (
    (rhoZm * (0.49269 - 1.0987 * eta + 0.78557 * eta * eta) * lnU) /
    (0.70256 - 1.09865 * eta + 1.0046 * eta * eta + lnU)
  );
}

function absorptionFactor(chiRhoZ: number): number {
  return chiRhoZ < 1e-9 ? 1 : (1 - Math.exp(-2 * chiRhoZ)) / (2 * chiRhoZ);
}

/** Ebel's stopping-power factor 1/S times z_q b_q / Z (without the constant). */
function inverseStopping(z: number, zq: number, bq: number, u0: number, edgeKeV: number): number {
  const j = 0.0135 * z;
  const sU = Math.sqrt(u0);
  const lnU = Math.log(u0);
  const base = u0 * lnU + 1 - u0;
  return (
    ((zq * bq) / z) *
    base *
    (1 + 16.05 * Math.sqrt(j / edgeKeV) * ((sU * lnU + 2 * (1 - sU)) / base))
  );
}

/**
 * Computes the tube spectrum: continuum on bins of `tube.binWidthKeV` from `minKeV` (default
 * 1 keV) to the tube voltage, and the anode's K and L lines.
 * @throws {@link InvalidArgumentError} for an anode without data or an invalid voltage.
 * @example tubeSpectrum({ ...defaultInstrument().tube }).lines.find((l) => l.siegbahn === 'Ka1')
 */
export function tubeSpectrum(tube: XRayTube, options: { minKeV?: number } = {}): TubeSpectrum {
  const minKeV = options.minKeV ?? 1;
  const e0 = tube.voltageKV;
  if (!(e0 > minKeV))
    throw new InvalidArgumentError(`tube.voltageKV must exceed ${minKeV} kV. Value: \`${e0}\`.`);
  const d = elementData(tube.anode);
  const z = d.z;
  const a = d.atomicWeight;
  const geom =
    Math.sin((tube.electronIncidenceDeg * Math.PI) / 180) /
    Math.sin((tube.takeOffDeg * Math.PI) / 180);
  const beCm = tube.beWindowUm / UM_PER_CM;
  const w = tube.binWidthKeV;
  const n = Math.floor((e0 - minKeV) / w);
  const energyKeV = new Float64Array(n);
  for (let i = 0; i < n; i++) energyKeV[i] = minKeV + (i + 0.5) * w;
  const muAnode = massAttenuationGrid(z, energyKeV);
  const muBe = massAttenuationGrid('Be', energyKeV);
  const x = 1.109 - 0.00435 * z + 0.00175 * e0;
  const continuum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = energyKeV[i];
    const rhoZ = ebelDepth(z, a, e0, e0 / e);
    const f = absorptionFactor(muAnode[i] * geom * rhoZ);
    const tBe = Math.exp(-muBe[i] * BE_DENSITY_G_PER_CM3 * beCm);
    continuum[i] = 1.35e9 * z * Math.pow(e0 / e - 1, x) * f * tBe * w;
  }
  const lines: TubeLine[] = [];
  const r = (u0: number) =>
    1 - 0.0081517 * z + 3.613e-5 * z * z + 0.009583 * z * Math.exp(-u0) + 0.001141 * e0;
  const shellTerm = (shell: string, zq: number, bq: number): number => {
    const ek = edgeEnergyKeV(z, shell);
    const u0 = e0 / ek;
    return u0 > 1 ? inverseStopping(z, zq, bq, u0, ek) * r(u0) : 0;
  };
  const hasShell = (s: string) => d.edges.some((e) => e.shell === s);
  const vac: Record<string, number> = {};
  if (hasShell('K')) vac.K = 5.0e13 * shellTerm('K', 2, 0.35);
  if (hasShell('L3')) {
    const s1 = 6.9e13 * shellTerm('L1', 2, 0.25);
    const s2 = 6.9e13 * shellTerm('L2', 2, 0.25) + costerKronig(z, 'f12') * s1;
    vac.L1 = s1;
    vac.L2 = s2;
    vac.L3 =
      6.9e13 * shellTerm('L3', 4, 0.25) + costerKronig(z, 'f13') * s1 + costerKronig(z, 'f23') * s2;
  }
  for (const l of d.lines) {
    const v = vac[l.shell];
    if (!v || l.energyKeV < minKeV || l.energyKeV >= e0) continue;
    const u0 = e0 / edgeEnergyKeV(z, l.shell);
    const rhoZ = ebelDepth(z, a, e0, u0);
    const f = absorptionFactor(massAttenuation(z, l.energyKeV) * geom * rhoZ);
    const tBe = Math.exp(-massAttenuation('Be', l.energyKeV) * BE_DENSITY_G_PER_CM3 * beCm);
    const photons = v * fluorescenceYield(z, l.shell) * l.radiativeRate * f * tBe;
    if (photons > 0) {
      lines.push({
        line: l.iupac,
        siegbahn: l.siegbahn,
        energyKeV: l.energyKeV,
        photonsPerSrPerMA: photons,
      });
    }
  }
  return { energyKeV, binWidthKeV: w, continuumPerSrPerMA: continuum, lines };
}
