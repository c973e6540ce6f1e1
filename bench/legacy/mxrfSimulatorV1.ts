/**
 * FROZEN COPY of the first-generation bulk MXRF simulator (one closure, total-cross-section
 * scatter, exp(−2Rτ) pile-up loss), kept unchanged so that the spectrum benchmark can time the
 * current simulator against it doing the same work. Not part of the package; do not edit.
 *
 * Original description: fundamental-parameter forward model of a bulk (infinitely thick, homogeneous) MXRF spectrum:
 * primary fluorescence of K, L and M lines integrated over the polychromatic excitation,
 * secondary fluorescence (Shiraiwa–Fujino), Rayleigh and Compton scatter of the tube spectrum,
 * and the SDD response (Gaussian + tail + shelf + escape, sum peaks).
 *
 * Model choices (documented approximations):
 * - Excitation: Ebel tube spectrum × polycapillary band-pass × captured solid angle × air.
 * - Scatter uses Elam's *total* coherent/incoherent cross sections with a Thomson-shaped angular
 *   factor: dσ/dΩ(θ) ≈ σ · 3(1 + cos²θ)/(16π); Compton peaks carry a Doppler Gaussian of
 *   `dopplerFraction` · E′ (σ).
 * - Secondary fluorescence: all enhancing lines with radiative rate ≥ 1 % of elements with mass
 *   fraction ≥ `secondaryMinMassFraction`, on an excitation grid coarsened ×16 (exact excitation sums per group); per fluorescing
 *   shell the exit attenuation of its strongest line is used for all its lines.
 * - Per line, the effective incident attenuation for the confocal transform is the
 *   thick-yield-consistent harmonic mean μ_in = sin ψ1 · (Σc_j / Σ c_j/(a_j+b) − b).
 *
 * @see J. Sherman, Spectrochim. Acta 7 (1955) 283, doi:10.1016/0371-1951(55)80041-0
 * @see T. Shiraiwa and N. Fujino, Jpn. J. Appl. Phys. 5 (1966) 886, doi:10.1143/JJAP.5.886
 * @module
 */
import { InvalidArgumentError } from '../../src/errors.js';
import {
  comptonEnergyKeV,
  createEnergyGrid,
  crossSectionOnGrid,
  elementData,
  MAX_Z,
  massAttenuation,
  resolveMaterial,
  shellVacancyFraction,
  type EnergyGrid,
  type Material,
  type ResolvedMaterial,
} from '../../src/physics/index.js';
import type { EnergyCalibration } from '../../src/profile.js';
import {
  addContinuumResponse,
  addPeak,
  createContinuumResponse,
  createDetectorResponse,
  detectorEfficiency,
  type DetectorResponse,
} from '../../src/spectra/detector.js';
import {
  AIR,
  bandPass,
  resolveInstrument,
  type Instrument,
  type InstrumentOverrides,
} from '../../src/spectra/instrument.js';
import { tubeSpectrum } from '../../src/spectra/tube.js';

/** A homogeneous bulk sample. */
export interface BulkSample {
  composition: Material;
  densityGPerCm3: number;
}

/** One emitted line in a simulated spectrum. */
export interface EmittedLine {
  element: string;
  z: number;
  /** IUPAC name. */
  line: string;
  siegbahn: string;
  energyKeV: number;
  /** Detected counts from primary excitation (all response parts: peak, escape, tail, shelf). */
  primaryCounts: number;
  /** Detected counts from secondary fluorescence. */
  secondaryCounts: number;
  /** Effective incident mass attenuation for this line (cm²/g), see module doc. */
  muInCm2PerG: number;
  /** Sample mass attenuation at the line energy (cm²/g). */
  muOutCm2PerG: number;
}

