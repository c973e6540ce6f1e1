/**
 * Intensity calibration on a reference scan, and quantification with the calibrated scale.
 *
 * Simulated units are the default instrument with the excitation optic's solid angle scaled
 * (× 0.1, × 3): their true sensitivity relative to the model's instrument is that factor, times
 * the ratio of the scan's detection band-pass to the reference band-pass at the reference's
 * lines (both computed here in closed form). The network is the shipped default model.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDepthProfileFromPaths } from '../../src/io/node';
import { loadDefaultQuantifier } from '../../src/model/node';
import type { Quantifier } from '../../src/model/quantifier';
import type { QuantificationResult } from '../../src/model/result';
import { massFractions } from '../../src/physics/material';
import type { ConfocalSetup, DepthProfile } from '../../src/profile';
import {
  calibrateIntensityScale,
  CALIBRATION_REFERENCE_SETUP,
  IntensityCalibrationError,
} from '../../src/refine';
import { createRng } from '../../src/sampling/rng';
import { samplePoisson } from '../../src/sampling/poisson';
import { confocalProfileFromSpectrum } from '../../src/spectra/confocalFromSpectrum';
import { defaultInstrument, type Instrument } from '../../src/spectra/instrument';
import { createMxrfSimulator, type MxrfSimulator } from '../../src/spectra/mxrfSimulator';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SHARED = process.env.CMXRF_SHARED_DIR ?? path.resolve(REPO, '..', 'shared');
const CU_FOIL = path.join(SHARED, 'data/realprofiles/specfit_tuberlin_m4');
const hasCu =
  existsSync(CU_FOIL) && readdirSync(CU_FOIL).some((f) => /^Cu_foil_z[\d.]+\.spx$/.test(f));
if (!hasCu)
  console.warn(`intensity-calibration tests: ${CU_FOIL} not found; the Cu-foil test is skipped`);

/** A scan's setup: band-pass off the reference one (tM 11.5 vs 11 keV, tB 5 vs 5.5 keV). */
const SETUP: ConfocalSetup = {
  tA: 1,
  tB: 5,
  tM: 11.5,
  sigmaMaxUm: 22,
  sigmaExpPerKeV: 0.15,
  sigmaOffUm: 7,
};
const CU = { Cu: 1 };
const STEEL = { Fe: 0.695, Cr: 0.18, Ni: 0.1, Mn: 0.02, Si: 0.005 };
const BRASS = { Cu: 0.6, Zn: 0.37, Pb: 0.03 };
const GLASS = massFractions({
  SiO2: 0.55,
  PbO: 0.118,
  K2O: 0.12,
  Na2O: 0.05,
  CaO: 0.05,
  ZnO: 0.01,
  Al2O3: 0.102,
}) as Record<string, number>;

/** Band-pass T(E) = tA·exp(−(E − tM)²/(2 tB²)). */
const bandPass = (s: ConfocalSetup, eKeV: number): number =>
  s.tA * Math.exp(-0.5 * ((eKeV - s.tM) / s.tB) ** 2);

/** The unit's instrument: the default one with the excitation solid angle × `sensitivity`. */
function unit(sensitivity: number, pileUp = true): Instrument {
  const inst = defaultInstrument();
  inst.excitationOptic.solidAngleSr *= sensitivity;
  if (!pileUp) {
    inst.detector.pulsePairResolutionUs = 0;
    inst.detector.deadTimeUs = 0;
  }
  return inst;
}

/** 40 positions of 5 µm from 0, surface at 30 µm, Poisson counts for `liveTimeS` per step. */
function scan(
  sim: MxrfSimulator,
  composition: Record<string, number>,
  densityGPerCm3: number,
  seed: number,
  liveTimeS = 10,
  setup = SETUP,
): DepthProfile {
  const spectrum = sim.simulate({ composition, densityGPerCm3 });
  const n = 40;
  const depthsUm = Float64Array.from({ length: n }, (_, i) => 5 * i);
  const p = confocalProfileFromSpectrum(spectrum, setup, 30, {
    depthsUm,
    out: new Float64Array(n * spectrum.counts.length),
  });
  const rng = createRng(seed);
  const counts = new Float64Array(p.counts.length);
  for (let i = 0; i < counts.length; i++) counts[i] = samplePoisson(p.counts[i] * liveTimeS, rng);
  return { ...p, counts, liveTimesS: new Float64Array(n).fill(liveTimeS) };
}

