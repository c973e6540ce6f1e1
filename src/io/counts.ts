/**
 * Helpers shared by the readers: negative-count bookkeeping and stage length units.
 *
 * @module
 */
import type { EnergyCalibration } from '../profile';
import type { StageLengthUnit } from './types';

/** Micrometres per stage length unit. */
export const UM_PER_STAGE_UNIT: Readonly<Record<StageLengthUnit, number>> = {
  m: 1e6,
  mm: 1e3,
  um: 1,
  nm: 1e-3,
};

/** The 0-based channels with a negative count, ascending, or `undefined` when there is none. */
export function negativeChannels(counts: ArrayLike<number>): Int32Array | undefined {
  let n = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] < 0) n++;
  if (n === 0) return undefined;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] < 0) out[k++] = i;
  return out;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/**
 * A one-line note describing negative counts: how many channels, their range, the most
 * negative value and the energy range under `calibration`.
 */
export function negativeCountsNote(
  channels: Int32Array,
  counts: ArrayLike<number>,
  calibration: Pick<EnergyCalibration, 'offsetKeV' | 'gainKeVPerChannel'>,
): string {
  let min = 0;
  for (const c of channels) min = Math.min(min, counts[c]);
  const first = channels[0];
  const last = channels[channels.length - 1];
  const e = (c: number): number => calibration.offsetKeV + calibration.gainKeVPerChannel * c;
  return (
    `${channels.length} channel(s) hold negative counts (channels ${first}–${last}, ` +
    `${fmt(e(first))}–${fmt(e(last))} keV, minimum ${min}); kept as read and listed in ` +
    'negativeCountChannels'
  );
}

/** Appends a note to an optional notes array (creating it). */
export function addNote(target: { notes?: string[] }, note: string): void {
  (target.notes ??= []).push(note);
}
