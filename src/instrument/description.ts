/**
 * The instrument description: a versioned, JSON-serialisable account of a confocal micro-XRF
 * spectrometer (tube, excitation optic, geometry, gas paths, detector, calibration), validated
 * field by field against plausible ranges for laboratory instruments.
 *
 * @module
 */
import { atomicNumber } from '../physics/elementData.js';
import { InstrumentDescriptionError, type InstrumentProblem } from './errors.js';
import { NUMERIC_FIELDS, fanoLimitEv, formatRange, getPath, type NumericField } from './fields.js';

/** Version of the instrument-description schema this code reads and writes. */
export const INSTRUMENT_SCHEMA_VERSION = 1;

/** X-ray tube. */
export interface TubeDescription {
  /** Anode element symbol, e.g. `'Rh'`. */
  anode: string;
  /** Acceleration voltage (kV). */
  voltageKV: number;
  /** Tube current (mA). */
  currentMA: number;
  /** Electron incidence angle to the anode surface (degrees). */
  electronIncidenceDeg: number;
  /** Photon take-off angle from the anode surface (degrees). */
  takeOffDeg: number;
  /** Be exit-window thickness (µm). */
  beWindowUm: number;
  /** Width of the continuum bins of the tube model (keV). @default 0.05 */
  binWidthKeV?: number;
}

/** Gaussian band-pass optic: `amplitude · exp(−(E − centreKeV)² / (2 widthKeV²))`. */
export interface BandPassOpticDescription {
  kind: 'bandPass';
  amplitude: number;
  centreKeV: number;
  widthKeV: number;
  /** Solid angle of tube emission captured and focused onto the sample (sr). */
  solidAngleSr: number;
}

/** Optic with a measured transmission curve (linear interpolation between the points). */
export interface MeasuredOpticDescription {
  kind: 'measured';
  /** Energies (keV), strictly increasing. */
  energyKeV: number[];
  /** Transmission at each energy (relative, ≥ 0). */
  transmission: number[];
  /** Solid angle of tube emission captured and focused onto the sample (sr). */
  solidAngleSr: number;
}

/** No optic (a collimated bare tube): flat transmission 1 over the solid angle. */
export interface NoOpticDescription {
  kind: 'none';
  /** Solid angle of tube emission reaching the sample (sr). */
  solidAngleSr: number;
}

/** The excitation optic. */
export type ExcitationOpticDescription =
  BandPassOpticDescription | MeasuredOpticDescription | NoOpticDescription;

/** Beam geometry relative to the sample surface. */
export interface GeometryDescription {
  /** Incidence angle of the beam to the sample surface (degrees). */
  incidenceDeg: number;
  /** Exit (detection) angle to the sample surface (degrees). */
  exitDeg: number;
  /** Scattering angle (degrees). @default incidenceDeg + exitDeg */
  scatterAngleDeg?: number;
}

/** A gas path of the beam. */
export interface GasPathDescription {
  /** Path length (mm). */
  lengthMm: number;
  /** Gas: air at ambient pressure, helium flush or vacuum (the last two treated as transparent). */
  gas: 'air' | 'helium' | 'vacuum';
}

/** Silicon drift detector. */
export interface DetectorDescription {
  /** Be window (µm). */
  beWindowUm: number;
  /** Si dead layer (µm). */
  deadLayerUm: number;
  /** Active Si thickness (µm). */
  siThicknessUm: number;
  /** FWHM at Mn Kα, 5.895 keV (eV). */
  fwhmAtMnKaEv: number;
  /** Fano factor. */
  fanoFactor: number;
  /** Fraction of each peak's area in the low-energy exponential tail. */
  tailFraction: number;
  /** Decay length of the tail in units of the peak σ. */
  tailSlopeSigma: number;
  /** Fraction of each peak's area in the flat shelf from 0 to the peak. */
  shelfFraction: number;
  /** Include Si Kα escape peaks. */
  escapePeaks: boolean;
  /** Pulse-pair resolution time for sum peaks (µs); 0 disables pile-up. */
  pulsePairResolutionUs: number;
  /** Dead time per processed event (µs): sets the real time per live second. */
  deadTimeUs: number;
  /** Solid angle of the detection (sr), with a confocal optic its effective acceptance. */
  solidAngleSr: number;
}

/** Energy calibration of the recorded spectra: E(ch) = offsetKeV + gainKeVPerChannel · ch. */
export interface CalibrationDescription {
  offsetKeV: number;
  gainKeVPerChannel: number;
  nChannels: number;
}

