/**
 * Bruker Esprit `.spx` spectra (XML, root `<TRTSpectrum>`, one or several
 * `<ClassInstance Type="TRTSpectrum">`): calibration from `TRTSpectrumHeader` (`CalibAbs` keV,
 * `CalibLin` keV/channel, `ChannelCount`), times from `TRTSpectrumHardwareHeader` (`RealTime`,
 * `LifeTime`, ms), counts from `<Channels>` (comma-separated), optional stage position from
 * `TRTSEMStageData` (`X`, `Y`, `Z`; SEM exports, µm) or, in micro-XRF (M4 Tornado, M6
 * Jetstream) exports, from the base64 `TRTUnknownHeader Name="RTREM"` block (mm).
 *
 * @module
 */
import { InvalidArgumentError, ParseError } from '../errors';
import type { DepthProfile } from '../profile';
import { assembleDepthProfile, parseErrorAt, seriesDepthsUm } from './depth-profile-from-spectra';
import { decodeBase64 } from './base64';
import { anodeSymbol } from './excitation';
import { UM_PER_STAGE_UNIT, negativeChannels, negativeCountsNote } from './counts';
import { parseDecimal } from './numbers';
import { DEFAULT_FILE_NAME, LineIndex, decodeText, quote, sniffHead } from './text';
import type {
  DepthSeriesOptions,
  ExcitationMetadata,
  ParseOptions,
  Spectrum,
  StagePositionUm,
  StageUnitRecord,
  TextInput,
} from './types';
import {
  type XmlElement,
  child,
  descendants,
  isClassInstance,
  optionalNumber,
  parseXml,
  requiredNumber,
} from './xml';

/** Milliseconds per second (Bruker stores times in ms). */
const MS_PER_S = 1000;

/** Unit of Bruker stage coordinates. */
export type BrukerStageUnit = 'mm' | 'um';

/** Options of the Bruker readers. */
export interface ParseBrukerSpxOptions extends ParseOptions {
  /**
   * Live time (s) for spectra without `LifeTime`. Without it such a file is a ParseError; a
   * `LifeTime` in the file always wins.
   */
  liveTimeS?: number;
  /**
   * Unit of the stage coordinates in the file, which Bruker does not state. Default per
   * source (docs/formats.md gives the evidence): `'um'` for `TRTSEMStageData` (SEM exports),
   * `'mm'` for the `RTREM` block of micro-XRF exports. The unit used is recorded in
   * `Spectrum.stageUnit`.
   */
  stageUnit?: BrukerStageUnit;
}

/** Options of {@link parseBrukerSpxDepthProfile}. */
export interface ParseBrukerSpxDepthProfileOptions extends DepthSeriesOptions {
  /** See {@link ParseBrukerSpxOptions.stageUnit}. */
  stageUnit?: BrukerStageUnit;
}

/** Default unit of each stage-position source (see docs/formats.md for the evidence). */
const DEFAULT_STAGE_UNIT = { TRTSEMStageData: 'um', RTREM: 'mm' } as const;

/**
 * Byte layout of the `RTREM` block as written by Esprit for M4 Tornado and M6 Jetstream: a
 * Pascal short string "RTREM" at byte 0, format version 1 (uint32 LE) at byte 37, the block
 * size (uint32 LE) at byte 41, and the stage X, Y, Z (float64 LE, mm) at byte 121.
 */
const RTREM = { versionAt: 37, sizeAt: 41, xyzAt: 121 } as const;

interface Located {
  spectrum: Spectrum;
  line: number;
}

/**
 * Stage X, Y, Z (file units) from a `TRTUnknownHeader Name="RTREM"` element, or `undefined`
 * with a note when the block is not in the known layout (nothing is guessed).
 */
