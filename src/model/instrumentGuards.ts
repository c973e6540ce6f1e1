/**
 * Instrument guards of quantification: the model card names the instrument the network was
 * trained for (an instrument description and its randomization ranges); a file whose metadata
 * contradict it (another tube anode, a tube voltage outside the trained range, an electron
 * beam instead of a tube, channels too coarse for the model's energy grid) gets a warning.
 * Metadata a file does not state are not guessed: they give a note, never a warning.
 *
 * @module
 */
import type { DepthProfile } from '../profile';
import type { ModelCard } from './card';
import type { QuantifyWarning, QuantifyWarningCode } from './guards';

/**
 * Codes of the instrument warnings (docs/quantify.md, "Guards"): `instrument-anode`,
 * `instrument-voltage`, `instrument-excitation`, `instrument-calibration`.
 */
export type InstrumentWarningCode = Extract<QuantifyWarningCode, `instrument-${string}`>;

/** The model's instrument on a result, and what of it could not be checked against the file. */
export interface ModelInstrumentReport {
  /** Name of the instrument description in the model card, e.g. `'M4 Tornado class'`. */
  name: string;
  /** Tube anode the model was trained with. */
  anode?: string;
  /** Tube voltages (kV) the model was trained with: the randomized range, or the nominal twice. */
  voltageRangeKV?: [number, number];
  /** What was not checked, or checked and found unusual without being a contradiction. */
  notes: string[];
}

/** Tube voltages within this distance (kV) of the trained range count as inside (read-back rounding). */
export const VOLTAGE_TOLERANCE_KV = 0.5;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const fmt = (v: number): string => String(+v.toPrecision(4));

/** Trained voltage range from the ranges' `tube.voltageKV` spec, else the nominal twice. */
function voltageRange(
  nominal: number | undefined,
  ranges: ModelCard['instrumentRanges'],
): [number, number] | undefined {
  const params = ranges?.parameters;
  const spec = isObject(params) ? params['tube.voltageKV'] : undefined;
  if (isObject(spec) && nominal !== undefined) {
    const min = num(spec.min);
    const max = num(spec.max);
    if (min !== undefined && max !== undefined) return [min, max];
    const pm = num(spec.plusMinus);
    if (pm !== undefined) return [nominal - pm, nominal + pm];
    const sc = spec.scale;
    if (Array.isArray(sc) && sc.length === 2) {
      const [a, b] = [num(sc[0]), num(sc[1])];
      if (a !== undefined && b !== undefined)
        return [Math.min(a, b) * nominal, Math.max(a, b) * nominal];
    }
  }
  return nominal !== undefined ? [nominal, nominal] : undefined;
}

/** 8 ln 2: FWHM² = 8 ln 2 · σ². */
const FWHM2_PER_VAR = 8 * Math.LN2;

/**
 * The broadening of a peak by channels of width `gainKeV` (the rebinning spreads a channel's
 * counts uniformly over it: variance + w²/12), as the FWHM at Mn Kα of the card's nominal
 * detector; returned only when it exceeds by more than 5 % the widest FWHM the training covered
 * (the ranges' `detector.fwhmAtMnKaEv`, else the nominal one).
 */
function channelBroadening(
  gainKeV: number,
  inst: NonNullable<ModelCard['instrument']>,
  ranges: ModelCard['instrumentRanges'],
): { effectiveEv: number; nominalEv: number; maxEv: number } | undefined {
  const det = isObject(inst.detector) ? inst.detector : {};
  const nominalEv = num(det.fwhmAtMnKaEv);
  if (nominalEv === undefined) return undefined;
  const params = ranges?.parameters;
  const spec = isObject(params) ? params['detector.fwhmAtMnKaEv'] : undefined;
  let maxEv = nominalEv;
  if (isObject(spec)) {
    const hi =
      num(spec.max) ??
      (num(spec.plusMinus) !== undefined ? nominalEv + num(spec.plusMinus)! : undefined);
    const sc = Array.isArray(spec.scale) ? num(spec.scale[1]) : undefined;
    maxEv = Math.max(maxEv, hi ?? (sc !== undefined ? sc * nominalEv : nominalEv));
  }
  const wEv = gainKeV * 1000;
  const effectiveEv = Math.sqrt(nominalEv * nominalEv + (FWHM2_PER_VAR * wEv * wEv) / 12);
  // Within 5 % of the trained maximum counts as covered (a resolution is rarely known better).
  return effectiveEv > maxEv * 1.05 ? { effectiveEv, nominalEv, maxEv } : undefined;
}