describe('calibrateIntensityScale on simulated reference scans', () => {
  let nominal: MxrfSimulator;
  beforeAll(() => {
    nominal = createMxrfSimulator(unit(1, false));
  }, 60_000);

  it.each([0.1, 3])(
    'recovers a sensitivity of × %s from a pure-Cu scan (no pile-up: the scale is linear)',
    (s) => {
      const sim = createMxrfSimulator(unit(s, false));
      // Reference band-pass: k is the sensitivity itself.
      const same = {
        ...SETUP,
        tB: CALIBRATION_REFERENCE_SETUP.tB,
        tM: CALIBRATION_REFERENCE_SETUP.tM,
      };
      const cal = calibrateIntensityScale(
        scan(sim, CU, 8.96, 1, 10, same),
        { composition: CU, densityGPerCm3: 8.96 },
        { simulator: nominal },
      );
      expect(cal.intensityScale / s - 1).toBeGreaterThan(-0.02);
      expect(cal.intensityScale / s - 1).toBeLessThan(0.02);
      expect(cal.x0Um).toBeGreaterThan(29);
      expect(cal.x0Um).toBeLessThan(31);
      // Another band-pass: k carries its ratio to the reference one at Cu Kα (8.04 keV) and
      // Kβ (8.905 keV), weighted 0.88 : 0.12.
      const p = scan(sim, CU, 8.96, 2);
      const off = calibrateIntensityScale(
        p,
        { composition: CU, densityGPerCm3: 8.96 },
        { simulator: nominal },
      );
      const ratio = (e: number) => bandPass(SETUP, e) / bandPass(CALIBRATION_REFERENCE_SETUP, e);
      const expected = s * (0.88 * ratio(8.04) + 0.12 * ratio(8.905));
      expect(Math.abs(off.intensityScale / expected - 1)).toBeLessThan(0.03);
      // Counting statistics: a pure scale fitted alone has σ(k)/k = 1/√N (N the counts in the
      // compared window); the other parameters can only widen it.
      let n = 0;
      const e0 = p.calibration.offsetKeV;
      const g = p.calibration.gainKeVPerChannel;
      for (let j = 0; j < p.nSteps; j++)
        for (let c = 0; c < p.nChannels; c++) {
          const e = e0 + g * c;
          if (e >= 2.9 && e < 25.576) n += p.counts[j * p.nChannels + c];
        }
      const relStat = off.intensityScaleSigmaStatistical / off.intensityScale;
      expect(relStat).toBeGreaterThan(0.95 / Math.sqrt(n));
      expect(relStat).toBeLessThan(10 / Math.sqrt(n));
      expect(off.intensityScaleSigma).toBeGreaterThanOrEqual(off.intensityScaleSigmaStatistical);
    },
    120_000,
  );

  it('normalises the tube current the scan states, so that k refers to the instrument current', () => {
    const sim = createMxrfSimulator(unit(0.5, false));
    const p = scan(sim, CU, 8.96, 3);
    const ref = { composition: CU, densityGPerCm3: 8.96 };
    const plain = calibrateIntensityScale(p, ref, { simulator: nominal });
    // The same counts said to be measured at 0.25 mA: 4× the sensitivity per mA.
    const at = { ...p, excitation: { kind: 'x-ray-tube' as const, currentMA: 0.25, fields: [] } };
    const cal = calibrateIntensityScale(at, ref, { simulator: nominal });
    expect(cal.intensityScale / plain.intensityScale).toBeCloseTo(4, 3);
    expect(cal.tubeCurrentRatio).toBe(4);
    expect(cal.warnings.map((w) => w.code)).toContain('tube-current-normalized');
    const off = calibrateIntensityScale(at, ref, {
      simulator: nominal,
      tubeCurrentNormalization: false,
    });
    expect(off.intensityScale / plain.intensityScale).toBeCloseTo(1, 6);
    // A current no X-ray tube runs at (µA written as mA) is not used, exactly as quantify does.
    const implausible = {
      ...p,
      excitation: { kind: 'x-ray-tube' as const, currentMA: 600, fields: [] },
    };
    const odd = calibrateIntensityScale(implausible, ref, { simulator: nominal });
    expect(odd.tubeCurrentRatio).toBe(1);
    expect(odd.intensityScale / plain.intensityScale).toBeCloseTo(1, 6);
    expect(odd.warnings.map((w) => w.code)).toContain('tube-current-not-normalized');
  }, 60_000);

  it('refuses a bad reference or a scan without a surface, with typed errors', () => {
    const p = scan(nominal, CU, 8.96, 4);
    const bad =
      (composition: Record<string, number>, rho = 8.96, profile = p) =>
      () =>
        calibrateIntensityScale(
          profile,
          { composition, densityGPerCm3: rho },
          { simulator: nominal },
        );
    expect(bad({ Xx: 1 })).toThrow(IntensityCalibrationError);
    expect(bad({ Xx: 1 })).toThrow(/composition.*Xx/);
    expect(bad({ Cu: 100 })).toThrow(/Cu is 100: mass fractions are 0\.\.1, not percent/);
    expect(bad({ Cu: 0.7, Zn: 0.5 })).toThrow(/sum to 1\.2/);
    expect(bad({ Cu: -0.1 })).toThrow(/finite number ≥ 0/);
    expect(bad(CU, 0)).toThrow(/density/);
    // A scan that starts inside the sample: the count rate falls from the first position.
    const inside: DepthProfile = {
      ...p,
      nSteps: 30,
      counts: p.counts.slice(10 * p.nChannels),
      depthsUm: p.depthsUm.slice(10),
      liveTimesS: p.liveTimesS.slice(10),
    };
    try {
      bad(CU, 8.96, inside)();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IntensityCalibrationError);
      expect((e as IntensityCalibrationError).problem).toBe('no-surface');
    }
    const flat: DepthProfile = { ...p, counts: new Float64Array(p.counts.length).fill(3) };
    expect(bad(CU, 8.96, flat)).toThrow(/no surface/);
    // A sum below 1 is normalised, with a warning.
    const cal = calibrateIntensityScale(
      p,
      { composition: { Cu: 0.95 }, densityGPerCm3: 8.96 },
      { simulator: nominal },
    );
    expect(cal.warnings.map((w) => w.code)).toContain('composition-normalized');
    expect(cal.reference.composition).toEqual({ Cu: 1 });
  }, 60_000);
});