function readRtrem(el: XmlElement, fileName: string, notes: string[]): number[] | undefined {
  const skip = (why: string): undefined => {
    notes.push(`RTREM block (line ${el.line}) not read: ${why}; no stage position from it`);
    return undefined;
  };
  const compression = optionalNumber(el, 'Compression', fileName);
  if (compression !== undefined && compression !== -1)
    return skip(`Compression ${compression} (only -1, uncompressed, is known)`);
  const data = child(el, 'Data');
  if (!data) return skip('no <Data>');
  if (data.attrs.Encoder !== undefined && data.attrs.Encoder !== 'base64')
    return skip(`Encoder ${JSON.stringify(data.attrs.Encoder)}`);
  const bytes = decodeBase64(data.text);
  if (!bytes) return skip('<Data> is not base64');
  const n = bytes.length;
  if (n < RTREM.xyzAt + 24) return skip(`${n} bytes, fewer than ${RTREM.xyzAt + 24}`);
  const name = String.fromCharCode(...bytes.subarray(1, 1 + bytes[0]));
  if (name !== 'RTREM') return skip(`block name ${JSON.stringify(name)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  const version = view.getUint32(RTREM.versionAt, true);
  const size = view.getUint32(RTREM.sizeAt, true);
  const sizeEl = optionalNumber(el, 'Size', fileName);
  if (version !== 1) return skip(`layout version ${version} (only 1 is known)`);
  if (size !== n || (sizeEl !== undefined && sizeEl !== n))
    return skip(`size fields ${size}/${sizeEl} differ from the ${n} decoded bytes`);
  const xyz = [0, 8, 16].map((o) => view.getFloat64(RTREM.xyzAt + o, true));
  if (!xyz.every(Number.isFinite)) return skip('stage coordinates are not finite');
  return xyz;
}

/** µA per mA (Bruker stores the tube current in µA). */
const UA_PER_MA = 1000;

/**
 * Excitation from `TRTXrfHeader` (micro-XRF: `Anode` atomic number, `Voltage` kV, `Current`
 * µA) or `TRTESMAHeader` (electron microscope: `PrimaryEnergy`, the beam voltage in kV).
 */
function readExcitation(inst: XmlElement): ExcitationMetadata | undefined {
  // Metadata only: a value that is not a number is left out, never an error.
  const num = (parent: XmlElement, name: string): number | undefined => {
    const el = child(parent, name);
    const v = el ? parseDecimal(el.text, true) : undefined;
    return v !== undefined && v > 0 ? v : undefined;
  };
  const xrf = descendants(inst, isClassInstance('TRTXrfHeader'))[0];
  if (xrf) {
    const e: ExcitationMetadata = { kind: 'x-ray-tube', fields: [] };
    const anode = child(xrf, 'Anode');
    const symbol = anode ? anodeSymbol(anode.text) : undefined;
    if (symbol) {
      e.anode = symbol;
      e.fields.push('TRTXrfHeader Anode');
    }
    const kV = num(xrf, 'Voltage');
    if (kV !== undefined) {
      e.voltageKV = kV;
      e.fields.push('TRTXrfHeader Voltage');
    }
    const uA = num(xrf, 'Current');
    if (uA !== undefined) {
      e.currentMA = uA / UA_PER_MA;
      e.fields.push('TRTXrfHeader Current');
    }
    return e;
  }
  const esma = descendants(inst, isClassInstance('TRTESMAHeader'))[0];
  if (esma) {
    const e: ExcitationMetadata = { kind: 'electron-beam', fields: [] };
    const kV = num(esma, 'PrimaryEnergy');
    if (kV !== undefined) {
      e.voltageKV = kV;
      e.fields.push('TRTESMAHeader PrimaryEnergy');
    }
    return e;
  }
  return undefined;
}

function readChannels(
  el: XmlElement,
  expected: number,
  text: string,
  lines: LineIndex,
  fileName: string,
): Float64Array {
  const start = text.indexOf('>', el.offset) + 1;
  const tokens = el.text.split(',');
  const trimmed = el.text.trim();
  if (trimmed === '') {
    throw new ParseError(
      { file: fileName, line: el.line, field: 'Channels' },
      `${expected} comma-separated counts (ChannelCount)`,
      'an empty <Channels>',
    );
  }
  if (tokens.length !== expected) {
    throw new ParseError(
      { file: fileName, line: el.line, field: 'Channels' },
      `${expected} counts (ChannelCount)`,
      `${tokens.length}`,
    );
  }
  const counts = new Float64Array(expected);
  let pos = start;
  for (let c = 0; c < expected; c++) {
    const v = parseDecimal(tokens[c]);
    if (v === undefined) {
      const at = text.indexOf(tokens[c], pos);
      const offset = at < 0 ? -1 : at + (tokens[c].length - tokens[c].trimStart().length);
      throw new ParseError(
        {
          file: fileName,
          line: lines.lineOf(offset >= 0 ? offset : el.offset),
          channel: c,
          field: 'Channels',
        },
        'finite counts',
        quote(tokens[c].trim()),
      );
    }
    pos += tokens[c].length + 1;
    counts[c] = v;
  }
  return counts;
}

function readInstance(
  inst: XmlElement,
  text: string,
  lines: LineIndex,
  fileName: string,
  options: ParseBrukerSpxOptions,
): Located {
  const header = inst.children.find(isClassInstance('TRTSpectrumHeader'));
  if (!header) {
    throw new ParseError(
      { file: fileName, line: inst.line, field: 'TRTSpectrumHeader' },
      'a <ClassInstance Type="TRTSpectrumHeader"> in the spectrum',
      'none',
    );
  }
  const nChannels = requiredNumber(header, 'ChannelCount', fileName);
  if (!Number.isInteger(nChannels) || nChannels < 1) {
    throw new ParseError(
      { file: fileName, line: child(header, 'ChannelCount')!.line, field: 'ChannelCount' },
      'an integer ≥ 1',
      String(nChannels),
    );
  }
  const offsetKeV = requiredNumber(header, 'CalibAbs', fileName);
  const gainKeVPerChannel = requiredNumber(header, 'CalibLin', fileName);
  if (!(gainKeVPerChannel > 0)) {
    throw new ParseError(
      { file: fileName, line: child(header, 'CalibLin')!.line, field: 'CalibLin' },
      'a channel width > 0 keV',
      String(gainKeVPerChannel),
    );
  }
  const channelsEl = child(inst, 'Channels');
  if (!channelsEl) {
    throw new ParseError(
      { file: fileName, line: inst.line, field: 'Channels' },
      'a <Channels> element in the spectrum',
      'none',
    );
  }
  const counts = readChannels(channelsEl, nChannels, text, lines, fileName);

  const hardware = descendants(inst, isClassInstance('TRTSpectrumHardwareHeader'))[0];
  const lifeMs = hardware ? optionalNumber(hardware, 'LifeTime', fileName) : undefined;
  const realMs = hardware ? optionalNumber(hardware, 'RealTime', fileName) : undefined;
  const liveTimeS = lifeMs !== undefined ? lifeMs / MS_PER_S : options.liveTimeS;
  if (liveTimeS === undefined) {
    throw new ParseError(
      { file: fileName, line: (hardware ?? inst).line, field: 'LifeTime' },
      'a <LifeTime> (ms) in TRTSpectrumHardwareHeader (this file gives no live time: pass the liveTimeS option, or --live-time-s on the command line)',
      'none',
    );
  }
  if (!(liveTimeS > 0) || !Number.isFinite(liveTimeS)) {
    throw new ParseError(
      { file: fileName, line: (hardware ?? inst).line, field: 'LifeTime' },
      'a live time > 0',
      String(liveTimeS),
    );
  }
  const metadata: Record<string, string> = {};
  if (inst.attrs.Name !== undefined) metadata.name = inst.attrs.Name;
  for (const key of ['Date', 'Time']) {
    const e = child(header, key);
    if (e) metadata[key] = e.text.trim();
  }
  const spectrum: Spectrum = {
    counts,
    calibration: { offsetKeV, gainKeVPerChannel, nChannels },
    liveTimeS,
    metadata,
    source: fileName,
  };
  if (realMs !== undefined) {
    if (!(realMs >= 0)) {
      throw new ParseError(
        { file: fileName, line: child(hardware!, 'RealTime')!.line, field: 'RealTime' },
        'a real time ≥ 0 ms',
        String(realMs),
      );
    }
    spectrum.realTimeS = realMs / MS_PER_S;
  }
  const notes: string[] = [];
  const negative = negativeChannels(counts);
  if (negative) {
    spectrum.negativeCountChannels = negative;
    notes.push(negativeCountsNote(negative, counts, spectrum.calibration));
  }
  if (lifeMs === undefined) {
    notes.push(`no LifeTime in the file: live time ${liveTimeS} s from the liveTimeS option`);
  }
  let line = inst.line;
  const stage = descendants(inst, isClassInstance('TRTSEMStageData'))[0];
  const unitOf = (source: keyof typeof DEFAULT_STAGE_UNIT): StageUnitRecord => ({
    unit: options.stageUnit ?? DEFAULT_STAGE_UNIT[source],
    from: options.stageUnit !== undefined ? 'option' : 'default',
    field: source === 'RTREM' ? 'TRTUnknownHeader RTREM' : source,
  });
  if (stage) {
    const record = unitOf('TRTSEMStageData');
    const factor = UM_PER_STAGE_UNIT[record.unit];
    const pos: StagePositionUm = {};
    for (const axis of ['X', 'Y', 'Z'] as const) {
      const v = optionalNumber(stage, axis, fileName);
      if (v !== undefined) pos[`${axis.toLowerCase() as 'x' | 'y' | 'z'}Um`] = v * factor;
    }
    if (Object.keys(pos).length > 0) {
      spectrum.stagePositionUm = pos;
      spectrum.stageUnit = record;
      line = stage.line;
    }
  }
  if (!spectrum.stagePositionUm) {
    const rtrem = descendants(
      inst,
      (e) => isClassInstance('TRTUnknownHeader')(e) && e.attrs.Name === 'RTREM',
    )[0];
    const xyz = rtrem ? readRtrem(rtrem, fileName, notes) : undefined;
    if (xyz) {
      const record = unitOf('RTREM');
      const f = UM_PER_STAGE_UNIT[record.unit];
      spectrum.stagePositionUm = { xUm: xyz[0] * f, yUm: xyz[1] * f, zUm: xyz[2] * f };
      spectrum.stageUnit = record;
      line = rtrem!.line;
    }
  }
  const excitation = readExcitation(inst);
  if (excitation) spectrum.excitation = excitation;
  if (notes.length > 0) spectrum.notes = notes;
  return { spectrum, line };
}

function readAll(input: TextInput, options: ParseBrukerSpxOptions): Located[] {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  if (options.stageUnit !== undefined && options.stageUnit !== 'mm' && options.stageUnit !== 'um') {
    throw new InvalidArgumentError(
      `stageUnit must be 'mm' or 'um'. Value: \`${String(options.stageUnit)}\`.`,
    );
  }
  const text = decodeText(input, fileName);
  const root = parseXml(text, fileName);
  const lines = new LineIndex(text);
  const isSpectrum = isClassInstance('TRTSpectrum');
  // Outermost spectrum instances only (a spectrum never nests another one).
  const found: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (isSpectrum(c)) found.push(c);
      else walk(c);
    }
  };
  if (isSpectrum(root)) found.push(root);
  else walk(root);
  if (found.length === 0) {
    throw new ParseError(
      { file: fileName, line: root.line, field: 'TRTSpectrum' },
      'a <ClassInstance Type="TRTSpectrum"> element',
      `root <${root.name}> without one`,
    );
  }
  return found.map((inst) => readInstance(inst, text, lines, fileName, options));
}

