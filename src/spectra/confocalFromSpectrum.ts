/**
 * The confocal transform applied to a simulated bulk spectrum: per channel, the effective linear
 * attenuation μ_lin = ρ · (μ_in/sin ψ1 + μ_out/sin ψ2) comes from the spectrum's per-channel
 * incident (count-weighted effective) and exit attenuation.
 *
 * @module
 */
import { InvalidArgumentError, requireFinite } from '../errors.js';
import {
  massAttenuation,
  massAttenuationGrid,
  resolveMaterial,
  type Material,
} from '../physics/index.js';
import type { ConfocalSetup, EnergyCalibration } from '../profile.js';
import {
  confocalDepthProfile,
  type ConfocalDepthProfile,
  type ConfocalDepthProfileOptions,
} from './confocalTransform.js';
import type { InstrumentOverrides } from './instrument.js';
import { createMxrfSimulator, type MxrfSpectrum } from './mxrfSimulator.js';
import { applyEnergyRebin } from '../model/energyRebin.js';
import { rebinPlan } from './rebin.js';

/** cm per µm. */
const CM_PER_UM = 1e-4;

/** Options of {@link confocalProfileFromSpectrum}. */
export interface ConfocalFromSpectrumOptions<
  T extends Float32Array | Float64Array = Float32Array,
> extends ConfocalDepthProfileOptions<T> {
  /**
   * Rebin the spectrum onto this calibration before the transform (e.g. the model grid);
   * μ_in and μ_out are averaged with the counts (μ_out uniformly) over each new channel.
   */
  rebinTo?: EnergyCalibration;
}

/**
 * Per-channel μ_lin (1/µm) of a spectrum, optionally on a rebinned grid.
 * Returns `{ phi0, muLinPerUm, calibration }`.
 */
export function spectrumConfocalChannels(
  spectrum: MxrfSpectrum,
  rebinTo?: EnergyCalibration,
): { phi0: Float64Array; muLinPerUm: Float64Array; calibration: EnergyCalibration } {
  const rho = requireFinite('spectrum.densityGPerCm3', spectrum.densityGPerCm3, {
    min: 0,
    exclusiveMin: true,
  });
  const s1 = Math.sin((spectrum.incidenceDeg * Math.PI) / 180);
  const s2 = Math.sin((spectrum.exitDeg * Math.PI) / 180);
  const n0 = spectrum.counts.length;
  if (!rebinTo) {
    const mu = new Float64Array(n0);
    for (let c = 0; c < n0; c++) {
      mu[c] = rho * (spectrum.muInCm2PerG[c] / s1 + spectrum.muOutCm2PerG[c] / s2) * CM_PER_UM;
    }
    return { phi0: spectrum.counts, muLinPerUm: mu, calibration: spectrum.calibration };
  }
  if (n0 !== spectrum.calibration.nChannels)
    throw new InvalidArgumentError(
      `spectrum.counts has ${n0} channels, spectrum.calibration.nChannels says ` +
        `${spectrum.calibration.nChannels}.`,
    );
  const n = rebinTo.nChannels;
  const phi0 = new Float64Array(n);
  const wIn = new Float64Array(n);
  const muOut = new Float64Array(n);
  const ones = new Float64Array(n);
  const tmp = new Float64Array(n0);
  // One plan for the four arrays (same calibrations).
  const plan = rebinPlan(spectrum.calibration, rebinTo);
  applyEnergyRebin(plan, spectrum.counts, 0, phi0, 0);
  for (let c = 0; c < n0; c++) tmp[c] = spectrum.counts[c] * spectrum.muInCm2PerG[c];
  applyEnergyRebin(plan, tmp, 0, wIn, 0);
  applyEnergyRebin(plan, spectrum.muOutCm2PerG, 0, muOut, 0);
  tmp.fill(1);
  applyEnergyRebin(plan, tmp, 0, ones, 0);
  const mu = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const mOut = ones[k] > 0 ? muOut[k] / ones[k] : 0;
    const mIn = phi0[k] > 0 ? wIn[k] / phi0[k] : mOut;
    mu[k] = rho * (mIn / s1 + mOut / s2) * CM_PER_UM;
  }
  return { phi0, muLinPerUm: mu, calibration: { ...rebinTo } };
}