/** Calibration of the card's instrument and the drift its training tolerated, where stated. */
function cardCalibration(card: Pick<ModelCard, 'instrument' | 'instrumentRanges'>) {
  const c = card.instrument?.calibration;
  if (!isObject(c)) return undefined;
  const offsetKeV = num(c.offsetKeV);
  const gain = num(c.gainKeVPerChannel);
  if (offsetKeV === undefined || gain === undefined) return undefined;
  const drift = isObject(card.instrumentRanges?.calibrationDrift)
    ? card.instrumentRanges.calibrationDrift
    : {};
  const pair = (v: unknown, d: [number, number]): [number, number] =>
    Array.isArray(v) && v.length === 2 && num(v[0]) !== undefined && num(v[1]) !== undefined
      ? [v[0] as number, v[1] as number]
      : d;
  return {
    offsetKeV,
    gain,
    offsetDrift: pair(drift.offsetKeV, [0, 0]),
    gainFactor: pair(drift.gainFactor, [1, 1]),
  };
}

/**
 * Checks a profile's excitation metadata and energy calibration against the instrument of the
 * model card. Returns the warnings (codes {@link InstrumentWarningCode}) and, when the card
 * names an instrument, the report to put on the result; cards without an instrument give
 * neither (nothing to check against).
 *
 * - `instrument-anode`: the file states a tube anode other than the card's.
 * - `instrument-voltage`: the file states a voltage more than 0.5 kV outside the trained range
 *   (`instrumentRanges.parameters['tube.voltageKV']`, else the nominal voltage).
 * - `instrument-excitation`: the file is an electron-excited spectrum.
 * - `instrument-calibration`: the file's channels are so wide that, spread uniformly over the
 *   model's energy bins by the rebinning, they broaden the peaks more than 5 % beyond the widest
 *   detector resolution the training covered (for the M4 Tornado-class card with its ranges:
 *   channels wider than 125 eV; with the nominal 145 eV alone: wider than 68 eV).
 *
 * A calibration whose offset or gain differs from the card's is not a contradiction: the
 * rebinning maps the file's channels by the file's own calibration, exactly. The card's
 * `calibrationDrift` bounds the calibration *error* the model tolerates, which no header can
 * show; such a difference gives a note saying so.
 * @example
 * ```ts
 * import { instrumentGuards } from 'cmxrf/model';
 * const { warnings } = instrumentGuards(card, { ...profile, excitation: { anode: 'Mo', fields: [] } });
 * warnings[0].code; // 'instrument-anode' for a card trained with an Rh tube
 * ```
 */