/**
 * Reads every spectrum (`<ClassInstance Type="TRTSpectrum">`) of a Bruker XML text, in document
 * order.
 *
 * @throws {ParseError} for malformed XML or a spectrum with missing/invalid fields.
 * @example
 * ```ts
 * const spectra = parseBrukerSpxAll(xml, { fileName: 'series.xml' });
 * ```
 */
export function parseBrukerSpxAll(
  input: TextInput,
  options: ParseBrukerSpxOptions = {},
): Spectrum[] {
  return readAll(input, options).map((l) => l.spectrum);
}

/**
 * Reads a Bruker Esprit `.spx` spectrum. Calibration `E = CalibAbs + CalibLin · ch` (keV); live
 * and real times converted from ms to s. Required: `ChannelCount`, `CalibAbs`, `CalibLin`,
 * `Channels` (exactly ChannelCount values) and `LifeTime` unless the `liveTimeS` option is given.
 * Stage position from `TRTSEMStageData` (default µm) or else from the `RTREM` block of
 * micro-XRF exports (default mm), recorded in `stageUnit`; negative counts are kept and listed
 * in `negativeCountChannels`; decisions are written to `notes`.
 *
 * @throws {ParseError} for malformed XML, missing fields, counts that are not finite, a
 *   count mismatch, or a file holding more than one spectrum.
 * @example
 * ```ts
 * const s = parseBrukerSpx(xmlText, { fileName: 'point1.spx' });
 * // s.calibration.gainKeVPerChannel, s.liveTimeS (s)
 * ```
 */