// ----- Calibrate on one material, quantify another, with the shipped network ------------------

/** Main elements of the quantified materials (reference values) and their densities. */
const SAMPLES: [string, Record<string, number>, number, string[]][] = [
  ['steel', STEEL, 7.9, ['Fe', 'Cr', 'Ni']],
  ['brass', BRASS, 8.5, ['Cu', 'Zn', 'Pb']],
  ['glass', GLASS, 3.1, ['Pb', 'K', 'Ca']],
];
const raw = (r: QuantificationResult, el: string): number =>
  r.elements.find((e) => e.element === el)!.massFractionRaw;
/** Mean relative error over the main elements and the density of every sample. */
function meanError(results: QuantificationResult[], samples = SAMPLES): number {
  let s = 0;
  let n = 0;
  results.forEach((r, i) => {
    const [, comp, rho, els] = samples[i];
    for (const el of els) {
      s += Math.abs(raw(r, el) / comp[el] - 1);
      n++;
    }
    s += Math.abs(r.densityGPerCm3 / rho - 1);
    n++;
  });
  return s / n;
}

describe('quantify with an intensity scale calibrated on another material', () => {
  let q: Quantifier;
  let model: MxrfSimulator;
  /** Seed of a sample's scan: the same Poisson draw on every unit. */
  const seedOf = (c: Record<string, number>): number => 20 + SAMPLES.findIndex(([, x]) => x === c);
  beforeAll(async () => {
    q = await loadDefaultQuantifier();
    model = createMxrfSimulator(unit(1));
  }, 120_000);

  // The calibration must win back at least half of what the wrong sensitivity costs (the
  // network absorbs part of a sensitivity change through its own setup amplitude, so the cost
  // differs between models), and at least 1.5 points of mean error.
  it.each([
    [0.1, 'pure Cu', CU, 8.96],
    [3, 'pure Cu', CU, 8.96],
    [0.1, 'a steel', STEEL, 7.9],
    [3, 'a steel', STEEL, 7.9],
  ] as const)(
    'a unit × %s calibrated on %s: main-element and density errors back near the nominal ones',
    async (s, name, refComp, refRho) => {
      const sim = createMxrfSimulator(unit(s));
      // Measured for 10 s / s: the counts of 10 s on the nominal instrument.
      const lt = 10 / s;
      const cal = calibrateIntensityScale(
        scan(sim, refComp, refRho, 11, lt),
        { composition: refComp, densityGPerCm3: refRho },
        { simulator: model },
      );
      const samples = SAMPLES.filter(([, c]) => c !== refComp);
      const nominal = meanError(
        await q.quantify(samples.map(([, c, rho]) => scan(model, c, rho, seedOf(c)))),
        samples,
      );
      const profiles = samples.map(([, c, rho]) => scan(sim, c, rho, seedOf(c), lt));
      const before = meanError(await q.quantify(profiles), samples);
      const after = meanError(
        await q.quantify(profiles, { intensityScale: cal.intensityScale }),
        samples,
      );
      const pc = (v: number): string => `${(100 * v).toFixed(1)} %`;
      console.log(
        `sensitivity ×${s}, reference ${name}: k = ${cal.intensityScale.toFixed(4)} ± ` +
          `${cal.intensityScaleSigma.toFixed(4)}; mean |relative error| of the main elements and ` +
          `density of ${samples.map(([n]) => n).join(', ')}: nominal instrument ${pc(nominal)}, ` +
          `uncalibrated ${pc(before)}, calibrated ${pc(after)}`,
      );
      expect(after).toBeLessThan(nominal + 0.07);
      expect(before - after).toBeGreaterThan(Math.max(0.5 * (before - nominal), 0.015));
    },
    180_000,
  );
});