/** A complete instrument description (schema version 1). */
export interface InstrumentDescription {
  /** Always {@link INSTRUMENT_SCHEMA_VERSION}. */
  schemaVersion: 1;
  /** Short name, e.g. `'M4 Tornado class'`. */
  name: string;
  /** Free text: make, model, where the values come from. */
  description?: string;
  tube: TubeDescription;
  excitationOptic: ExcitationOpticDescription;
  geometry: GeometryDescription;
  paths: { tubeToSample: GasPathDescription; sampleToDetector: GasPathDescription };
  detector: DetectorDescription;
  calibration: CalibrationDescription;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Allowed keys of every object of the schema, so a misspelt field is reported, not ignored. */
const KEYS: Record<string, readonly string[]> = {
  '': [
    'schemaVersion',
    'name',
    'description',
    'tube',
    'excitationOptic',
    'geometry',
    'paths',
    'detector',
    'calibration',
  ],
  tube: [
    'anode',
    'voltageKV',
    'currentMA',
    'electronIncidenceDeg',
    'takeOffDeg',
    'beWindowUm',
    'binWidthKeV',
  ],
  'excitationOptic:bandPass': ['kind', 'amplitude', 'centreKeV', 'widthKeV', 'solidAngleSr'],
  'excitationOptic:measured': ['kind', 'energyKeV', 'transmission', 'solidAngleSr'],
  'excitationOptic:none': ['kind', 'solidAngleSr'],
  geometry: ['incidenceDeg', 'exitDeg', 'scatterAngleDeg'],
  paths: ['tubeToSample', 'sampleToDetector'],
  'paths.tubeToSample': ['lengthMm', 'gas'],
  'paths.sampleToDetector': ['lengthMm', 'gas'],
  detector: [
    'beWindowUm',
    'deadLayerUm',
    'siThicknessUm',
    'fwhmAtMnKaEv',
    'fanoFactor',
    'tailFraction',
    'tailSlopeSigma',
    'shelfFraction',
    'escapePeaks',
    'pulsePairResolutionUs',
    'deadTimeUs',
    'solidAngleSr',
  ],
  calibration: ['offsetKeV', 'gainKeVPerChannel', 'nChannels'],
};

/**
 * Lists every problem of an instrument description (empty when valid): missing or misspelt
 * fields, wrong types, numbers outside the plausible range of {@link NUMERIC_FIELDS}, an anode
 * that is not an element, a measured optic curve that is not increasing, a resolution below the
 * Fano limit.
 *
 * @param json - The parsed JSON.
 * @returns Problems with the field path, the expectation and the value found.
 * @example
 * ```ts
 * instrumentDescriptionProblems({ schemaVersion: 1 }).length > 0; // true
 * ```
 */
export function instrumentDescriptionProblems(json: unknown): InstrumentProblem[] {
  const problems: InstrumentProblem[] = [];
  const bad = (path: string, expected: string, got: unknown) =>
    problems.push({ path, expected, got: show(got) });
  if (!isObject(json)) {
    bad('(root)', 'a JSON object', json);
    return problems;
  }
  if (json.schemaVersion !== INSTRUMENT_SCHEMA_VERSION)
    bad('schemaVersion', String(INSTRUMENT_SCHEMA_VERSION), json.schemaVersion);
  if (typeof json.name !== 'string' || json.name.trim() === '')
    bad('name', 'a non-empty string', json.name);
  if (json.description !== undefined && typeof json.description !== 'string')
    bad('description', 'a string', json.description);
  const optic = json.excitationOptic;
  const kind = isObject(optic) ? optic.kind : undefined;
  if (!['bandPass', 'measured', 'none'].includes(String(kind)))
    bad('excitationOptic.kind', '"bandPass", "measured" or "none"', kind);
  for (const [where, allowed] of Object.entries(KEYS)) {
    const [path, opticKind] = where.split(':');
    if (opticKind !== undefined && opticKind !== kind) continue;
    const obj = path === '' ? json : getPath(json, path);
    if (!isObject(obj)) {
      if (!(path === 'excitationOptic' && !isObject(optic))) bad(path, 'an object', obj);
      else if (opticKind === 'bandPass') bad(path, 'an object', obj);
      continue;
    }
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k))
        bad(path === '' ? k : `${path}.${k}`, `no such field (allowed: ${allowed.join(', ')})`, k);
    }
  }
  const tube = json.tube;
  if (isObject(tube)) {
    try {
      const z = atomicNumber(String(tube.anode));
      if (typeof tube.anode !== 'string' || z < 20)
        bad('tube.anode', 'an element symbol with Z ≥ 20 (e.g. "Rh", "Mo", "W")', tube.anode);
    } catch {
      bad('tube.anode', 'an element symbol (e.g. "Rh", "Mo", "W")', tube.anode);
    }
  }
  for (const f of NUMERIC_FIELDS) checkNumber(json, f, kind, bad);
  for (const side of ['tubeToSample', 'sampleToDetector'] as const) {
    const p = getPath(json, `paths.${side}`);
    if (isObject(p) && !['air', 'helium', 'vacuum'].includes(String(p.gas)))
      bad(`paths.${side}.gas`, '"air", "helium" or "vacuum"', p.gas);
  }
  const det = json.detector;
  if (isObject(det)) {
    if (typeof det.escapePeaks !== 'boolean')
      bad('detector.escapePeaks', 'true or false', det.escapePeaks);
    const fwhm = det.fwhmAtMnKaEv;
    const fano = det.fanoFactor;
    if (typeof fwhm === 'number' && typeof fano === 'number' && fano > 0) {
      const limit = fanoLimitEv(fano);
      if (fwhm <= limit)
        bad(
          'detector.fwhmAtMnKaEv',
          `above the Fano limit ${limit.toFixed(1)} eV of fanoFactor ${fano}`,
          fwhm,
        );
    }
  }
  if (kind === 'measured' && isObject(optic)) measuredOpticProblems(optic, bad);
  return problems;
}