/**
 * Confocal depth profile Φ(E, x_n) of a homogeneous bulk sample from its simulated MXRF
 * spectrum (docs/physics.md §8; counts in the units of the spectrum, i.e. per live time).
 * @example
 * const s = simulateMxrfSpectrum({ composition: 'Fe', densityGPerCm3: 7.87 });
 * const p = confocalProfileFromSpectrum(s, setup, 30); // 40 × 4096, row-major
 */
export function confocalProfileFromSpectrum<T extends Float32Array | Float64Array = Float32Array>(
  spectrum: MxrfSpectrum,
  setup: ConfocalSetup,
  x0Um: number,
  options: ConfocalFromSpectrumOptions<T> = {},
): ConfocalDepthProfile<T> {
  const ch = spectrumConfocalChannels(spectrum, options.rebinTo);
  return confocalDepthProfile<T>(ch, setup, x0Um, { liveTimeS: spectrum.liveTimeS, ...options });
}

/** A measured or externally simulated bulk spectrum (e.g. XMI-MSIM `.xmso`, EMSA). */
export interface BulkSpectrumInput {
  counts: ArrayLike<number>;
  calibration: EnergyCalibration;
  liveTimeS?: number;
}

/** Sample and geometry for {@link confocalProfileFromBulkSpectrum}. */
export interface BulkTransformOptions<
  T extends Float32Array | Float64Array = Float32Array,
> extends ConfocalDepthProfileOptions<T> {
  composition: Material;
  densityGPerCm3: number;
  /**
   * One effective excitation energy for μ_in of every channel (keV), the simple model. Left
   * out (the default), μ_in comes per line from the excitation spectrum of `instrument`
   * (see {@link confocalProfileFromBulkSpectrum}).
   */
  excitationKeV?: number;
  /** @default 50 */
  incidenceDeg?: number;
  /** @default 50 */
  exitDeg?: number;
  /**
   * Instrument whose excitation spectrum defines the per-line μ_in (tube, optic, air paths);
   * its angles and calibration are taken from this call. @default defaultInstrument()
   */
  instrument?: InstrumentOverrides;
  /** Lower-level discriminator: channels below record nothing and are ignored (keV). @default 0.5 */
  lowerLevelKeV?: number;
}

/** Result of {@link confocalProfileFromBulkSpectrum}: the profile plus notes on the input. */
export type BulkConfocalDepthProfile<T extends Float32Array | Float64Array = Float32Array> =
  ConfocalDepthProfile<T> & {
    /** What was ignored or assumed (e.g. counts below the discriminator). */
    notes: string[];
  };

/**
 * Φ0 and μ_lin per channel of an external bulk spectrum (e.g. an XMI-MSIM `.xmso` spectrum or a
 * measured EMSA file), the inputs of {@link confocalProfileFromBulkSpectrum}.
 *
 * μ_in per channel: by default from a simulation of the sample on `instrument` with the given
 * angles and the spectrum's calibration — each fluorescence line's μ_in is the thick-yield
 * harmonic mean over its own excitation (excitation spectrum × shell photo cross section above
 * the edge), scatter channels use the incident energy, and every channel takes the count-weighted
 * mean of what falls into it. With `excitationKeV`, every channel uses μ at that one energy.
 * μ_lin(E) = ρ (μ_in/sin ψ1 + μ(E)/sin ψ2).
 *
 * Channels below the discriminator (`lowerLevelKeV`, and always below 0.1 keV where no
 * attenuation data exist) are set to zero; a note says how many counts were ignored.
 * @throws {@link InvalidArgumentError} for a channel count that disagrees with the calibration
 *   or invalid sample parameters.
 *
 * @example
 * ```ts
 * import { bulkSpectrumChannels } from 'cmxrf/spectra';
 * // `spectrum`: a measured or externally simulated bulk spectrum (counts + calibration)
 * const { muLinPerUm, notes } = bulkSpectrumChannels(spectrum, {
 *   composition: { SiO2: 0.7, Na2O: 0.2, CaO: 0.1 },
 *   densityGPerCm3: 2.5,
 * });
 * // muLinPerUm[c]: linear attenuation (1/µm) of channel c along both beam paths
 * ```
 */
