/**
 * Assembling a {@link DepthProfile} from a series of spectra (one per scan position).
 *
 * @module
 */
import { CmxrfError, InvalidArgumentError, ParseError } from '../errors';
import type { DepthProfile } from '../profile';
import { mergeExcitation } from './excitation';
import type { ScanAxis, Spectrum } from './types';

/** Relative tolerance on the gain, and tolerance on the offset in channels, between steps. */
const GAIN_REL_TOL = 1e-6;
const OFFSET_CHANNEL_TOL = 1e-3;

/** Builds the error of step `step` (internal: parsers pass a ParseError factory). */
export type StepErrorFactory = (
  step: number,
  field: string,
  expected: string,
  got: string,
) => CmxrfError;

const argumentError: StepErrorFactory = (step, field, expected, got) =>
  new InvalidArgumentError(`spectra[${step}] ${field}: expected ${expected}. Value: \`${got}\`.`);

/** Makes a {@link StepErrorFactory} that throws ParseErrors at the given lines. */
export function parseErrorAt(fileName: string, lines: number[]): StepErrorFactory {
  return (step, field, expected, got) =>
    new ParseError({ file: fileName, line: lines[step], field }, expected, got);
}

/** Scan position (µm) of a spectrum on `axis`, or `undefined`. */
export function stagePositionOn(spectrum: Spectrum, axis: ScanAxis): number | undefined {
  const p = spectrum.stagePositionUm;
  if (p === undefined) return undefined;
  return axis === 'x' ? p.xUm : axis === 'y' ? p.yUm : p.zUm;
}

/** Internal: assemble and validate. */
export function assembleDepthProfile(
  spectra: readonly Spectrum[],
  depthsUm: ArrayLike<number>,
  makeError: StepErrorFactory,
  source?: string,
): DepthProfile {
  if (spectra.length === 0) throw makeError(0, 'spectra', 'at least one spectrum', '0 spectra');
  if (depthsUm.length !== spectra.length) {
    throw makeError(
      0,
      'depthsUm',
      `${spectra.length} scan positions (one per spectrum)`,
      `${depthsUm.length}`,
    );
  }
  const first = spectra[0].calibration;
  const nChannels = first.nChannels;
  const nSteps = spectra.length;
  const counts = new Float64Array(nSteps * nChannels);
  const depths = new Float64Array(nSteps);
  const liveTimesS = new Float64Array(nSteps);
  for (let s = 0; s < nSteps; s++) {
    const sp = spectra[s];
    const cal = sp.calibration;
    if (cal.nChannels !== nChannels || sp.counts.length !== nChannels) {
      throw makeError(
        s,
        'nChannels',
        `${nChannels} channels (as the first spectrum)`,
        `${sp.counts.length}`,
      );
    }
    if (
      Math.abs(cal.gainKeVPerChannel - first.gainKeVPerChannel) >
      GAIN_REL_TOL * first.gainKeVPerChannel
    ) {
      throw makeError(
        s,
        'gainKeVPerChannel',
        `${first.gainKeVPerChannel} keV/channel (as the first spectrum)`,
        `${cal.gainKeVPerChannel}`,
      );
    }
    if (Math.abs(cal.offsetKeV - first.offsetKeV) > OFFSET_CHANNEL_TOL * first.gainKeVPerChannel) {
      throw makeError(
        s,
        'offsetKeV',
        `${first.offsetKeV} keV (as the first spectrum)`,
        `${cal.offsetKeV}`,
      );
    }
    const d = depthsUm[s];
    if (typeof d !== 'number' || !Number.isFinite(d)) {
      throw makeError(s, 'depthUm', 'a finite scan position (µm)', String(d));
    }
    if (s > 0 && !(d > depths[s - 1])) {
      throw makeError(
        s,
        'depthUm',
        `a scan position > ${depths[s - 1]} µm (strictly increasing; set invertAxis for a stage axis pointing out of the sample)`,
        `${d}`,
      );
    }
    if (!(sp.liveTimeS > 0) || !Number.isFinite(sp.liveTimeS)) {
      throw makeError(s, 'liveTimeS', 'a finite live time > 0 s', String(sp.liveTimeS));
    }
    for (let c = 0; c < nChannels; c++) {
      const v = sp.counts[c];
      if (!Number.isFinite(v)) throw makeError(s, `counts[${c}]`, 'finite counts', String(v));
    }
    depths[s] = d;
    liveTimesS[s] = sp.liveTimeS;
    counts.set(sp.counts, s * nChannels);
  }
  const profile: DepthProfile = {
    counts,
    nSteps,
    nChannels,
    depthsUm: depths,
    calibration: { ...first },
    liveTimesS,
  };
  if (source !== undefined) profile.source = source;
  flagNegativeProfileCounts(profile);
  const notes = stepNotes(spectra);
  const excitation = mergeExcitation(spectra.map((sp) => sp.excitation));
  if (excitation.excitation) profile.excitation = excitation.excitation;
  notes.push(...excitation.notes);
  let minLive = Infinity;
  let maxLive = 0;
  for (const t of liveTimesS) {
    minLive = Math.min(minLive, t);
    maxLive = Math.max(maxLive, t);
  }
  if (maxLive > minLive) {
    notes.push(
      `live times differ between steps (${minLive}–${maxLive} s); each step keeps its own ` +
        '(liveTimesS), so counts are compared per second of live time',
    );
  }
  if (notes.length > 0) profile.notes = [...(profile.notes ?? []), ...notes];
  return profile;
}