function checkNumber(
  json: Record<string, unknown>,
  f: NumericField,
  kind: unknown,
  bad: (path: string, expected: string, got: unknown) => void,
): void {
  if (f.opticKind !== undefined && f.opticKind !== kind) return;
  const parent = getPath(json, f.path.split('.').slice(0, -1).join('.'));
  if (!isObject(parent)) return; // reported as a missing object
  const v = getPath(json, f.path);
  if (v === undefined && f.optional) return;
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < f.min ||
    v > f.max ||
    (f.exclusiveMin === true && v <= f.min) ||
    (f.integer === true && !Number.isInteger(v))
  ) {
    bad(
      f.path,
      `${f.integer ? 'an integer ' : ''}${formatRange(f)}${f.unit ? ` ${f.unit}` : ''}`,
      v,
    );
  }
}

function measuredOpticProblems(
  optic: Record<string, unknown>,
  bad: (path: string, expected: string, got: unknown) => void,
): void {
  const e = optic.energyKeV;
  const t = optic.transmission;
  if (!Array.isArray(e) || e.length < 3 || e.length > 10000) {
    bad('excitationOptic.energyKeV', 'an array of 3–10000 energies (keV)', e);
    return;
  }
  if (!Array.isArray(t) || t.length !== e.length) {
    bad('excitationOptic.transmission', `an array of ${e.length} values (one per energy)`, t);
    return;
  }
  for (let i = 0; i < e.length; i++) {
    const v = e[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0.5 || v > 100) {
      bad(`excitationOptic.energyKeV[${i}]`, '0.5..100 keV', v);
      return;
    }
    if (i > 0 && !(v > (e[i - 1] as number))) {
      bad(`excitationOptic.energyKeV[${i}]`, `strictly increasing (> ${String(e[i - 1])})`, v);
      return;
    }
  }
  let max = 0;
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 10) {
      bad(`excitationOptic.transmission[${i}]`, '0..10', v);
      return;
    }
    max = Math.max(max, v);
  }
  if (!(max > 0)) bad('excitationOptic.transmission', 'at least one value > 0', t);
}

/**
 * Validates and returns an instrument description.
 *
 * @param json - The parsed JSON.
 * @param source - Where it came from (file name) for the error message.
 * @returns The description, typed.
 * @throws {@link InstrumentDescriptionError} listing every problem, e.g.
 *   `my.json: detector.fwhmAtMnKaEv: expected 100..250 eV, got 1200`.
 * @example
 * ```ts
 * const d = parseInstrumentDescription(JSON.parse(readFileSync('instruments/m4-tornado.json', 'utf8')));
 * d.tube.anode; // 'Rh'
 * ```
 */
export function parseInstrumentDescription(
  json: unknown,
  source = '<instrument>',
): InstrumentDescription {
  const problems = instrumentDescriptionProblems(json);
  if (problems.length > 0) throw new InstrumentDescriptionError(source, problems);
  return json as InstrumentDescription;
}

/**
 * Parses the text of an instrument JSON file.
 * @throws {@link InstrumentDescriptionError} for invalid JSON or an invalid description.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parseInstrumentJson } from 'cmxrf/instrument';
 * const description = parseInstrumentJson(readFileSync('my-instrument.json', 'utf8'), 'my-instrument.json');
 * // an invalid field throws, naming its path: "my-instrument.json: detector.fwhmAtMnKaEv: …"
 * ```
 */
export function parseInstrumentJson(text: string, source = '<instrument>'): InstrumentDescription {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InstrumentDescriptionError(source, [
      { path: '(file)', expected: 'valid JSON', got: (e as Error).message },
    ]);
  }
  return parseInstrumentDescription(json, source);
}
