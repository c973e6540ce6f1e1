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
import type { MxrfSpectrum } from './mxrfSimulator.js';
import { rebinChannels } from './rebin.js';

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
  const n = rebinTo.nChannels;
  const phi0 = new Float64Array(n);
  const wIn = new Float64Array(n);
  const muOut = new Float64Array(n);
  const ones = new Float64Array(n);
  const tmp = new Float64Array(n0);
  rebinChannels(spectrum.counts, spectrum.calibration, rebinTo, phi0);
  for (let c = 0; c < n0; c++) tmp[c] = spectrum.counts[c] * spectrum.muInCm2PerG[c];
  rebinChannels(tmp, spectrum.calibration, rebinTo, wIn);
  rebinChannels(spectrum.muOutCm2PerG, spectrum.calibration, rebinTo, muOut);
  tmp.fill(1);
  rebinChannels(tmp, spectrum.calibration, rebinTo, ones);
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
 * spectrum (physics.md §4; counts in the units of the spectrum, i.e. per live time).
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
  /** Effective excitation energy for μ_in of every channel (keV). @default 17 */
  excitationKeV?: number;
  /** @default 50 */
  incidenceDeg?: number;
  /** @default 50 */
  exitDeg?: number;
}

/**
 * Confocal transform of an external bulk spectrum (the original work's path: an XMI-MSIM
 * spectrum as Φ0). Without per-line information, μ_in is taken at one effective excitation
 * energy for all channels: μ_lin(E) = ρ (μ(E_exc)/sin ψ1 + μ(E)/sin ψ2).
 * @throws {@link InvalidArgumentError} for counts in channels below 0.1 keV (no attenuation data)
 *   or invalid sample parameters.
 */
export function confocalProfileFromBulkSpectrum<
  T extends Float32Array | Float64Array = Float32Array,
>(
  spectrum: BulkSpectrumInput,
  setup: ConfocalSetup,
  x0Um: number,
  options: BulkTransformOptions<T>,
): ConfocalDepthProfile<T> {
  const rho = requireFinite('densityGPerCm3', options.densityGPerCm3, {
    min: 0,
    exclusiveMin: true,
  });
  const eExc = requireFinite('excitationKeV', options.excitationKeV ?? 17, { min: 0.1 });
  const s1 = Math.sin(((options.incidenceDeg ?? 50) * Math.PI) / 180);
  const s2 = Math.sin(((options.exitDeg ?? 50) * Math.PI) / 180);
  const cal = spectrum.calibration;
  const n = cal.nChannels;
  if (spectrum.counts.length !== n) {
    throw new InvalidArgumentError(
      `spectrum has ${spectrum.counts.length} channels, calibration says ${n}.`,
    );
  }
  const material = resolveMaterial(options.composition);
  const muIn = massAttenuation(material, eExc);
  const first = (() => {
    let c = 0;
    while (c < n && cal.offsetKeV + cal.gainKeVPerChannel * c < 0.1) {
      if (spectrum.counts[c] !== 0) {
        throw new InvalidArgumentError(
          `spectrum channel ${c} (${(cal.offsetKeV + cal.gainKeVPerChannel * c).toFixed(3)} keV) has counts but lies below 0.1 keV, where no attenuation data exist.`,
        );
      }
      c++;
    }
    return c;
  })();
  const energies = new Float64Array(n - first);
  for (let c = first; c < n; c++) energies[c - first] = cal.offsetKeV + cal.gainKeVPerChannel * c;
  const muOut = massAttenuationGrid(material, energies);
  const mu = new Float64Array(n);
  for (let c = first; c < n; c++) mu[c] = rho * (muIn / s1 + muOut[c - first] / s2) * CM_PER_UM;
  return confocalDepthProfile<T>(
    { phi0: spectrum.counts, muLinPerUm: mu, calibration: cal },
    setup,
    x0Um,
    {
      liveTimeS: spectrum.liveTimeS,
      ...options,
    },
  );
}
