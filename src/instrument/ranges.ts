/**
 * Randomization ranges around an instrument description (domain randomization of the training
 * data) and the seeded draw of an instrument from them.
 *
 * @module
 */
import { createRng, uniform, type Rng, type RngSeed } from '../sampling/rng.js';
import type { InstrumentDescription } from './description.js';
import { parseInstrumentDescription } from './description.js';
import { InstrumentDescriptionError, type InstrumentProblem } from './errors.js';
import { fanoLimitEv, formatRange, getPath, numericField, setPath } from './fields.js';

/** Version of the ranges schema. */
export const INSTRUMENT_RANGES_SCHEMA_VERSION = 1;

/**
 * How one numeric field is drawn, uniformly: in `[min, max]`; in nominal ± `plusMinus`; or in
 * nominal × `[scale[0], scale[1]]`.
 */
export type RangeSpec =
  { min: number; max: number } | { plusMinus: number } | { scale: readonly [number, number] };

/** Ranges file (schema version 1). */
export interface InstrumentRanges {
  /** Always {@link INSTRUMENT_RANGES_SCHEMA_VERSION}. */
  schemaVersion: 1;
  /** Free text: why these ranges. */
  description?: string;
  /** Per numeric field of the description (dotted path, e.g. `detector.fwhmAtMnKaEv`). */
  parameters: Record<string, RangeSpec>;
  /**
   * Per-profile error of the energy calibration the spectra are recorded with: the true channel
   * energies are offset + gain · ch, the recorded ones (offset + δoffset) + gain · factor · ch.
   */
  calibrationDrift?: {
    offsetKeV?: readonly [number, number];
    gainFactor?: readonly [number, number];
  };
  /** Consecutive profiles that share one drawn instrument (a simulator per block). @default 1024 */
  blockSize?: number;
}

/** An instrument drawn from ranges. */
export interface DrawnInstrument {
  /** The description with the drawn values. */
  description: InstrumentDescription;
  /** The drawn values by field path. */
  values: Record<string, number>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isPair = (v: unknown): v is [number, number] =>
  Array.isArray(v) &&
  v.length === 2 &&
  v.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
  v[0] <= v[1];

/** Lowest and highest value a spec can produce around `nominal`. */
function extremes(spec: RangeSpec, nominal: number): [number, number] {
  if ('min' in spec) return [spec.min, spec.max];
  if ('plusMinus' in spec) return [nominal - spec.plusMinus, nominal + spec.plusMinus];
  const a = nominal * spec.scale[0];
  const b = nominal * spec.scale[1];
  return [Math.min(a, b), Math.max(a, b)];
}

/**
 * Validates a ranges file against the description it randomizes: known numeric fields present
 * in the description, well-formed specs, and every value a spec can produce inside the field's
 * plausible range (so every draw is a valid description).
 *
 * @throws {@link InstrumentDescriptionError} listing every problem, e.g.
 *   `r.json: parameters.detector.fwhmAtMnKaEv: expected within 100..250, got 90..160`.
 * @example
 * ```ts
 * parseInstrumentRanges({ schemaVersion: 1, parameters: { 'tube.voltageKV': { min: 40, max: 50 } } }, m4);
 * ```
 */
export function parseInstrumentRanges(
  json: unknown,
  description: InstrumentDescription,
  source = '<ranges>',
): InstrumentRanges {
  const problems: InstrumentProblem[] = [];
  const bad = (path: string, expected: string, got: unknown) =>
    problems.push({ path, expected, got: JSON.stringify(got) ?? 'nothing' });
  if (!isObject(json)) throw new InstrumentDescriptionError(source, [
    { path: '(root)', expected: 'a JSON object', got: JSON.stringify(json) ?? 'nothing' },
  ]); // prettier-ignore
  for (const k of Object.keys(json)) {
    if (
      !['schemaVersion', 'description', 'parameters', 'calibrationDrift', 'blockSize'].includes(k)
    )
      bad(k, 'no such field', k);
  }
  if (json.schemaVersion !== INSTRUMENT_RANGES_SCHEMA_VERSION)
    bad('schemaVersion', String(INSTRUMENT_RANGES_SCHEMA_VERSION), json.schemaVersion);
  if (json.blockSize !== undefined) {
    const b = json.blockSize;
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 1 || b > 100000)
      bad('blockSize', 'an integer 1..100000', b);
  }
  const params = json.parameters;
  if (!isObject(params)) bad('parameters', 'an object of field path → range', params);
  else {
    for (const [path, spec] of Object.entries(params)) {
      const where = `parameters.${path}`;
      const f = numericField(path);
      const nominal = getPath(description, path);
      if (!f || f.integer) {
        bad(where, 'a numeric field of the description (e.g. "detector.fwhmAtMnKaEv")', path);
        continue;
      }
      if (typeof nominal !== 'number') {
        bad(where, `a field present in instrument "${description.name}"`, path);
        continue;
      }
      const ok =
        isObject(spec) &&
        ((Object.keys(spec).length === 2 && isPair([spec.min, spec.max])) ||
          (Object.keys(spec).length === 1 &&
            typeof spec.plusMinus === 'number' &&
            spec.plusMinus >= 0) ||
          (Object.keys(spec).length === 1 && isPair(spec.scale) && spec.scale[0] >= 0));
      if (!ok) {
        bad(where, '{"min": a, "max": b} (a ≤ b), {"plusMinus": d ≥ 0} or {"scale": [a, b]}', spec);
        continue;
      }
      const [lo, hi] = extremes(spec as RangeSpec, nominal);
      if (lo < f.min || hi > f.max || (f.exclusiveMin === true && lo <= f.min))
        bad(where, `draws within ${formatRange(f)}${f.unit ? ` ${f.unit}` : ''}`, [lo, hi]);
    }
  }
  const drift = json.calibrationDrift;
  if (drift !== undefined) {
    if (!isObject(drift)) bad('calibrationDrift', 'an object', drift);
    else {
      for (const k of Object.keys(drift)) {
        if (k !== 'offsetKeV' && k !== 'gainFactor')
          bad(`calibrationDrift.${k}`, 'no such field', k);
      }
      const off = drift.offsetKeV;
      if (off !== undefined && !(isPair(off) && off[0] >= -0.2 && off[1] <= 0.2))
        bad('calibrationDrift.offsetKeV', '[a, b] with −0.2 ≤ a ≤ b ≤ 0.2 keV', off);
      const g = drift.gainFactor;
      if (g !== undefined && !(isPair(g) && g[0] >= 0.98 && g[1] <= 1.02))
        bad('calibrationDrift.gainFactor', '[a, b] with 0.98 ≤ a ≤ b ≤ 1.02', g);
    }
  }
  const fwhm = isObject(params) ? params['detector.fwhmAtMnKaEv'] : undefined;
  const fano = isObject(params) ? params['detector.fanoFactor'] : undefined;
  if (fwhm !== undefined || fano !== undefined) {
    const fwhmLo = fwhm ? extremes(fwhm as RangeSpec, description.detector.fwhmAtMnKaEv)[0] : description.detector.fwhmAtMnKaEv; // prettier-ignore
    const fanoHi = fano ? extremes(fano as RangeSpec, description.detector.fanoFactor)[1] : description.detector.fanoFactor; // prettier-ignore
    if (Number.isFinite(fwhmLo) && fwhmLo <= fanoLimitEv(fanoHi))
      bad(
        'parameters.detector.fwhmAtMnKaEv',
        `a lowest FWHM above the Fano limit ${fanoLimitEv(fanoHi).toFixed(1)} eV`,
        fwhmLo,
      );
  }
  if (problems.length > 0) throw new InstrumentDescriptionError(source, problems);
  return json as unknown as InstrumentRanges;
}

