/**
 * FP refinement: parameter recovery on noise-free simulated profiles (the generating parameters
 * are the reference), 1/√N scaling of the Fisher uncertainties, the analytic Jacobian against
 * finite differences of the library's transform, misfit flags and typed errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import type { QuantificationResult } from '../../src/model/result';
import { PREDICTED_ELEMENTS } from '../../src/predictedElements';
import type { ConfocalSetup, DepthProfile } from '../../src/profile';
import {
  DEFAULT_FIT_DETECTOR,
  DEFAULT_FIT_INSTRUMENT,
  DEFAULT_HELD_DENSITY_RELATIVE_SIGMA,
  DEFAULT_MATRIX_RELATIVE_SIGMA,
  DEFAULT_SURFACE_STATISTICAL_SIGMA_SCALE,
  DEFAULT_SURFACE_SYSTEMATIC_SIGMA_UM,
  DEFAULT_SYSTEMATIC_ABSOLUTE_SIGMA,
  DEFAULT_SYSTEMATIC_RELATIVE_SIGMA,
  refine,
  type RefineOptions,
} from '../../src/refine';
import {
  ForwardModel,
  N_GEOMETRY,
  OPTIC_SCALE_KEV,
  opticFromLogCoefficients,
} from '../../src/refine/forward';
import { comparisonGrid } from '../../src/refine/grid';
import { confocalProfileFromSpectrum } from '../../src/spectra/confocalFromSpectrum';
import { createMxrfSimulator, type MxrfSimulator } from '../../src/spectra/mxrfSimulator';
import { resultMeta } from './resultMeta';

const CELLULOSE = { H: 0.062, C: 0.444, O: 0.494 };
const SETUP: ConfocalSetup = {
  tA: 1.1,
  tB: 5,
  tM: 11,
  sigmaMaxUm: 20,
  sigmaExpPerKeV: 0.15,
  sigmaOffUm: 6,
};
const TRUTH: Record<string, number> = { Fe: 0.01, Zn: 0.003, Pb: 0.008 };
const X0_UM = 27;
const RHO = 1.4;

let sim: MxrfSimulator;

/** Noise-free profile: trace elements in cellulose, 24 steps × 5 µm, counts for `liveTimeS`. */
function profileOf(extra: Record<string, number> = {}, liveTimeS = 20): DepthProfile {
  const traces = { ...TRUTH, ...extra };
  let sum = 0;
  for (const v of Object.values(traces)) sum += v;
  const composition: Record<string, number> = { ...traces };
  for (const [el, f] of Object.entries(CELLULOSE)) composition[el] = f * (1 - sum);
  const spectrum = sim.simulate({ composition, densityGPerCm3: RHO });
  const depthsUm = Float64Array.from({ length: 24 }, (_, i) => i * 5);
  const p = confocalProfileFromSpectrum<Float64Array>(spectrum, SETUP, X0_UM, {
    depthsUm,
    out: new Float64Array(24 * spectrum.counts.length),
  });
  for (let i = 0; i < p.counts.length; i++) p.counts[i] *= liveTimeS;
  p.liveTimesS.fill(liveTimeS);
  return p;
}

/** A network-like start: every value off by 10–30 %. */
function startResult(): QuantificationResult {
  return {
    modelId: 'test',
    threshold: 0.5,
    elements: PREDICTED_ELEMENTS.map((element) => {
      const w = TRUTH[element] ?? 0;
      return {
        element,
        massFraction: w * 1.25,
        massFractionRaw: w > 0 ? w * 1.25 : 1e-6,
        presenceProbability: w > 0 ? 0.99 : 0.01,
        detected: w > 0,
      };
    }),
    densityGPerCm3: RHO,
    surfaceUm: X0_UM + 3,
    setup: { tA: 1.3, tB: 5.6, tM: 11.8, sigmaMaxUm: 23, sigmaExpPerKeV: 0.13, sigmaOffUm: 7 },
    ...resultMeta(Float64Array.from({ length: 24 }, (_, i) => i * 5)),
  };
}