export function instrumentGuards(
  card: Pick<ModelCard, 'instrument' | 'instrumentRanges' | 'input'>,
  profile: Pick<DepthProfile, 'excitation' | 'calibration'>,
): { warnings: QuantifyWarning[]; instrument?: ModelInstrumentReport } {
  const warnings: QuantifyWarning[] = [];
  const cal = profile.calibration;
  const inst = card.instrument;
  if (!inst) return { warnings };
  const broadened = channelBroadening(cal.gainKeVPerChannel, inst, card.instrumentRanges);
  if (broadened)
    warnings.push({
      code: 'instrument-calibration',
      message: `the file's channels are ${fmt(cal.gainKeVPerChannel * 1000)} eV wide: spread over the model's ${fmt(card.input.grid.binWidthKeV * 1000)} eV energy bins they broaden every peak as a ${fmt(broadened.effectiveEv)} eV detector at Mn Kα would (the model was trained with ${fmt(broadened.nominalEv)}–${fmt(broadened.maxEv)} eV), which the model's input cannot tell apart from a worse detector.`,
    });
  const tube = isObject(inst.tube) ? inst.tube : {};
  const anode = typeof tube.anode === 'string' ? tube.anode : undefined;
  const range = voltageRange(num(tube.voltageKV), card.instrumentRanges);
  const report: ModelInstrumentReport = { name: inst.name, notes: [] };
  if (anode !== undefined) report.anode = anode;
  if (range) report.voltageRangeKV = range;
  const ex = profile.excitation;
  const where = (field: string): string => {
    const f = ex?.fields.find((x) => x.toLowerCase().includes(field));
    return f ? ` (${f})` : '';
  };
  if (ex?.kind === 'electron-beam')
    warnings.push({
      code: 'instrument-excitation',
      message: `the file is an electron-excited spectrum${where('signaltype') || where('esma')} (an electron microscope or microprobe${ex.voltageKV !== undefined ? `, ${fmt(ex.voltageKV)} kV beam` : ''}); the model was trained on X-ray tube excitation (${inst.name}).`,
    });
  if (ex?.anode === undefined) {
    if (anode !== undefined && ex?.kind !== 'electron-beam')
      report.notes.push(`tube anode not checked: the file states none (the model's is ${anode})`);
  } else if (anode !== undefined && ex.anode.toLowerCase() !== anode.toLowerCase())
    warnings.push({
      code: 'instrument-anode',
      message: `the file's tube anode is ${ex.anode}${where('anode')}, the model was trained with a ${anode} anode (${inst.name}): the tube spectrum and its scattered lines differ from what the model learnt.`,
    });
  if (ex?.voltageKV === undefined) {
    if (range && ex?.kind !== 'electron-beam')
      report.notes.push(
        `tube voltage not checked: the file states none (the model's is ${fmt(range[0])}${range[1] > range[0] ? `–${fmt(range[1])}` : ''} kV)`,
      );
  } else if (
    range &&
    ex.kind !== 'electron-beam' &&
    (ex.voltageKV < range[0] - VOLTAGE_TOLERANCE_KV ||
      ex.voltageKV > range[1] + VOLTAGE_TOLERANCE_KV)
  )
    warnings.push({
      code: 'instrument-voltage',
      message: `the file's ${ex.kind === 'x-ray-tube' ? 'tube' : 'beam'} voltage is ${fmt(ex.voltageKV)} kV${where('kv') || where('voltage')}, outside the ${range[1] > range[0] ? `range ${fmt(range[0])}–${fmt(range[1])} kV` : `${fmt(range[0])} kV`} the model was trained with (${inst.name}): the excitation spectrum differs from what the model learnt.`,
    });
  const c = cardCalibration(card);
  if (c) {
    const dOffset = cal.offsetKeV - c.offsetKeV;
    const factor = cal.gainKeVPerChannel / c.gain;
    const eps = 1e-9;
    if (
      dOffset < c.offsetDrift[0] - eps ||
      dOffset > c.offsetDrift[1] + eps ||
      factor < c.gainFactor[0] - eps ||
      factor > c.gainFactor[1] + eps
    )
      report.notes.push(
        `the file's calibration (offset ${fmt(cal.offsetKeV)} keV, ${fmt(cal.gainKeVPerChannel * 1000)} eV/channel) differs from the instrument's (${fmt(c.offsetKeV)} keV, ${fmt(c.gain * 1000)} eV/channel); its channels are rebinned by the file's own calibration, which must be accurate to within the ${fmt(c.offsetDrift[0] * 1000)}…${fmt(c.offsetDrift[1] * 1000)} eV offset and ${fmt(c.gainFactor[0])}…${fmt(c.gainFactor[1])} gain the model was trained to tolerate`,
      );
  }
  return { warnings, instrument: report };
}