/**
 * Draws one instrument: each ranged field uniformly in its range, the others nominal.
 * Deterministic: the same `rng` state gives the same instrument. Fields are drawn in the
 * order of `ranges.parameters`.
 *
 * @param description - The nominal instrument.
 * @param ranges - Validated ranges ({@link parseInstrumentRanges}).
 * @param rng - Source of randomness, or a seed.
 * @example
 * ```ts
 * const { values } = drawInstrument(m4, ranges, 'train:block:0');
 * values['tube.voltageKV']; // in [40, 50]
 * ```
 */
export function drawInstrument(
  description: InstrumentDescription,
  ranges: InstrumentRanges,
  rng: Rng | RngSeed,
): DrawnInstrument {
  const r = typeof rng === 'object' ? rng : createRng(rng);
  const d = structuredClone(description) as unknown as Record<string, unknown>;
  const values: Record<string, number> = {};
  for (const [path, spec] of Object.entries(ranges.parameters)) {
    const nominal = getPath(description, path) as number;
    const [lo, hi] = extremes(spec, nominal);
    const v = uniform(r, lo, hi);
    values[path] = v;
    setPath(d, path, v);
  }
  return {
    description: parseInstrumentDescription(d, `instrument "${description.name}" (drawn)`),
    values,
  };
}

/** A drawn calibration error (see {@link InstrumentRanges.calibrationDrift}). */
export interface CalibrationDrift {
  offsetKeV: number;
  gainFactor: number;
}

/**
 * Draws a calibration error uniformly from `ranges.calibrationDrift` (zero drift when absent).
 * @example
 * ```ts
 * drawCalibrationDrift(ranges, createRng('x')).gainFactor; // e.g. 1.0012
 * ```
 */
export function drawCalibrationDrift(ranges: InstrumentRanges, rng: Rng): CalibrationDrift {
  const off = ranges.calibrationDrift?.offsetKeV;
  const g = ranges.calibrationDrift?.gainFactor;
  return {
    offsetKeV: off ? uniform(rng, off[0], off[1]) : 0,
    gainFactor: g ? uniform(rng, g[0], g[1]) : 1,
  };
}