/** The notes of the spectra: a note shared by every step once, others prefixed by the step. */
function stepNotes(spectra: readonly Spectrum[]): string[] {
  const byNote = new Map<string, number[]>();
  spectra.forEach((sp, s) => {
    for (const n of sp.notes ?? []) {
      // Negative counts are summarised once for the whole profile.
      if (n.endsWith('listed in negativeCountChannels')) continue;
      const steps = byNote.get(n);
      if (steps) steps.push(s);
      else byNote.set(n, [s]);
    }
  });
  const out: string[] = [];
  for (const [note, steps] of byNote) {
    if (steps.length === spectra.length) out.push(note);
    else
      for (const s of steps) out.push(`${spectra[s].source ?? `step ${s}`} (step ${s}): ${note}`);
  }
  return out;
}

/**
 * Sets `negativeCountChannels` (channels negative in any step) and a note on a profile whose
 * counts hold negative values; leaves other profiles unchanged.
 */
export function flagNegativeProfileCounts(profile: DepthProfile): void {
  const { counts, nSteps, nChannels } = profile;
  let flags: Uint8Array | undefined;
  let min = 0;
  for (let s = 0; s < nSteps; s++) {
    const row = s * nChannels;
    for (let c = 0; c < nChannels; c++) {
      const v = counts[row + c];
      if (v < 0) {
        flags ??= new Uint8Array(nChannels);
        flags[c] = 1;
        if (v < min) min = v;
      }
    }
  }
  if (!flags) return;
  const channels: number[] = [];
  flags.forEach((f, c) => {
    if (f) channels.push(c);
  });
  profile.negativeCountChannels = Int32Array.from(channels);
  const { offsetKeV, gainKeVPerChannel } = profile.calibration;
  const e = (c: number): number => Number((offsetKeV + gainKeVPerChannel * c).toPrecision(4));
  const first = channels[0];
  const last = channels[channels.length - 1];
  (profile.notes ??= []).push(
    `${channels.length} channel(s) hold negative counts in at least one step (channels ` +
      `${first}–${last}, ${e(first)}–${e(last)} keV, minimum ${min}); kept as read and listed ` +
      'in negativeCountChannels',
  );
}

/** Options of {@link depthProfileFromSpectra}. */
export interface DepthProfileFromSpectraOptions {
  /**
   * Stage axis used when `depthsUm` is not given.
   * @default 'z'
   */
  scanAxis?: ScanAxis;
  /**
   * Negate the stage positions (stage axis pointing out of the sample).
   * @default false
   */
  invertAxis?: boolean;
  /** Free-form origin stored in `DepthProfile.source`. */
  source?: string;
  /**
   * `'given'`: the spectra are in scan order and their positions must strictly increase;
   * `'position'`: the spectra (with their `depthsUm`, if given) are sorted by position first
   * (equal positions are still an error).
   * @default 'given'
   */
  order?: 'given' | 'position';
}

