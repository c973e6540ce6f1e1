/**
 * Intensity normalisation of measured profiles before the network: the network reads absolute
 * count rates (counts per live second, per step) of the instrument it was trained for, at that
 * instrument's tube current. A measurement taken at another tube current, or on a unit whose
 * solid angles, optic transmission and probing volume differ from the typical-of-class values,
 * is brought onto that scale here:
 *
 *   rate seen by the network = counts / liveTimeS × (modelCurrentMA / fileCurrentMA) / k,
 *
 * with k the unit's intensity scale relative to the model's instrument (measured on a
 * reference material, see `calibrateIntensityScale`). Live-time normalisation is the
 * preprocessing's (counts / live time); the two factors here act on the same rates, as an
 * effective live time `liveTimeS × (fileCurrentMA / modelCurrentMA) × k` (the exposure in
 * units of the model's instrument), so the counts themselves, and every guard that depends on
 * counting statistics, are untouched.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from '../errors';
import type { DepthProfile } from '../profile';
import type { ModelCard } from './card';
import type { QuantifyWarning } from './guards';

/**
 * Codes of the notes the intensity normalisation puts on a result (its `warnings`):
 * - `tube-current-normalized`: the file states a tube current other than the model
 *   instrument's; rates were scaled by model/file current;
 * - `tube-current-not-normalized`: the file states a tube current that differs from the model
 *   instrument's but the normalisation was switched off, or the current is implausible for an
 *   X-ray tube (then it is not used);
 * - `intensity-scaled`: rates were divided by a given intensity scale k.
 */
export type IntensityNormalizationCode =
  'tube-current-normalized' | 'tube-current-not-normalized' | 'intensity-scaled';

/** Tube currents (mA) accepted as an X-ray tube's; outside, a stated current is not used. */
export const PLAUSIBLE_TUBE_CURRENT_MA = { min: 0.001, max: 10 } as const;

/** Options of the intensity normalisation (part of the quantify options). */
export interface IntensityNormalizationOptions {
  /**
   * Intensity scale k of the measuring unit relative to the model's instrument (measured ≈ k ×
   * simulated, at the model's tube current): measured rates are divided by k before the
   * network. From `calibrateIntensityScale` on a reference material. @default 1
   */
  intensityScale?: number;
  /**
   * Scale rates by the model instrument's tube current over the file's, when the file states
   * a tube current and the model card's instrument has one. @default true
   */
  tubeCurrentNormalization?: boolean;
}

/** What the intensity normalisation did to one profile (on a quantification result). */
export interface IntensityNormalization {
  /**
   * Factor applied to the measured rates (counts per live second) before the network:
   * `tubeCurrentRatio / intensityScale`.
   */
  rateFactor: number;
  /** The intensity scale k the rates were divided by (1 when none was given). */
  intensityScale: number;
  /** Model instrument's tube current over the file's (1 when not normalised). */
  tubeCurrentRatio: number;
  /** Tube current the file states (mA), where it states one. */
  fileCurrentMA?: number;
  /** Tube current of the model card's instrument (mA), where the card has one. */
  modelCurrentMA?: number;
}

const fmt = (v: number): string => String(+v.toPrecision(4));

/**
 * Tube current (mA) of the card's instrument, where it states a positive finite one.
 * @example
 * ```ts
 * import { modelTubeCurrentMA } from 'cmxrf/model';
 * modelTubeCurrentMA({ instrument: { schemaVersion: 1, name: 'M4', tube: { currentMA: 1 } } }); // 1
 * modelTubeCurrentMA({}); // undefined
 * ```
 */