export function bulkSpectrumChannels(
  spectrum: BulkSpectrumInput,
  options: Omit<BulkTransformOptions<Float64Array>, 'out'>,
): { phi0: Float64Array; muLinPerUm: Float64Array; notes: string[] } {
  const rho = requireFinite('densityGPerCm3', options.densityGPerCm3, {
    min: 0,
    exclusiveMin: true,
  });
  const incidenceDeg = options.incidenceDeg ?? 50;
  const exitDeg = options.exitDeg ?? 50;
  const s1 = Math.sin((incidenceDeg * Math.PI) / 180);
  const s2 = Math.sin((exitDeg * Math.PI) / 180);
  const cal = spectrum.calibration;
  const n = cal.nChannels;
  if (spectrum.counts.length !== n) {
    throw new InvalidArgumentError(
      `spectrum has ${spectrum.counts.length} channels, calibration says ${n}.`,
    );
  }
  const lld = Math.max(requireFinite('lowerLevelKeV', options.lowerLevelKeV ?? 0.5), 0.1);
  const material = resolveMaterial(options.composition);
  const notes: string[] = [];
  // Channels below the discriminator: ignored, with a note.
  let first = 0;
  let ignored = 0;
  while (first < n && cal.offsetKeV + cal.gainKeVPerChannel * first < lld) {
    ignored += Number(spectrum.counts[first]) || 0;
    first++;
  }
  const phi0 = new Float64Array(n);
  for (let c = first; c < n; c++) phi0[c] = spectrum.counts[c];
  if (ignored > 0) {
    notes.push(
      `channels 0–${first - 1} (below ${lld} keV, the discriminator) hold ${ignored.toPrecision(4)} counts; they were ignored (set to 0).`,
    );
  }
  const energies = new Float64Array(n - first);
  for (let c = first; c < n; c++) energies[c - first] = cal.offsetKeV + cal.gainKeVPerChannel * c;
  const muOut = massAttenuationGrid(material, energies);
  const mu = new Float64Array(n);
  if (options.excitationKeV !== undefined) {
    const eExc = requireFinite('excitationKeV', options.excitationKeV, { min: 0.1 });
    const muIn = massAttenuation(material, eExc);
    for (let c = first; c < n; c++) mu[c] = rho * (muIn / s1 + muOut[c - first] / s2) * CM_PER_UM;
    notes.push(`μ_in of every channel at one excitation energy, ${eExc} keV.`);
  } else {
    const inst = options.instrument ?? {};
    const sim = createMxrfSimulator(
      {
        ...inst,
        incidenceDeg,
        exitDeg,
        scatterAngleDeg: inst.scatterAngleDeg ?? incidenceDeg + exitDeg,
        calibration: { ...cal },
      },
      { lowerLevelKeV: lld },
    );
    const sim0 = sim.simulate({ composition: options.composition, densityGPerCm3: rho });
    for (let c = first; c < n; c++) {
      mu[c] = rho * (sim0.muInCm2PerG[c] / s1 + muOut[c - first] / s2) * CM_PER_UM;
    }
    notes.push(
      `μ_in per line from the excitation of a ${sim.instrument.tube.anode} tube at ${sim.instrument.tube.voltageKV} kV (instrument option).`,
    );
  }
  return { phi0, muLinPerUm: mu, notes };
}

/**
 * Confocal transform of an external bulk spectrum (e.g. an XMI-MSIM `.xmso` spectrum or a
 * measured EMSA file used as Φ0); Φ0 and μ_lin per channel from {@link bulkSpectrumChannels}.
 * @throws {@link InvalidArgumentError} for a channel count that disagrees with the calibration
 *   or invalid sample parameters.
 */
export function confocalProfileFromBulkSpectrum<
  T extends Float32Array | Float64Array = Float32Array,
>(
  spectrum: BulkSpectrumInput,
  setup: ConfocalSetup,
  x0Um: number,
  options: BulkTransformOptions<T>,
): BulkConfocalDepthProfile<T> {
  const { phi0, muLinPerUm, notes } = bulkSpectrumChannels(spectrum, options);
  const profile = confocalDepthProfile<T>(
    { phi0, muLinPerUm, calibration: spectrum.calibration },
    setup,
    x0Um,
    {
      liveTimeS: spectrum.liveTimeS,
      ...options,
    },
  );
  return Object.assign(profile, { notes });
}