/** Result of {@link simulateMxrfSpectrum}: the Φ0(E) input of the confocal transform. */
export interface MxrfSpectrum {
  /** Channel energies (keV), `offset + gain · ch`. */
  energyKeV: Float64Array;
  /** Expected (noise-free) counts per channel for the live time. */
  counts: Float64Array;
  calibration: EnergyCalibration;
  liveTimeS: number;
  /** Every line with counts > 0, strongest first. */
  lines: EmittedLine[];
  /** Per channel: count-weighted effective incident attenuation (cm²/g). */
  muInCm2PerG: Float64Array;
  /** Per channel: sample attenuation at the channel energy (cm²/g). */
  muOutCm2PerG: Float64Array;
  densityGPerCm3: number;
  incidenceDeg: number;
  exitDeg: number;
  /** Total detected count rate (counts/s) before pile-up. */
  countRatePerS: number;
}

/** Options of the simulator. */
export interface MxrfSimulatorOptions {
  /** Lines below this energy are not simulated (keV). @default 1.0 */
  minLineEnergyKeV?: number;
  /** Lower-level discriminator: channels below record nothing (keV). @default 0.5 */
  lowerLevelKeV?: number;
  /** Secondary fluorescence model. @default 'shiraiwa-fujino' */
  secondaryFluorescence?: 'none' | 'shiraiwa-fujino';
  /**
   * Minimum mass fraction of an enhancing element. An enhancer at mass fraction w changes
   * another element's line by ≲ w·ω/2 (< 0.25 % at the default). @default 5e-3
   */
  secondaryMinMassFraction?: number;
  /** Include Rayleigh/Compton scatter. @default true */
  scatter?: boolean;
  /** Doppler σ of Compton peaks as a fraction of E′. @default 0.01 */
  dopplerFraction?: number;
  /** Number of strongest peaks combined into sum peaks. @default 6 */
  sumPeakLines?: number;
}

interface ShellPrep {
  shell: string;
  /** τ_shell,eff(E) = photo × vacancy fraction on the excitation grid (cm²/g). */
  prodExc: Float64Array;
  /** Σ N0·τ_shell,eff over each group of the coarse secondary grid (photons·cm²/g). */
  prodSec: Float64Array;
  /** First index of the coarse grid with prodSec > 0 (the grid is ascending). */
  secStart: number;
  /** Same at every line energy of the line grid (for secondary absorption of enhancer lines). */
  prodLines: Float64Array;
  edgeKeV: number;
  /** Index of the strongest line of the shell in `lines`. */
  strongest: number;
}

interface LinePrep {
  iupac: string;
  siegbahn: string;
  shell: string;
  shellIndex: number;
  energyKeV: number;
  /** ω_shell · radiative rate */
  omegaP: number;
  radiativeRate: number;
  /** Detector efficiency × air transmission at the line energy. */
  detection: number;
  /** Index into the line grid. */
  gridIndex: number;
}

interface ElementPrep {
  z: number;
  symbol: string;
  lines: LinePrep[];
  shells: ShellPrep[];
}

/** A prepared simulator for one instrument (precomputes everything sample-independent). */
export interface MxrfSimulator {
  readonly instrument: Instrument;
  /** Simulates the bulk spectrum of `sample`. */
  simulate(sample: BulkSample): MxrfSpectrum;
}

const DEG = Math.PI / 180;
/** Continuum bins merged per node of the secondary-fluorescence excitation grid. */
const SECONDARY_GROUP = 16;

function airTransmission(energyKeV: number, pathMm: number): number {
  if (pathMm === 0) return 1;
  return Math.exp(
    -massAttenuation(AIR.massFractions, energyKeV) * AIR.densityGPerCm3 * pathMm * 0.1,
  );
}

/**
 * Prepares a simulator for an instrument (defaults from {@link defaultInstrument} for every
 * field left out). Reuse it for many samples: preparation costs tens of ms, a spectrum ~ms.
 * @throws {@link InvalidArgumentError} for invalid instrument fields.
 */