describe.skipIf(!hasCu)('the real M4 Tornado Cu-foil scan', () => {
  it(
    'self-consistency: calibrating on the scan, then quantifying the same scan, gives Cu as the ' +
      'main element and a density nearer 8.96 g/cm³ than without calibration',
    async () => {
      const p = await readDepthProfileFromPaths(path.join(CU_FOIL, 'Cu_foil_z*.spx'));
      const cal = calibrateIntensityScale(p, { composition: CU, densityGPerCm3: 8.96 });
      console.log(
        `Cu foil: k = ${cal.intensityScale.toFixed(4)} ± ${cal.intensityScaleSigma.toFixed(4)} ` +
          `(statistical ${cal.intensityScaleSigmaStatistical.toFixed(5)}), at ${cal.modelCurrentMA} mA ` +
          `(scan at ${cal.fileCurrentMA} mA), deviance ratio ${cal.devianceRatio.toFixed(1)}`,
      );
      expect(Number.isFinite(cal.intensityScale)).toBe(true);
      expect(cal.intensityScale).toBeGreaterThan(0.05);
      expect(cal.intensityScale).toBeLessThan(1);
      expect(cal.intensityScaleSigma).toBeGreaterThan(0);
      expect(cal.intensityScaleSigma / cal.intensityScale).toBeLessThan(0.1);
      expect(cal.fileCurrentMA).toBe(0.6);
      // The surface lies between the first and last positions (127505–127575 µm).
      expect(cal.x0Um).toBeGreaterThan(127505);
      expect(cal.x0Um).toBeLessThan(127575);
      const q = await loadDefaultQuantifier();
      const before = await q.quantify(p, { tubeCurrentNormalization: false });
      const after = await q.quantify(p, { intensityScale: cal.intensityScale });
      console.log(
        `Cu foil: without calibration Cu ${(100 * raw(before, 'Cu')).toFixed(1)} wt%, ρ ${before.densityGPerCm3.toFixed(2)}; ` +
          `calibrated Cu ${(100 * raw(after, 'Cu')).toFixed(1)} wt%, ρ ${after.densityGPerCm3.toFixed(2)} g/cm³`,
      );
      const top = [...after.elements].sort((a, b) => b.massFraction - a.massFraction)[0];
      expect(top.element).toBe('Cu');
      expect(Math.abs(after.densityGPerCm3 - 8.96)).toBeLessThan(
        Math.abs(before.densityGPerCm3 - 8.96),
      );
      expect(raw(after, 'Cu')).toBeGreaterThan(raw(before, 'Cu'));
      expect(after.warnings.map((w) => w.code)).toEqual(
        expect.arrayContaining(['tube-current-normalized', 'intensity-scaled']),
      );
    },
    120_000,
  );
});