export function modelTubeCurrentMA(card: Pick<ModelCard, 'instrument'>): number | undefined {
  const tube = card.instrument?.tube as { currentMA?: unknown } | undefined;
  const v = tube?.currentMA;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Checks an intensity scale k: a finite number > 0.
 * @throws {InvalidArgumentError} naming the value otherwise.
 * @example
 * ```ts
 * import { checkIntensityScale } from 'cmxrf/model';
 * checkIntensityScale(0.31); // 0.31
 * checkIntensityScale(0); // throws InvalidArgumentError
 * ```
 */
export function checkIntensityScale(k: unknown, what = 'intensityScale'): number {
  if (typeof k !== 'number' || !Number.isFinite(k) || !(k > 0))
    throw new InvalidArgumentError(
      `${what} must be a finite number > 0 (measured ≈ k × simulated). Value: \`${describeValue(k)}\`.`,
    );
  return k;
}

/**
 * The tube-current rule shared by `quantify` and the intensity calibration: when the profile
 * states an X-ray tube current (not for electron-beam spectra) that differs from the model
 * instrument's, rates are multiplied by model/file current — unless `enabled` is false or the
 * current lies outside {@link PLAUSIBLE_TUBE_CURRENT_MA} (then a `tube-current-not-normalized`
 * note says why). Returns the factor on the rates, the file's current and the notes.
 *
 * @param modelCurrentMA - Tube current of the model's instrument (mA), if known.
 * @param profile - The profile (its `excitation.currentMA`).
 * @param enabled - Whether to normalise at all.
 * @param effect - How the factor is used, ending the note (e.g. "before the network").
 * @example
 * ```ts
 * import { tubeCurrentNormalization } from 'cmxrf/model';
 * const p = { excitation: { kind: 'x-ray-tube', currentMA: 0.5, fields: [] } } as never;
 * tubeCurrentNormalization(1, p, true, 'before the network').ratio; // 2
 * ```
 */
export function tubeCurrentNormalization(
  modelCurrentMA: number | undefined,
  profile: Pick<DepthProfile, 'excitation'>,
  enabled: boolean,
  effect: string,
): { ratio: number; fileCurrentMA?: number; warnings: QuantifyWarning[] } {
  const warnings: QuantifyWarning[] = [];
  const modelMA = modelCurrentMA;
  const ex = profile.excitation;
  const fileMA =
    ex && ex.kind !== 'electron-beam' && typeof ex.currentMA === 'number'
      ? ex.currentMA
      : undefined;
  let ratio = 1;
  if (fileMA !== undefined && modelMA !== undefined && fileMA !== modelMA) {
    const where = ex?.fields.find((f) => /current|emission/i.test(f));
    const src = where ? ` (${where})` : '';
    const plausible =
      Number.isFinite(fileMA) &&
      fileMA >= PLAUSIBLE_TUBE_CURRENT_MA.min &&
      fileMA <= PLAUSIBLE_TUBE_CURRENT_MA.max;
    if (!plausible)
      warnings.push({
        code: 'tube-current-not-normalized',
        message: `the file states a tube current of ${fmt(fileMA)} mA${src}, outside ${PLAUSIBLE_TUBE_CURRENT_MA.min}–${PLAUSIBLE_TUBE_CURRENT_MA.max} mA for an X-ray tube; it was not used, the rates are taken as measured at the model's ${fmt(modelMA)} mA.`,
      });
    else if (!enabled)
      warnings.push({
        code: 'tube-current-not-normalized',
        message: `the file states a tube current of ${fmt(fileMA)} mA${src}, the model's instrument runs at ${fmt(modelMA)} mA; tube-current normalisation is off, so the rates are taken as measured at ${fmt(modelMA)} mA.`,
      });
    else {
      ratio = modelMA / fileMA;
      warnings.push({
        code: 'tube-current-normalized',
        message: `the file states a tube current of ${fmt(fileMA)} mA${src}, the model's instrument runs at ${fmt(modelMA)} mA: the count rates were multiplied by ${fmt(ratio)} ${effect}.`,
      });
    }
  }
  return fileMA === undefined ? { ratio, warnings } : { ratio, fileCurrentMA: fileMA, warnings };
}

/**
 * The intensity normalisation of one profile: the factor on its rates and the notes that say
 * so. The tube current is used when the file states one (not for electron-beam spectra), the
 * card's instrument has one, they differ, and the option is on; a current outside
 * {@link PLAUSIBLE_TUBE_CURRENT_MA} is not used (a note says why).
 *
 * @param card - The model card (its `instrument.tube.currentMA`).
 * @param profile - The profile (its `excitation.currentMA`).
 * @param options - The intensity scale and the tube-current switch.
 * @throws {InvalidArgumentError} for an intensity scale that is not a finite number > 0.
 * @example
 * ```ts
 * import { intensityNormalization } from 'cmxrf/model';
 * const card = { instrument: { name: 'M4', tube: { currentMA: 1 } } } as never;
 * const p = { excitation: { kind: 'x-ray-tube', currentMA: 0.6, fields: [] } } as never;
 * intensityNormalization(card, p, { intensityScale: 0.2 }).normalization.rateFactor; // 1/0.6/0.2 ≈ 8.33
 * ```
 */
export function intensityNormalization(
  card: Pick<ModelCard, 'instrument'>,
  profile: Pick<DepthProfile, 'excitation'>,
  options: IntensityNormalizationOptions = {},
): { normalization: IntensityNormalization; warnings: QuantifyWarning[] } {
  const k = checkIntensityScale(options.intensityScale ?? 1);
  const modelMA = modelTubeCurrentMA(card);
  const current = tubeCurrentNormalization(
    modelMA,
    profile,
    options.tubeCurrentNormalization ?? true,
    'before the network',
  );
  const warnings: QuantifyWarning[] = current.warnings;
  const ratio = current.ratio;
  const fileMA = current.fileCurrentMA;
  if (k !== 1)
    warnings.push({
      code: 'intensity-scaled',
      message: `the count rates were divided by the intensity scale ${fmt(k)} of the measuring unit relative to the model's instrument (from a reference measurement).`,
    });
  const normalization: IntensityNormalization = {
    rateFactor: ratio / k,
    intensityScale: k,
    tubeCurrentRatio: ratio,
  };
  if (fileMA !== undefined) normalization.fileCurrentMA = fileMA;
  if (modelMA !== undefined) normalization.modelCurrentMA = modelMA;
  return { normalization, warnings };
}

/**
 * The profile as the network should read it: the same counts, with each live time multiplied
 * by `1 / rateFactor` (the exposure in units of the model's instrument), so that
 * counts / live time is the normalised rate. Returns the profile itself when the factor is 1.
 *
 * @param profile - The measured profile.
 * @param rateFactor - Factor on the rates ({@link IntensityNormalization.rateFactor}), > 0.
 * @throws {InvalidArgumentError} for a factor that is not a finite number > 0.
 * @example
 * ```ts
 * import { normalizedExposureProfile } from 'cmxrf/model';
 * normalizedExposureProfile(profile, 2).liveTimesS[0]; // profile.liveTimesS[0] / 2
 * ```
 */
export function normalizedExposureProfile(profile: DepthProfile, rateFactor: number): DepthProfile {
  checkIntensityScale(rateFactor, 'rateFactor');
  const t = profile?.liveTimesS;
  // A malformed profile is left as it is, for the preprocessing's typed error.
  if (rateFactor === 1 || !t || typeof t.length !== 'number') return profile;
  const liveTimesS = new Float64Array(t.length);
  for (let j = 0; j < t.length; j++) liveTimesS[j] = t[j] / rateFactor;
  return { ...profile, liveTimesS };
}

/**
 * Appends to a `live-time-out-of-range` warning of a normalised profile that its live times
 * are effective ones (the measured live times times the exposure factor), which is what the
 * noise level compares with.
 */
export function annotateEffectiveLiveTimes(
  warnings: QuantifyWarning[],
  n: IntensityNormalization,
): void {
  if (n.rateFactor === 1) return;
  for (const w of warnings)
    if (w.code === 'live-time-out-of-range')
      w.message += ` These are effective live times on the model's instrument: the measured live times divided by the intensity normalisation factor ${fmt(n.rateFactor)} (the counts are those measured).`;
}