const FAST: RefineOptions = {
  energyRangeKeV: [4, 16],
  matrix: CELLULOSE,
  systematicRelativeSigma: 0,
  matrixRelativeSigma: 0,
  systematicAbsoluteSigma: 0,
};

beforeAll(() => {
  sim = createMxrfSimulator();
});

describe('refine', () => {
  it('recovers the generating parameters of a noise-free profile', () => {
    // The default systematic σ terms and an absolute floor of 0.1 wt% (they change the reported
    // σ only, not the fit).
    const r = refine(profileOf(), startResult(), {
      energyRangeKeV: FAST.energyRangeKeV,
      matrix: CELLULOSE,
      simulator: sim,
      systematicAbsoluteSigma: 1e-3,
    });
    expect(r.convergence.converged).toBe(true);
    for (const e of r.elements) expect(e.value / TRUTH[e.element]).toBeCloseTo(1, 2);
    expect(r.surfaceUm.value).toBeCloseTo(X0_UM, 1);
    expect(r.setup.tA.value / SETUP.tA).toBeCloseTo(1, 2);
    expect(r.setup.tM.value).toBeCloseTo(SETUP.tM, 1);
    expect(r.setup.tB.value).toBeCloseTo(SETUP.tB, 1);
    // σ(E) at Fe Kα is what the profile shapes measure.
    const sigma = (s: typeof SETUP) =>
      s.sigmaMaxUm * Math.exp(-s.sigmaExpPerKeV * 6.4) + s.sigmaOffUm;
    const fitted = Object.fromEntries(
      Object.entries(r.setup).map(([k, v]) => [k, v.value]),
    ) as unknown as ConfocalSetup;
    expect(sigma(fitted)).toBeCloseTo(sigma(SETUP), 1);
    // Noise-free data: the deviance at the optimum is far below its noise expectation.
    expect(r.fit.devianceRatio).toBeLessThan(0.01);
    expect(r.fitDescribesData).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.densityGPerCm3.free).toBe(false);
    // The σ constants derived on the calibration set (scripts/calibrate-refine-sigma.ts).
    expect(DEFAULT_SURFACE_SYSTEMATIC_SIGMA_UM).toBe(0.21);
    expect(DEFAULT_SURFACE_STATISTICAL_SIGMA_SCALE).toBe(1.75);
    expect(DEFAULT_SYSTEMATIC_RELATIVE_SIGMA).toBe(0.08);
    expect(DEFAULT_MATRIX_RELATIVE_SIGMA).toBe(0.17);
    expect(DEFAULT_SYSTEMATIC_ABSOLUTE_SIGMA).toBe(4e-4);
    expect(DEFAULT_HELD_DENSITY_RELATIVE_SIGMA).toBe(0.093);
    // The surface σ: 1.75 × Fisher σ (deviance ratio < 1: no inflation) ⊕ the 0.21 µm model error.
    expect(r.surfaceUm.sigmaStatistical).toBeLessThan(0.1);
    expect(r.surfaceUm.sigma).toBeCloseTo(
      Math.hypot(1.75 * r.surfaceUm.sigmaStatistical, 0.21),
      12,
    );
    // Mass fractions: Fisher σ ⊕ (0.08 ⊕ 0.17 · w_matrix) · w ⊕ the 1e-3 floor.
    const wm = r.matrixMassFraction.value;
    expect(wm).toBeGreaterThan(0.9);
    for (const e of r.elements) {
      const eps = Math.hypot(0.08, 0.17 * wm);
      expect(e.sigma).toBeCloseTo(Math.hypot(e.sigmaStatistical, eps * e.value, 1e-3), 12);
      // Here the model terms dominate: ≥ 18 % of the value (0.08 ⊕ 0.17 · 0.97 ≈ 0.183).
      expect(e.sigma / e.value).toBeGreaterThan(0.18);
    }
    // The density is held at the network's value: its σ is the network's error, 9.3 %.
    expect(r.densityGPerCm3.value).toBe(RHO);
    expect(r.densityGPerCm3.sigmaStatistical).toBe(0);
    expect(r.densityGPerCm3.sigma).toBeCloseTo(0.093 * RHO, 12);
    expect(r.residuals.perChannel.length).toBe(r.residuals.energyKeV.length);
    expect(r.residuals.perDepth.length).toBe(24);
  }, 60_000);

  it('Fisher uncertainties shrink as 1/√N with the counts', () => {
    const o = { ...FAST, simulator: sim, free: { setup: false, surface: false } };
    const a = refine(profileOf({}, 5), startResult(), o);
    const b = refine(profileOf({}, 20), startResult(), o);
    for (let k = 0; k < a.elements.length; k++) {
      const ratio = a.elements[k].sigmaStatistical / b.elements[k].sigmaStatistical;
      expect(ratio).toBeGreaterThan(1.9);
      expect(ratio).toBeLessThan(2.1);
    }
  }, 60_000);

  it('flags a profile with an element that is not in the fit', () => {
    const r = refine(profileOf({ Sr: 0.01 }), startResult(), { ...FAST, simulator: sim });
    expect(r.fitDescribesData).toBe(false);
    const peak = r.warnings.find((w) => w.code === 'UNEXPLAINED_PEAK');
    expect(peak?.message).toMatch(/Sr K/);
    expect(r.fit.devianceRatio).toBeGreaterThan(2);
  }, 60_000);

  it('analytic Jacobian matches finite differences of the deviance', () => {
    const p = profileOf();
    const grid = comparisonGrid(p, sim.instrument.calibration, [4, 16], 0.024);
    const els = ['Fe', 'Zn', 'Pb'];
    const model = new ForwardModel(sim, grid, p.depthsUm, p.liveTimesS, els, CELLULOSE, CELLULOSE);
    const theta = Float64Array.from([
      Math.log(0.012 / 0.98), Math.log(0.0025 / 0.98), Math.log(0.009 / 0.98),
      Math.log(1.2), 29, Math.log(1.2), Math.log(5.5), 11.5, 22, 0.14, 6.5, 0, 0.004, 1e-3, 150,
      0.1, -0.2, 0.4,
    ]); // prettier-ignore
    expect(theta.length).toBe(els.length + N_GEOMETRY);
    // All but the matrix mixing (one matrix here); the detector columns are finite differences
    // of the rendered response like the composition ones, the instrument columns (optic centre,
    // log-slope and log-curvature, pulse-pair resolution, off the simulator's values) of derived
    // simulators.
    const free = Array.from({ length: theta.length }, (_, i) => i).filter((i) => i !== 11);
    const simulated = free.filter((i) => model.simulated(i));
    expect(simulated).toEqual([0, 1, 2, 12, 13, 14, 15, 16, 17]);
    const f = new Float64Array(grid.measured.length);
    const half = (t: Float64Array) => {
      const ff = new Float64Array(f.length);
      model.evaluate(t, model.bulk(t), ff);
      let d = 0;
      for (let i = 0; i < ff.length; i++) {
        const m = grid.measured[i];
        d += m > 0 ? m * Math.log(m / ff[i]) - (m - ff[i]) : ff[i];
      }
      return d;
    };
    const bulk = model.bulk(theta);
    model.evaluate(theta, bulk, f);
    const cols = model.compositionColumns(theta, bulk, simulated);
    const { g } = model.accumulate(theta, bulk, f, grid.measured, free, cols);
    free.forEach((i, k) => {
      const h =
        i < 3
          ? 1e-3
          : i >= 12
            ? [0.002, 2e-4, 2, 0.02, 0.02, 0.005][i - 12]
            : 1e-4 * Math.max(1, Math.abs(theta[i]));
      const tp = Float64Array.from(theta);
      const tm = Float64Array.from(theta);
      tp[i] += h;
      tm[i] -= h;
      const numeric = (half(tp) - half(tm)) / (2 * h);
      // Analytic columns to 0.2 %; simulated (composition) columns are one-sided differences.
      const tol = i < 3 || i >= 12 ? 0.02 : 2e-3;
      expect(Math.abs(g[k] - numeric), `parameter ${i}: ${g[k]} vs ${numeric}`).toBeLessThan(
        tol * Math.abs(numeric) + 1e-6,
      );
    });
  }, 60_000);

  it.each([
    { fwhmEv: 168, offsetKeV: 0.02, gainRelative: 0.003 },
    { fwhmEv: 128, offsetKeV: -0.012, gainRelative: -0.002 },
  ])(
    'recovers a detector calibration offset, gain and FWHM ($fwhmEv eV, $offsetKeV keV, $gainRelative)',
    ({ fwhmEv, offsetKeV, gainRelative }) => {
      // The profile comes from a simulator whose detector has another resolution (its whole
      // response: Gaussian, tails, escape peaks), and its energy axis is labelled with a
      // calibration that is off by the offset and gain; the fit uses the 145 eV simulator.
      const detSim = createMxrfSimulator({ detector: { fwhmAtMnKaEv: fwhmEv } });
      const saved = sim;
      sim = detSim;
      const p = profileOf();
      sim = saved;
      const c = p.calibration;
      const labelled: DepthProfile = {
        ...p,
        calibration: {
          ...c,
          offsetKeV: c.offsetKeV * (1 + gainRelative) + offsetKeV,
          gainKeVPerChannel: c.gainKeVPerChannel * (1 + gainRelative),
        },
      };
      // The instrument (optic, pile-up) is exact here and held, to isolate the detector fit.
      const o = {
        ...FAST,
        energyRangeKeV: [4, 16] as [number, number],
        simulator: sim,
        free: { instrument: false },
      };
      const fixed = refine(labelled, startResult(), {
        ...o,
        free: { detector: false, instrument: false },
      });
      // Fitted by default.
      expect(DEFAULT_FIT_DETECTOR).toBe(true);
      const r = refine(labelled, startResult(), o);
      expect(r.convergence.converged).toBe(true);
      expect(r.detector.offsetKeV.free).toBe(true);
      expect(Math.abs(r.detector.offsetKeV.value - offsetKeV)).toBeLessThan(0.002);
      expect(Math.abs(r.detector.gainRelative.value - gainRelative)).toBeLessThan(2e-4);
      expect(Math.abs(r.detector.fwhmAtMnKaEv.value - fwhmEv)).toBeLessThan(2);
      for (const k of ['offsetKeV', 'gainRelative', 'fwhmAtMnKaEv'] as const) {
        expect(r.detector[k].sigmaStatistical).toBeGreaterThan(0);
        expect(r.parameterNames).toContain(`detector ${k}`);
      }
      // Fitting the detector removes the misfit and the bias of the mass fractions.
      expect(r.fit.devianceRatio).toBeLessThan(fixed.fit.devianceRatio / 5);
      for (const e of r.elements)
        expect(Math.abs(e.value / TRUTH[e.element] - 1)).toBeLessThan(0.02);
      // Held: start values, σ 0.
      expect(fixed.detector.offsetKeV).toMatchObject({ value: 0, free: false, sigma: 0 });
      expect(fixed.detector.fwhmAtMnKaEv.value).toBe(145);
    },
    120_000,
  );

  it('recovers the excitation optic band-pass (centre 11 keV, width 12 keV vs 14 / 8)', () => {
    // The profile comes from a simulator prepared from scratch for the other optic; the fit
    // uses the nominal simulator and its derived (reweighted) ones.
    const saved = sim;
    sim = createMxrfSimulator({ excitationOptic: { centreKeV: 11, widthKeV: 12 } });
    const p = profileOf();
    sim = saved;
    const o = { ...FAST, energyRangeKeV: [4, 16] as [number, number], simulator: sim };
    expect(DEFAULT_FIT_INSTRUMENT).toBe(true);
    const held = refine(p, startResult(), { ...o, free: { instrument: false } });
    const r = refine(p, startResult(), o);
    expect(r.convergence.converged).toBe(true);
    expect(r.instrument.opticCentreKeV.free).toBe(true);
    expect(Math.abs(r.instrument.opticCentreKeV.value - 11)).toBeLessThan(0.5);
    expect(Math.abs(r.instrument.opticWidthKeV.value / 12 - 1)).toBeLessThan(0.08);
    expect(r.instrument.opticCentreKeV.sigmaStatistical).toBeGreaterThan(0);
    expect(r.parameterNames).toContain('instrument optic log-slope β1');
    expect(r.fit.devianceRatio).toBeLessThan(held.fit.devianceRatio / 3);
    for (const e of r.elements) expect(Math.abs(e.value / TRUTH[e.element] - 1)).toBeLessThan(0.03);
    // Held: the simulator's values, σ 0.
    expect(held.instrument.opticCentreKeV).toMatchObject({ value: 14, free: false, sigma: 0 });
    expect(held.instrument.opticWidthKeV.value).toBeCloseTo(8, 12);
  }, 120_000);

  it('maps the log band-pass coefficients to the Gaussian they define', () => {
    // ln T′(E) − ln T(E) must equal β1·x + β2·x² + const, x = (E − centre)/s, at every energy.
    const bandLn = (c: number, w: number, e: number) => -((e - c) ** 2) / (2 * w * w);
    for (const [b1, b2] of [
      [0.3, -0.5],
      [-0.8, 0.4],
      [0, 0],
    ]) {
      const o = opticFromLogCoefficients(14, 8, b1, b2);
      const diff = (e: number) => {
        const x = (e - 14) / OPTIC_SCALE_KEV;
        return bandLn(o.centreKeV, o.widthKeV, e) - bandLn(14, 8, e) - (b1 * x + b2 * x * x);
      };
      for (const e of [3, 9, 17, 25, 40]) expect(diff(e) - diff(14)).toBeCloseTo(0, 10);
    }
    expect(opticFromLogCoefficients(14, 8, 0, 0).widthKeV).toBeCloseTo(8, 12);
  });

  describe('typed errors', () => {
    it('names the step and channel of a bad count', () => {
      const p = profileOf();
      p.counts[1 * p.nChannels + 5] = NaN;
      expect(() => refine(p, startResult(), { simulator: sim })).toThrow(InvalidArgumentError);
      expect(() => refine(p, startResult(), { simulator: sim })).toThrow(/step 1, channel 5/);
    });
    it('rejects unknown elements, bad windows and inconsistent shapes', () => {
      const p = profileOf();
      expect(() => refine(p, startResult(), { simulator: sim, elements: ['Xx'] })).toThrow(
        /options\.elements.*"Xx"/,
      );
      expect(() => refine(p, startResult(), { simulator: sim, energyRangeKeV: [45, 60] })).toThrow(
        /fewer than 16 bins/,
      );
      expect(() =>
        refine({ ...p, depthsUm: p.depthsUm.subarray(1) }, startResult(), { simulator: sim }),
      ).toThrow(/profile\.depthsUm/);
      expect(() =>
        refine(p, { ...startResult(), densityGPerCm3: NaN }, { simulator: sim }),
      ).toThrow(/result\.densityGPerCm3/);
      expect(() =>
        refine(p, startResult(), { simulator: sim, surfaceSystematicSigmaUm: -0.1 }),
      ).toThrow(/surfaceSystematicSigmaUm/);
      expect(() =>
        refine(p, startResult(), { simulator: sim, systematicAbsoluteSigma: -1e-4 }),
      ).toThrow(/options\.systematicAbsoluteSigma/);
      expect(() =>
        refine(p, startResult(), { simulator: sim, heldDensityRelativeSigma: NaN }),
      ).toThrow(/options\.heldDensityRelativeSigma/);
      expect(() =>
        refine(p, startResult(), { simulator: sim, surfaceStatisticalSigmaScale: 0.5 }),
      ).toThrow(/options\.surfaceStatisticalSigmaScale/);
      expect(() => refine(p, startResult(), { simulator: sim, maxIterations: 0 })).toThrow(
        /options\.maxIterations/,
      );
    });
  });
});