/**
 * Stacks spectra measured at successive scan positions (e.g. several Bruker `.spx` or EMSA files)
 * into a {@link DepthProfile}. All spectra must share the channel count and the energy
 * calibration (gain within 1e-6 relative, offset within 1e-3 channel); the calibration of
 * the first spectrum is used. Live times may differ (each step keeps its own; a note says so).
 * Negative counts are kept and flagged in `negativeCountChannels`; the spectra's notes are
 * carried over to the profile's `notes`.
 *
 * @param spectra - one spectrum per scan position, in scan order.
 * @param depthsUm - scan positions (µm), strictly increasing; when omitted, the stage positions
 *   of the spectra on `options.scanAxis` are used.
 * @throws {InvalidArgumentError} on empty input, mismatched channels or calibration, missing or
 *   non-increasing positions, invalid counts or live times.
 * @example
 * ```ts
 * const a = parseBrukerSpx(textA, { fileName: 'z000.spx' });
 * const b = parseBrukerSpx(textB, { fileName: 'z005.spx' });
 * const profile = depthProfileFromSpectra([a, b], [0, 5]);
 * // profile.nSteps === 2
 * ```
 */
export function depthProfileFromSpectra(
  spectra: readonly Spectrum[],
  depthsUm?: ArrayLike<number>,
  options: DepthProfileFromSpectraOptions = {},
): DepthProfile {
  if (!Array.isArray(spectra)) {
    throw new InvalidArgumentError(`spectra must be an array. Value: \`${typeof spectra}\`.`);
  }
  let depths: ArrayLike<number>;
  if (depthsUm !== undefined) depths = depthsUm;
  else {
    const axis = options.scanAxis ?? 'z';
    const sign = options.invertAxis ? -1 : 1;
    depths = spectra.map((sp, i) => {
      const p = stagePositionOn(sp, axis);
      if (p === undefined) {
        throw argumentError(
          i,
          `stagePositionUm.${axis}Um`,
          'a stage position (or pass depthsUm)',
          'none',
        );
      }
      return sign * p;
    });
  }
  if (options.order === 'position') {
    const idx = Array.from(spectra, (_, i) => i).sort((a, b) => depths[a] - depths[b]);
    const sortedDepths = idx.map((i) => depths[i]);
    const sorted = idx.map((i) => spectra[i]);
    return assembleDepthProfile(
      sorted,
      sortedDepths,
      (step, field, expected, got) => argumentError(idx[step], field, expected, got),
      options.source,
    );
  }
  return assembleDepthProfile(spectra, depths, argumentError, options.source);
}

/**
 * Internal: scan positions of a parsed series, from `options.depthsUm` or from the stage
 * positions on `options.scanAxis` (negated with `invertAxis`).
 *
 * @throws {InvalidArgumentError} if `depthsUm` has the wrong length.
 * @throws {ParseError} at `lines[i]` naming `fieldOf(axis)` if a spectrum has no position.
 */
export function seriesDepthsUm(
  spectra: readonly Spectrum[],
  lines: number[],
  options: {
    fileName?: string;
    scanAxis?: ScanAxis;
    invertAxis?: boolean;
    depthsUm?: ArrayLike<number>;
  },
  fileName: string,
  fieldOf: (axis: ScanAxis) => { field: string; expected: string },
): ArrayLike<number> {
  if (options.depthsUm !== undefined) {
    if (options.depthsUm.length !== spectra.length) {
      throw new InvalidArgumentError(
        `depthsUm must have one entry per spectrum (${spectra.length}). Value: \`length ${options.depthsUm.length}\`.`,
      );
    }
    return options.depthsUm;
  }
  const axis = options.scanAxis ?? 'z';
  const sign = options.invertAxis ? -1 : 1;
  return spectra.map((sp, i) => {
    const p = stagePositionOn(sp, axis);
    if (p === undefined) {
      const { field, expected } = fieldOf(axis);
      throw new ParseError({ file: fileName, line: lines[i], field }, expected, 'none');
    }
    return sign * p;
  });
}
