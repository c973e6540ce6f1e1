/**
 * The numeric fields of an instrument description with their plausible ranges for laboratory
 * confocal micro-XRF instruments. The same table validates descriptions and the randomization
 * ranges drawn around them.
 *
 * @module
 */

/** One numeric field of the description. */
export interface NumericField {
  /** Dotted path in the description. */
  path: string;
  /** Lowest accepted value. */
  min: number;
  /** Highest accepted value. */
  max: number;
  /** `min` itself is not accepted. */
  exclusiveMin?: boolean;
  /** Must be an integer. */
  integer?: boolean;
  /** May be left out. */
  optional?: boolean;
  /** Only for this optic kind. */
  opticKind?: 'bandPass' | 'measured' | 'none';
  /** Unit for messages. */
  unit?: string;
}

/**
 * Plausible ranges (a modelling choice: wide enough for M4/M6-class and home-built confocal
 * set-ups, narrow enough to catch unit mistakes such as eV for keV or mm for µm).
 */
export const NUMERIC_FIELDS: readonly NumericField[] = [
  { path: 'tube.voltageKV', min: 10, max: 60, unit: 'kV' },
  { path: 'tube.currentMA', min: 0, max: 5, exclusiveMin: true, unit: 'mA' },
  { path: 'tube.electronIncidenceDeg', min: 5, max: 90, unit: '°' },
  { path: 'tube.takeOffDeg', min: 5, max: 90, unit: '°' },
  { path: 'tube.beWindowUm', min: 0, max: 1000, unit: 'µm' },
  { path: 'tube.binWidthKeV', min: 0.01, max: 0.2, optional: true, unit: 'keV' },
  { path: 'excitationOptic.amplitude', min: 0, max: 10, exclusiveMin: true, opticKind: 'bandPass' },
  { path: 'excitationOptic.centreKeV', min: 1, max: 60, opticKind: 'bandPass', unit: 'keV' },
  { path: 'excitationOptic.widthKeV', min: 0.5, max: 1000, opticKind: 'bandPass', unit: 'keV' },
  { path: 'excitationOptic.solidAngleSr', min: 0, max: 0.1, exclusiveMin: true, unit: 'sr' },
  { path: 'geometry.incidenceDeg', min: 5, max: 90, unit: '°' },
  { path: 'geometry.exitDeg', min: 5, max: 90, unit: '°' },
  { path: 'geometry.scatterAngleDeg', min: 10, max: 180, optional: true, unit: '°' },
  { path: 'paths.tubeToSample.lengthMm', min: 0, max: 100, unit: 'mm' },
  { path: 'paths.sampleToDetector.lengthMm', min: 0, max: 100, unit: 'mm' },
  { path: 'detector.beWindowUm', min: 0, max: 100, unit: 'µm' },
  { path: 'detector.deadLayerUm', min: 0, max: 2, unit: 'µm' },
  { path: 'detector.siThicknessUm', min: 100, max: 5000, unit: 'µm' },
  { path: 'detector.fwhmAtMnKaEv', min: 100, max: 250, unit: 'eV' },
  { path: 'detector.fanoFactor', min: 0.08, max: 0.16 },
  { path: 'detector.tailFraction', min: 0, max: 0.2 },
  { path: 'detector.tailSlopeSigma', min: 0.2, max: 20 },
  { path: 'detector.shelfFraction', min: 0, max: 0.05 },
  { path: 'detector.pulsePairResolutionUs', min: 0, max: 10, unit: 'µs' },
  { path: 'detector.deadTimeUs', min: 0, max: 1000, unit: 'µs' },
  { path: 'detector.solidAngleSr', min: 0, max: 1, exclusiveMin: true, unit: 'sr' },
  { path: 'calibration.offsetKeV', min: -1, max: 1, unit: 'keV' },
  { path: 'calibration.gainKeVPerChannel', min: 0.001, max: 0.1, unit: 'keV' },
  { path: 'calibration.nChannels', min: 256, max: 16384, integer: true },
];

/** The field of {@link NUMERIC_FIELDS} at `path`, if any. */
export function numericField(path: string): NumericField | undefined {
  return NUMERIC_FIELDS.find((f) => f.path === path);
}

/** `min..max` text of a field. */
export function formatRange(f: NumericField): string {
  return `${f.exclusiveMin ? '>' : ''}${f.min}..${f.max}`;
}

/** Value at a dotted path (undefined when any part is missing). */
export function getPath(obj: unknown, path: string): unknown {
  if (path === '') return obj;
  let o: unknown = obj;
  for (const k of path.split('.')) {
    if (typeof o !== 'object' || o === null) return undefined;
    o = (o as Record<string, unknown>)[k];
  }
  return o;
}

/** Sets the value at a dotted path of a (deep-copied) description; parents must exist. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys[keys.length - 1]] = value;
}

/**
 * FWHM (eV) at Mn Kα (5.895 keV) from Fano statistics alone: 2.3548 · √(F · 3.85 eV · 5895 eV).
 * A detector cannot resolve better than this.
 * @see U. Fano, Phys. Rev. 72 (1947) 26, doi:10.1103/PhysRev.72.26
 *
 * @example
 * ```ts
 * import { fanoLimitEv } from 'cmxrf/instrument';
 * fanoLimitEv(0.114); // ≈ 120 eV: no silicon detector resolves Mn Kα better than this
 * ```
 */
export function fanoLimitEv(fanoFactor: number): number {
  return 2.3548 * Math.sqrt(fanoFactor * 3.85 * 5895);
}