export function createMxrfSimulatorV1(
  instrumentOverrides: InstrumentOverrides | Instrument = {},
  options: MxrfSimulatorOptions = {},
): MxrfSimulator {
  const inst = resolveInstrument(instrumentOverrides);
  const minLine = options.minLineEnergyKeV ?? 1.0;
  const lld = options.lowerLevelKeV ?? 0.5;
  const doSecondary = (options.secondaryFluorescence ?? 'shiraiwa-fujino') !== 'none';
  const secMinW = options.secondaryMinMassFraction ?? 5e-3;
  const doScatter = options.scatter ?? true;
  const doppler = options.dopplerFraction ?? 0.01;
  const nSum = options.sumPeakLines ?? 6;
  const sin1 = Math.sin(inst.incidenceDeg * DEG);
  const sin2 = Math.sin(inst.exitDeg * DEG);
  const theta = inst.scatterAngleDeg ?? inst.incidenceDeg + inst.exitDeg;
  const cosT = Math.cos(theta * DEG);
  const angular = (3 * (1 + cosT * cosT)) / (16 * Math.PI);
  const cal = inst.calibration;
  const nCh = cal.nChannels;
  const e0 = inst.tube.voltageKV;
  const liveTime = inst.liveTimeS;
  const gFluo = (inst.detector.solidAngleSr / (4 * Math.PI)) * liveTime;
  const gScatter = inst.detector.solidAngleSr * liveTime;

  // --- Excitation: tube × optic × solid angle × current × air, continuum bins + lines, sorted.
  const tube = tubeSpectrum(inst.tube, { minKeV: minLine });
  const excList: { e: number; n: number; line: boolean; w: number }[] = [];
  const scale = inst.tube.currentMA * inst.excitationOptic.solidAngleSr;
  const excFactor = (e: number) =>
    scale * bandPass(inst.excitationOptic, e) * airTransmission(e, inst.airPathInMm);
  for (let i = 0; i < tube.energyKeV.length; i++) {
    const e = tube.energyKeV[i];
    excList.push({
      e,
      n: tube.continuumPerSrPerMA[i] * excFactor(e),
      line: false,
      w: tube.binWidthKeV,
    });
  }
  for (const l of tube.lines)
    excList.push({
      e: l.energyKeV,
      n: l.photonsPerSrPerMA * excFactor(l.energyKeV),
      line: true,
      w: 0,
    });
  excList.sort((a, b) => a.e - b.e);
  const excE = Float64Array.from(excList.map((x) => x.e));
  const excN = Float64Array.from(excList.map((x) => x.n));
  const excIsLine = excList.map((x) => x.line);
  const excW = Float64Array.from(excList.map((x) => x.w));
  const nExc = excE.length;
  const excGrid = createEnergyGrid(excE);

  // Coarse grid for secondary fluorescence: continuum bins merged ×SECONDARY_GROUP, tube lines
  // kept; per element shell the excitation sums Σ N0·τ over each group are exact (edges inside a
  // group are handled), only the attenuation uses the group's mean energy.
  const secOf = new Int32Array(nExc);
  const secEList: number[] = [];
  {
    let accN = 0;
    let accNE = 0;
    let members: number[] = [];
    const flush = () => {
      if (members.length === 0) return;
      const k = secEList.length;
      secEList.push(accN > 0 ? accNE / accN : excE[members[0]]);
      for (const j of members) secOf[j] = k;
      accN = accNE = 0;
      members = [];
    };
    for (let j = 0; j < nExc; j++) {
      if (excIsLine[j]) {
        flush();
        members.push(j);
        accN = excN[j];
        accNE = excN[j] * excE[j];
        flush();
        continue;
      }
      members.push(j);
      accN += excN[j];
      accNE += excN[j] * excE[j];
      if (members.length === SECONDARY_GROUP) flush();
    }
    flush();
  }
  const secE = Float64Array.from(secEList);
  const nSec = secE.length;
  const secGrid = createEnergyGrid(secE);

  // Compton energies of every excitation energy, and their detection factors.
  const compE = excE.map((e) => comptonEnergyKeV(e, theta));
  const compGrid = createEnergyGrid(compE);
  const det = inst.detector;
  const detectionAt = (e: number) =>
    e < 0.1 ? 0 : detectorEfficiency(det, e) * airTransmission(e, inst.airPathOutMm);
  const excDetection = excE.map(detectionAt);
  const compDetection = compE.map(detectionAt);
  const dEprime = new Float64Array(nExc);
  for (let j = 0; j < nExc; j++) {
    const de = 1e-3;
    dEprime[j] =
      (comptonEnergyKeV(excE[j] + de, theta) - comptonEnergyKeV(excE[j] - de, theta)) / (2 * de);
  }

  // Channel grid (μ_out per channel); channels below the discriminator use μ at the discriminator.
  const chE = new Float64Array(nCh);
  const chEval = new Float64Array(nCh);
  for (let c = 0; c < nCh; c++) {
    chE[c] = cal.offsetKeV + cal.gainKeVPerChannel * c;
    chEval[c] = Math.max(chE[c], lld);
  }
  const chGrid = createEnergyGrid(chEval);
  const response: DetectorResponse = createDetectorResponse(det, cal, {
    lowerLevelKeV: lld,
    maxEnergyKeV: Math.max(e0, chE[nCh - 1]) + 1,
  });

  // Line grid: every line (≥ minLine, < E0) of every element, for μ at line energies.
  const lineGridE: number[] = [];
  const lineIndex: number[][] = [];
  for (let z = 1; z <= MAX_Z; z++) {
    const idx: number[] = [];
    for (const l of elementData(z).lines) {
      if (l.energyKeV >= minLine && l.energyKeV < e0) {
        idx.push(lineGridE.length);
        lineGridE.push(l.energyKeV);
      } else idx.push(-1);
    }
    lineIndex[z] = idx;
  }
  const lineGrid = createEnergyGrid(lineGridE);
  const continuumResponse = createContinuumResponse(response, 4);
  // Channel ranges receiving each continuum bin's Rayleigh and Compton scatter (uniform spread).
  const chRange = (lo: number, hi: number): [number, number] => {
    const g = cal.gainKeVPerChannel;
    let a = Math.ceil((lo - cal.offsetKeV) / g - 0.5);
    let b = Math.ceil((hi - cal.offsetKeV) / g - 0.5) - 1;
    if (b < a) a = b = Math.round(((lo + hi) / 2 - cal.offsetKeV) / g);
    a = Math.max(a, 0);
    b = Math.min(b, nCh - 1);
    return [a, b];
  };
  const rayLo = new Int32Array(nExc);
  const rayHi = new Int32Array(nExc);
  const comLo = new Int32Array(nExc);
  const comHi = new Int32Array(nExc);
  for (let j = 0; j < nExc; j++) {
    [rayLo[j], rayHi[j]] = chRange(excE[j] - excW[j] / 2, excE[j] + excW[j] / 2);
    const wc = excW[j] * dEprime[j];
    [comLo[j], comHi[j]] = chRange(compE[j] - wc / 2, compE[j] + wc / 2);
  }
  const nLineGrid = lineGridE.length;

  const prepCache: (ElementPrep | undefined)[] = [];
  const prep = (z: number): ElementPrep => {
    const cached = prepCache[z];
    if (cached) return cached;
    const d = elementData(z);
    const shells: ShellPrep[] = [];
    const lines: LinePrep[] = [];
    const photoExc = excGrid.element(z, 'photo');
    const photoLines = lineGrid.element(z, 'photo');
    d.lines.forEach((l, k) => {
      const gi = lineIndex[z][k];
      if (gi < 0) return;
      const edge = d.edges.find((e) => e.shell === l.shell);
      if (!edge || edge.energyKeV >= e0) return;
      let si = shells.findIndex((s) => s.shell === l.shell);
      if (si < 0) {
        const fill = (grid: EnergyGrid, photo: Float64Array) => {
          const out = new Float64Array(photo.length);
          let lastE = NaN;
          let v = 0;
          for (let j = 0; j < out.length; j++) {
            const e = grid.energyKeV[j];
            if (e !== lastE) v = shellVacancyFraction(z, l.shell, e);
            lastE = e;
            out[j] = photo[j] * v;
          }
          return out;
        };
        shells.push({
          shell: l.shell,
          prodExc: fill(excGrid, photoExc),
          prodSec: new Float64Array(0),
          secStart: 0,
          prodLines: fill(lineGrid, photoLines),
          edgeKeV: edge.energyKeV,
          strongest: lines.length,
        });
        si = shells.length - 1;
      }
      const lp: LinePrep = {
        iupac: l.iupac,
        siegbahn: l.siegbahn,
        shell: l.shell,
        shellIndex: si,
        energyKeV: l.energyKeV,
        omegaP: edge.fluorescenceYield * l.radiativeRate,
        radiativeRate: l.radiativeRate,
        detection: detectionAt(l.energyKeV),
        gridIndex: gi,
      };
      if (lp.omegaP <= 0) return;
      lines.push(lp);
      const s = shells[si];
      if (
        lines[s.strongest].shell !== l.shell ||
        lp.radiativeRate > lines[s.strongest].radiativeRate
      ) {
        s.strongest = lines.length - 1;
      }
    });
    for (const sh of shells) {
      sh.prodSec = new Float64Array(nSec);
      for (let j = 0; j < nExc; j++) sh.prodSec[secOf[j]] += excN[j] * sh.prodExc[j];
      let k = 0;
      while (k < sh.prodSec.length && sh.prodSec[k] === 0) k++;
      sh.secStart = k;
    }
    const p: ElementPrep = { z, symbol: d.symbol, lines, shells };
    prepCache[z] = p;
    return p;
  };

  // Scratch buffers (owned by this simulator).
  const mu0 = new Float64Array(nExc);
  const aExc = new Float64Array(nExc);
  const muSec = new Float64Array(nSec);
  const aSec = new Float64Array(nSec);
  const muLines = new Float64Array(nLineGrid);
  const muComp = new Float64Array(nExc);
  const coh = new Float64Array(nExc);
  const inc = new Float64Array(nExc);
  const scratch = new Float64Array(nCh + 1);

  const simulate = (sample: BulkSample): MxrfSpectrum => {
    const rho = sample?.densityGPerCm3;
    if (typeof rho !== 'number' || !Number.isFinite(rho) || rho <= 0) {
      throw new InvalidArgumentError(
        `sample.densityGPerCm3 must be a finite positive number. Value: \`${String(rho)}\`.`,
      );
    }
    const m: ResolvedMaterial = resolveMaterial(sample.composition);
    crossSectionOnGrid(excGrid, m, 'total', mu0);
    for (let j = 0; j < nExc; j++) aExc[j] = mu0[j] / sin1;
    crossSectionOnGrid(lineGrid, m, 'total', muLines);
    const counts = new Float64Array(nCh);
    const weighted = new Float64Array(nCh);
    const shelf = new Float64Array(nCh + 1);
    const shelfW = new Float64Array(nCh + 1);
    const muOut = crossSectionOnGrid(chGrid, m, 'total');

    // Discrete peaks (lines and scatter of tube lines) for the detector and for sum peaks.
    const peakE: number[] = [];
    const peakC: number[] = [];
    const peakMuIn: number[] = [];
    const peakExtraSigma: number[] = [];
    const emitted: EmittedLine[] = [];

    // --- Primary fluorescence.
    const present: { p: ElementPrep; w: number }[] = [];
    for (let k = 0; k < m.z.length; k++) {
      const p = prep(m.z[k]);
      if (p.lines.length > 0) present.push({ p, w: m.massFraction[k] });
    }
    const lineStart: number[] = [];
    for (const { p, w } of present) {
      lineStart.push(emitted.length);
      for (const l of p.lines) {
        const s = p.shells[l.shellIndex];
        const muI = muLines[l.gridIndex];
        const b = muI / sin2;
        let c = 0;
        let y = 0;
        const prod = s.prodExc;
        for (let j = 0; j < nExc; j++) {
          const q = excN[j] * prod[j];
          if (q === 0) continue;
          c += q;
          y += q / (aExc[j] + b);
        }
        const primary = (gFluo / sin1) * w * l.omegaP * y * l.detection || 0;
        const aEff = y > 0 ? c / y - b : 0;
        emitted.push({
          element: p.symbol,
          z: p.z,
          line: l.iupac,
          siegbahn: l.siegbahn,
          energyKeV: l.energyKeV,
          primaryCounts: primary,
          secondaryCounts: 0,
          muInCm2PerG: Math.max(aEff * sin1, 0),
          muOutCm2PerG: muI,
        });
      }
    }

    // --- Secondary fluorescence (Shiraiwa–Fujino), per fluorescing shell.
    if (doSecondary) {
      crossSectionOnGrid(secGrid, m, 'total', muSec);
      for (let k = 0; k < nSec; k++) aSec[k] = muSec[k] / sin1;
      const enhancers: { p: ElementPrep; w: number; l: LinePrep; muJ: number; la: Float64Array }[] =
        [];
      for (const { p, w } of present) {
        if (w < secMinW) continue;
        for (const l of p.lines) {
          if (l.radiativeRate < 0.01) continue;
          const muJ = muLines[l.gridIndex];
          const la = new Float64Array(nSec);
          for (let k = 0; k < nSec; k++) la[k] = Math.log1p(aSec[k] / muJ) / aSec[k];
          enhancers.push({ p, w, l, muJ, la });
        }
      }
      present.forEach(({ p, w }, pi) => {
        for (const s of p.shells) {
          const strongest = p.lines[s.strongest];
          const b = muLines[strongest.gridIndex] / sin2;
          let v = 0;
          for (const en of enhancers) {
            if (en.l.energyKeV <= s.edgeKeV) continue;
            const tauA = s.prodLines[en.l.gridIndex];
            if (tauA === 0) continue;
            const shB = en.p.shells[en.l.shellIndex];
            const prodB = shB.prodSec;
            const lb = Math.log1p(b / en.muJ) / b;
            let sum = 0;
            for (let k = shB.secStart; k < nSec; k++) {
              const q = prodB[k];
              if (q === 0) continue;
              sum += (q * (en.la[k] + lb)) / (aSec[k] + b);
            }
            v += en.w * en.l.omegaP * tauA * 0.5 * sum;
          }
          if (v === 0) continue;
          p.lines.forEach((l, li) => {
            if (l.shellIndex !== p.shells.indexOf(s)) return;
            emitted[lineStart[pi] + li].secondaryCounts =
              (gFluo / sin1) * w * l.omegaP * v * l.detection;
          });
        }
      });
    }
    for (const e of emitted) {
      const total = e.primaryCounts + e.secondaryCounts;
      if (total > 0) {
        peakE.push(e.energyKeV);
        peakC.push(total);
        peakMuIn.push(e.muInCm2PerG);
        peakExtraSigma.push(0);
      }
    }

    // --- Scatter of the excitation (Rayleigh at E, Compton at E′): tube lines as peaks, the
    // continuum as a smooth arrival spectrum (Doppler broadening of the continuum neglected).
    const arrival = new Float64Array(nCh);
    const arrivalW = new Float64Array(nCh);
    let continuumTotal = 0;
    if (doScatter) {
      crossSectionOnGrid(excGrid, m, 'coherent', coh);
      crossSectionOnGrid(excGrid, m, 'incoherent', inc);
      crossSectionOnGrid(compGrid, m, 'total', muComp);
      for (let j = 0; j < nExc; j++) {
        const n0 = excN[j];
        if (n0 === 0) continue;
        const f = (gScatter * angular * n0) / sin1;
        const ray = (f * coh[j] * excDetection[j]) / (aExc[j] + mu0[j] / sin2);
        const com = (f * inc[j] * compDetection[j]) / (aExc[j] + muComp[j] / sin2);
        if (excIsLine[j]) {
          peakE.push(excE[j], compE[j]);
          peakC.push(ray, com);
          peakMuIn.push(mu0[j], mu0[j]);
          peakExtraSigma.push(0, doppler * compE[j]);
        } else {
          continuumTotal += ray + com;
          const spread = (lo: number, hi: number, c: number) => {
            if (!(c > 0) || compE[j] < 0) return;
            const v = c / (hi - lo + 1);
            const vw = v * mu0[j];
            for (let ch = lo; ch <= hi; ch++) {
              arrival[ch] += v;
              arrivalW[ch] += vw;
            }
          };
          if (excE[j] - excW[j] / 2 < chE[nCh - 1]) spread(rayLo[j], rayHi[j], ray);
          if (compE[j] < chE[nCh - 1]) spread(comLo[j], comHi[j], com);
        }
      }
    }

    // --- Pile-up: total rate, parent loss and sum peaks of the strongest peaks.
    let total = 0;
    for (const c of peakC) total += c;
    total += continuumTotal;
    const rate = total / liveTime;
    const tau = det.pulsePairResolutionUs * 1e-6;
    // Poisson arrivals: an event survives un-piled with probability exp(−2Rτ); each pile-up
    // merges two events, so N(1 − keep)/2 sum events, shared among pairs ∝ R_i R_j. Sum peaks are
    // placed for pairs of the strongest peaks; sum events involving the continuum are dropped.
    const keep = tau > 0 ? Math.exp(-2 * rate * tau) : 1;
    if (tau > 0 && nSum > 0 && total > 0) {
      const sumEvents = (total * (1 - keep)) / 2;
      const order = peakC
        .map((_, i) => i)
        .sort((a, b) => peakC[b] - peakC[a])
        .slice(0, nSum);
      for (let x = 0; x < order.length; x++) {
        for (let y = x; y < order.length; y++) {
          const i = order[x];
          const j = order[y];
          const c = ((x === y ? 1 : 2) * peakC[i] * peakC[j] * sumEvents) / (total * total);
          peakE.push(peakE[i] + peakE[j]);
          peakC.push(c / keep); // the response loop multiplies every peak by keep
          peakMuIn.push(0.5 * (peakMuIn[i] + peakMuIn[j]));
          peakExtraSigma.push(0);
        }
      }
    }

    // --- Detector response.
    for (let i = 0; i < peakE.length; i++) {
      addPeak(
        response,
        peakE[i],
        peakC[i] * keep,
        counts,
        weighted,
        peakMuIn[i],
        shelf,
        shelfW,
        peakExtraSigma[i],
      );
    }
    if (continuumTotal > 0) {
      for (let c = 0; c < nCh; c++) {
        arrival[c] *= keep;
        arrivalW[c] *= keep;
      }
      addContinuumResponse(response, continuumResponse, arrival, counts, scratch);
      addContinuumResponse(response, continuumResponse, arrivalW, weighted, scratch);
    }
    let acc = 0;
    let accW = 0;
    const lldCh = Math.ceil((lld - cal.offsetKeV) / cal.gainKeVPerChannel);
    const muIn = new Float64Array(nCh);
    for (let c = 0; c < nCh; c++) {
      acc += shelf[c];
      accW += shelfW[c];
      if (c < lldCh) {
        counts[c] = 0;
        weighted[c] = 0;
      } else {
        counts[c] += acc;
        weighted[c] += accW;
      }
      if (counts[c] < 0) counts[c] = 0; // rounding of the shelf prefix sum only (≥ −1e-12)
      muIn[c] = counts[c] > 0 ? weighted[c] / counts[c] : muOut[c];
    }
    emitted.sort(
      (a, b) => b.primaryCounts + b.secondaryCounts - (a.primaryCounts + a.secondaryCounts),
    );
    return {
      energyKeV: chE.slice(),
      counts,
      calibration: { ...cal },
      liveTimeS: liveTime,
      lines: emitted.filter((e) => e.primaryCounts + e.secondaryCounts > 0),
      muInCm2PerG: muIn,
      muOutCm2PerG: muOut,
      densityGPerCm3: rho,
      incidenceDeg: inst.incidenceDeg,
      exitDeg: inst.exitDeg,
      countRatePerS: rate,
    };
  };
  return { instrument: inst, simulate };
}