export function parseBrukerSpx(input: TextInput, options: ParseBrukerSpxOptions = {}): Spectrum {
  const all = readAll(input, options);
  if (all.length !== 1) {
    throw new ParseError(
      { file: options.fileName ?? DEFAULT_FILE_NAME, line: all[1].line, field: 'TRTSpectrum' },
      'exactly one spectrum (use parseBrukerSpxAll or parseBrukerSpxDepthProfile)',
      `${all.length} spectra`,
    );
  }
  return all[0].spectrum;
}

/**
 * Reads a Bruker XML text holding several spectra (one per scan position) as a depth profile.
 * Scan positions are the stage coordinate on `scanAxis` (default Z; from `TRTSEMStageData` or
 * the `RTREM` block, unit `stageUnit`), or the `depthsUm` option. For one `.spx` file per position use
 * {@link parseBrukerSpx} and `depthProfileFromSpectra`.
 *
 * @throws {ParseError} for malformed spectra, missing positions, mismatched calibrations, or
 *   positions that do not strictly increase.
 * @throws {InvalidArgumentError} if `depthsUm` has the wrong length.
 * @example
 * ```ts
 * const profile = parseBrukerSpxDepthProfile(readFileSync('scan.spx'), {
 *   fileName: 'scan.spx',
 *   scanAxis: 'z',
 * });
 * profile.nSteps; // one step per spectrum, ordered by stage position
 * ```
 */
export function parseBrukerSpxDepthProfile(
  input: TextInput,
  options: ParseBrukerSpxDepthProfileOptions = {},
): DepthProfile {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const all = readAll(input, options);
  const spectra = all.map((l) => l.spectrum);
  const lines = all.map((l) => l.line);
  const depths = seriesDepthsUm(spectra, lines, options, fileName, (a) => ({
    field: a.toUpperCase(),
    expected: `a stage ${a.toUpperCase()} position (TRTSEMStageData or RTREM block; or the depthsUm option)`,
  }));
  return assembleDepthProfile(spectra, depths, parseErrorAt(fileName, lines), fileName);
}

/** True if the head of the text is a Bruker TRTSpectrum XML document. Never throws. */
export function looksLikeBrukerSpx(input: TextInput): boolean {
  const head = sniffHead(input, 4096).trimStart();
  return (
    head.startsWith('<') && (head.includes('<TRTSpectrum') || head.includes('Type="TRTSpectrum"'))
  );
}
