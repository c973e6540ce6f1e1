/**
 * EMSA/MSA spectral data files (ISO 22029:2012, "EMSA/MAS Spectral Data File"): single spectra,
 * files holding several spectra, and depth profiles from spectra with stage positions.
 *
 * @see https://www.iso.org/standard/56693.html (ISO 22029:2012)
 * @module
 */
import { InvalidArgumentError, ParseError } from '../errors';
import type { DepthProfile, ExcitationMetadata } from '../profile';
import { assembleDepthProfile, parseErrorAt, seriesDepthsUm } from './depth-profile-from-spectra';
import { type EmsaBlock, type EmsaKeyword, splitEmsaBlocks } from './emsa-blocks';
import { UM_PER_STAGE_UNIT, negativeChannels, negativeCountsNote } from './counts';
import { anodeSymbol, leadingNumber } from './excitation';
import { parseDecimal } from './numbers';
import { DEFAULT_FILE_NAME, decodeText, quote, sniffHead } from './text';
import type {
  CalibrationOverride,
  DepthSeriesOptions,
  ParseOptions,
  ScanAxis,
  Spectrum,
  StageLengthUnit,
  StagePositionUm,
  StageUnitRecord,
  TextInput,
} from './types';

/** Electronvolts per kiloelectronvolt. */
export const EV_PER_KEV = 1000;
/** Micrometres per millimetre. */
export const UM_PER_MM = 1000;

/** Options of {@link parseEmsa} and {@link parseEmsaAll}. */
export interface ParseEmsaOptions extends ParseOptions {
  /**
   * Live time (s) for spectra without `#LIVETIME` (EELS files, some vendor exports). Without it
   * such a file is a ParseError naming this option; a `#LIVETIME` in the file always wins.
   */
  liveTimeS?: number;
  /**
   * Energy calibration to use instead of `#OFFSET` / `#XPERCHAN` (required for files without
   * `#XPERCHAN`, e.g. raw instrument dumps). Recorded in `notes`.
   */
  energyCalibration?: CalibrationOverride;
  /**
   * Unit of `#XPOSITION` / `#YPOSITION` / `#ZPOSITION` values that carry no unit suffix. A
   * suffix in the file (`mm`, `um`, `µm`, `nm`) always wins.
   * @default 'mm' (ISO 22029)
   */
  positionUnit?: StageLengthUnit;
  /**
   * Largest deviation (in channels) of an XY data x value from `#OFFSET + n · #XPERCHAN`. The
   * calibration is always the header's; deviations above 0.01 channel are noted. (The EMSA
   * task-force example EELS files deviate by up to 0.52 channel.)
   * @default 1
   */
  maxXDeviationChannels?: number;
}

/** Options of {@link parseEmsaDepthProfile}. */
export interface ParseEmsaDepthProfileOptions extends DepthSeriesOptions, ParseEmsaOptions {}

const TIME_UNITS: Record<string, number> = { '': 1, s: 1, sec: 1, ms: 1e-3 };
const POSITION_UNITS: Record<string, StageLengthUnit> = {
  m: 'm',
  mm: 'mm',
  um: 'um',
  µm: 'um',
  μm: 'um',
  nm: 'nm',
};

/** Keywords the reader interprets: a repetition with a different value is ambiguous. */
const INTERPRETED = new Set([
  'NPOINTS',
  'NCOLUMNS',
  'DATATYPE',
  'XPERCHAN',
  'OFFSET',
  'XUNITS',
  'LIVETIME',
  'REALTIME',
  'XPOSITION',
  'YPOSITION',
  'ZPOSITION',
]);

interface BlockContext {
  block: EmsaBlock;
  fileName: string;
  notes: string[];
}

/** The keyword, or `undefined` when absent or when its value is empty (`#XUNITS :`). */
function kw(ctx: BlockContext, name: string): EmsaKeyword | undefined {
  const k = ctx.block.keywords.get(name);
  if (k === undefined || k.value !== '') return k;
  return undefined;
}

function numberOf(ctx: BlockContext, k: EmsaKeyword): number {
  const v = parseDecimal(k.value, true);
  if (v === undefined) {
    throw new ParseError(
      { file: ctx.fileName, line: k.line, field: k.name },
      'a finite number',
      quote(k.value),
    );
  }
  return v;
}

function timeFactor(ctx: BlockContext, k: EmsaKeyword): number {
  const f = TIME_UNITS[k.units.toLowerCase()];
  if (f === undefined) {
    throw new ParseError(
      { file: ctx.fileName, line: k.line, field: k.name },
      'units s or ms',
      quote(k.units),
    );
  }
  return f;
}

/** keV per file energy unit, from a unit text such as `eV`, `keV`, `eV/ch`, `Energy (keV)`. */
function energyUnit(text: string): number | undefined {
  const t = text.toLowerCase();
  if (t.includes('kev')) return 1;
  if (t.includes('ev')) return 1 / EV_PER_KEV;
  return undefined;
}

function energyFactor(ctx: BlockContext, k: EmsaKeyword): number {
  const xunits = kw(ctx, 'XUNITS');
  let fromX: number | undefined = 1 / EV_PER_KEV; // ISO 22029 default: eV
  if (xunits) {
    fromX = energyUnit(xunits.value);
    if (fromX === undefined) {
      throw new ParseError(
        { file: ctx.fileName, line: xunits.line, field: 'XUNITS' },
        'eV or keV',
        quote(xunits.value),
      );
    }
  }
  if (k.units === '') return fromX;
  const own = energyUnit(k.units);
  if (own === undefined) {
    throw new ParseError(
      { file: ctx.fileName, line: k.line, field: k.name },
      'units eV or keV',
      quote(k.units),
    );
  }
  if (xunits && own !== fromX) {
    throw new ParseError(
      { file: ctx.fileName, line: k.line, field: k.name },
      `units consistent with #XUNITS ${quote(xunits.value)}`,
      quote(k.units),
    );
  }
  return own;
}

function positiveInteger(ctx: BlockContext, name: string, fallback?: number): number {
  const k = kw(ctx, name);
  if (!k) {
    if (fallback !== undefined) return fallback;
    throw new ParseError(
      { file: ctx.fileName, line: ctx.block.formatLine, field: name },
      `a #${name} keyword`,
      'none',
    );
  }
  const v = numberOf(ctx, k);
  if (!Number.isInteger(v) || v < 1) {
    throw new ParseError(
      { file: ctx.fileName, line: k.line, field: name },
      'an integer ≥ 1',
      quote(k.value),
    );
  }
  return v;
}

/** A parsed block: its spectra (one per block) and the lines of its keywords. */
export interface EmsaParsedBlock {
  spectra: Spectrum[];
  /** Line of `#FORMAT`. */
  line: number;
  /** Lines of the `#XPOSITION`, `#YPOSITION`, `#ZPOSITION` keywords. */
  positionLines: Partial<Record<ScanAxis, number>>;
}

/** Expected x of channel `n` in file units, for the XY check (undefined: no check). */
type XCheck = { offset: number; gain: number; tolChannels: number } | undefined;

/** Worst x deviation seen while reading XY data (channels), for the note. */
interface XDeviation {
  channels: number;
  line: number;
}

function readData(
  ctx: BlockContext,
  nPoints: number,
  nColumns: number,
  xy: boolean,
  xCheck: XCheck,
): Float64Array {
  const { fileName, block } = ctx;
  let out = new Float64Array(nPoints);
  const worst: XDeviation = { channels: 0, line: 0 };
  let n = 0;
  for (const { line, text } of block.data) {
    const tokens = text.split(/[\s,]+/).filter((s) => s !== '');
    if (xy) {
      // ISO 22029: XY data hold up to #NCOLUMNS (x, y) pairs per line.
      if (tokens.length % 2 !== 0 || tokens.length > 2 * nColumns) {
        throw new ParseError(
          { file: fileName, line, channel: n },
          `1 to ${nColumns} (x, y) pairs per XY data line (#NCOLUMNS ${nColumns})`,
          `${tokens.length} values`,
        );
      }
      for (let t = 0; t < tokens.length; t += 2) {
        // Pairs beyond #NPOINTS are read only when every x is checked against the calibration.
        if (n >= out.length && xCheck) {
          const grown = new Float64Array(2 * out.length);
          grown.set(out);
          out = grown;
        }
        if (n >= out.length) {
          throw new ParseError(
            { file: fileName, line, channel: n, field: 'NPOINTS' },
            `${nPoints} data points (#NPOINTS)`,
            'more',
          );
        }
        const x = parseDecimal(tokens[t]);
        if (x === undefined) {
          throw new ParseError(
            { file: fileName, line, channel: n, field: 'x' },
            'a finite x value',
            quote(tokens[t]),
          );
        }
        if (xCheck) {
          const expectedX = xCheck.offset + n * xCheck.gain;
          const dev = Math.abs(x - expectedX) / xCheck.gain;
          if (dev > xCheck.tolChannels * (1 + 1e-9)) {
            throw new ParseError(
              { file: fileName, line, channel: n, field: 'x' },
              `x = ${expectedX} (from #OFFSET and #XPERCHAN, ±${xCheck.tolChannels} channel)`,
              quote(tokens[t]),
            );
          }
          if (dev > worst.channels) {
            worst.channels = dev;
            worst.line = line;
          }
        }
        out[n] = countValue(ctx, tokens[t + 1], line, n);
        n++;
      }
      continue;
    }
    for (const tok of tokens) {
      if (n >= nPoints) {
        throw new ParseError(
          { file: fileName, line, channel: n, field: 'NPOINTS' },
          `${nPoints} values (#NPOINTS)`,
          'more values',
        );
      }
      out[n] = countValue(ctx, tok, line, n);
      n++;
    }
  }
  if (n < nPoints || (n > nPoints && !xy)) {
    throw new ParseError(
      { file: fileName, line: block.endLine, channel: n, field: 'NPOINTS' },
      `${nPoints} values (#NPOINTS)`,
      `${n}`,
    );
  }
  if (n > nPoints) {
    ctx.notes.push(
      `#NPOINTS says ${nPoints} but the data hold ${n} (x, y) pairs, every x on #OFFSET + n·#XPERCHAN: all ${n} read`,
    );
    out = out.slice(0, n);
  }
  if (worst.channels > 0.01) {
    ctx.notes.push(
      `XY data: x deviates from #OFFSET + n·#XPERCHAN by up to ${Number(worst.channels.toPrecision(3))} channel (line ${worst.line}); the header calibration is used`,
    );
  }
  return out;
}

/**
 * True when Y data are in fact (x, y) pairs: exactly 2·NPOINTS values, two per line, every x
 * on the header calibration (a writer that labelled XY data as Y).
 */
function dataArePairs(ctx: BlockContext, nPoints: number, xCheck: XCheck): boolean {
  if (!xCheck) return false;
  const lines = ctx.block.data;
  if (lines.length !== nPoints) return false;
  for (let n = 0; n < lines.length; n++) {
    const tokens = lines[n].text.split(/[\s,]+/).filter((t) => t !== '');
    if (tokens.length !== 2) return false;
    const x = parseDecimal(tokens[0]);
    if (x === undefined) return false;
    const dev = Math.abs(x - (xCheck.offset + n * xCheck.gain)) / xCheck.gain;
    if (dev > xCheck.tolChannels) return false;
  }
  return true;
}

function countValue(ctx: BlockContext, tok: string, line: number, channel: number): number {
  const v = parseDecimal(tok);
  if (v === undefined) {
    throw new ParseError(
      { file: ctx.fileName, line, channel, field: 'counts' },
      'finite counts',
      quote(tok),
    );
  }
  return v;
}

/** Checks repeated keywords: conflicting values of an interpreted keyword are an error. */
function checkRepeats(ctx: BlockContext): void {
  for (const [key, later] of ctx.block.repeats) {
    const first = ctx.block.keywords.get(key)!;
    const lines = [first.line, ...later.map((k) => k.line)].join(', ');
    if (INTERPRETED.has(key)) {
      const other = later.find((k) => k.value !== first.value || k.units !== first.units);
      if (other) {
        throw new ParseError(
          { file: ctx.fileName, line: other.line, field: key },
          `one value of #${key} per spectrum (first on line ${first.line}: ${quote(first.value)})`,
          quote(other.value),
        );
      }
      ctx.notes.push(`#${key} appears ${later.length + 1} times (lines ${lines}) with one value`);
    } else {
      ctx.notes.push(
        `#${key} appears ${later.length + 1} times (lines ${lines}); metadata keeps every value, newline-separated`,
      );
    }
  }
}

function readCalibration(
  ctx: BlockContext,
  options: ParseEmsaOptions,
  nPoints: number,
): { offsetKeV: number; gainKeVPerChannel: number; xCheck: XCheck } {
  const { fileName, block } = ctx;
  const xperchan = kw(ctx, 'XPERCHAN');
  const offsetKw = kw(ctx, 'OFFSET');
  let xCheck: XCheck;
  let fromFile: { offsetKeV: number; gainKeVPerChannel: number } | undefined;
  if (xperchan) {
    const gainFile = numberOf(ctx, xperchan);
    if (!(gainFile > 0)) {
      throw new ParseError(
        { file: fileName, line: xperchan.line, field: 'XPERCHAN' },
        'a channel width > 0',
        quote(xperchan.value),
      );
    }
    const offsetFile = offsetKw ? numberOf(ctx, offsetKw) : 0;
    const tolChannels = options.maxXDeviationChannels ?? 1;
    if (!(tolChannels >= 0)) {
      throw new InvalidArgumentError(
        `maxXDeviationChannels must be ≥ 0. Value: \`${String(tolChannels)}\`.`,
      );
    }
    xCheck = { offset: offsetFile, gain: gainFile, tolChannels };
    const xunits = block.keywords.get('XUNITS');
    if (xunits && xunits.value === '' && xperchan.units === '') {
      ctx.notes.push(`#XUNITS is empty (line ${xunits.line}): eV assumed, the ISO 22029 default`);
    }
    fromFile = {
      gainKeVPerChannel: gainFile * energyFactor(ctx, xperchan),
      offsetKeV: offsetKw ? offsetFile * energyFactor(ctx, offsetKw) : 0,
    };
  }
  const o = options.energyCalibration;
  if (o !== undefined) {
    if (
      typeof o !== 'object' ||
      o === null ||
      !Number.isFinite(o.offsetKeV) ||
      !(o.gainKeVPerChannel > 0) ||
      !Number.isFinite(o.gainKeVPerChannel)
    ) {
      throw new InvalidArgumentError(
        `energyCalibration must be { offsetKeV: finite, gainKeVPerChannel: finite > 0 }. Value: \`${JSON.stringify(o)}\`.`,
      );
    }
    ctx.notes.push(
      `energy calibration from the energyCalibration option (offset ${o.offsetKeV} keV, ` +
        `${o.gainKeVPerChannel} keV/channel)` +
        (fromFile
          ? `, replacing the file's (${fromFile.offsetKeV} keV, ${fromFile.gainKeVPerChannel} keV/channel)`
          : '; the file has no #XPERCHAN'),
    );
    if (!fromFile) xCheck = undefined;
    return { offsetKeV: o.offsetKeV, gainKeVPerChannel: o.gainKeVPerChannel, xCheck };
  }
  if (!fromFile) {
    throw new ParseError(
      { file: fileName, line: block.formatLine, field: 'XPERCHAN' },
      `a #XPERCHAN keyword (this file of ${nPoints} channels has no energy calibration: pass the energyCalibration option)`,
      'none',
    );
  }
  return { ...fromFile, xCheck };
}

/** `#SIGNALTYPE` values of electron-excited spectra (ISO 22029; `EDS` alone is ambiguous). */
const ELECTRON_SIGNALS = new Set(['EDS_SEM', 'EDS_TEM', 'ELS', 'AES', 'CLS']);
/** mA per unit of `#EMISSION` / `#PROBECUR` (µA by the PIXL and PRAXIS files; nA by ISO 22029). */
const CURRENT_UNITS: Record<string, number> = { ua: 1e-3, µa: 1e-3, μa: 1e-3, ma: 1, na: 1e-6 };

/**
 * Excitation from `#SIGNALTYPE` (`XRF` → X-ray tube; `EDS_SEM`, `EDS_TEM`, … → electron beam),
 * `##ANODE` (atomic number or symbol), `#BEAMKV` (kV) and `#EMISSION` (tube current, with its
 * unit). Metadata only: values that are not numbers are left out, never an error.
 */
function readExcitation(ctx: BlockContext): ExcitationMetadata | undefined {
  const e: ExcitationMetadata = { fields: [] };
  const signal = (kw(ctx, 'SIGNALTYPE') ?? kw(ctx, 'SIGNALTYP'))?.value.trim().toUpperCase();
  if (signal === 'XRF') e.kind = 'x-ray-tube';
  else if (signal !== undefined && ELECTRON_SIGNALS.has(signal)) e.kind = 'electron-beam';
  if (e.kind) e.fields.push('#SIGNALTYPE');
  const anode = kw(ctx, '#ANODE') ?? kw(ctx, 'ANODE');
  const symbol = anode ? anodeSymbol(anode.value) : undefined;
  if (symbol) {
    e.anode = symbol;
    e.kind ??= 'x-ray-tube';
    e.fields.push(`${anode!.custom ? '##' : '#'}ANODE`);
  }
  const kV = kw(ctx, 'BEAMKV');
  const v = kV ? leadingNumber(kV.value) : undefined;
  if (v !== undefined && v > 0) {
    e.voltageKV = v;
    e.fields.push('#BEAMKV');
  }
  const emission = kw(ctx, 'EMISSION');
  const i = emission ? leadingNumber(emission.value) : undefined;
  const unit = emission ? CURRENT_UNITS[emission.units.trim().toLowerCase()] : undefined;
  if (i !== undefined && i > 0 && unit !== undefined && e.kind !== 'electron-beam') {
    e.currentMA = i * unit;
    e.fields.push('#EMISSION');
  }
  return e.fields.length > 0 ? e : undefined;
}

function interpretBlock(
  block: EmsaBlock,
  fileName: string,
  options: ParseEmsaOptions,
): EmsaParsedBlock {
  const ctx: BlockContext = { block, fileName, notes: [] };
  const format = block.keywords.get('FORMAT')!;
  if (!/e?msa/i.test(format.value)) {
    throw new ParseError(
      { file: fileName, line: format.line, field: 'FORMAT' },
      '"EMSA/MAS Spectral Data File"',
      quote(format.value),
    );
  }
  checkRepeats(ctx);
  const nPoints = positiveInteger(ctx, 'NPOINTS');
  const nColumns = positiveInteger(ctx, 'NCOLUMNS', 1);
  const dt = kw(ctx, 'DATATYPE');
  const dataType = dt ? dt.value.toUpperCase() : 'Y';
  if (dataType !== 'Y' && dataType !== 'XY') {
    throw new ParseError(
      { file: fileName, line: dt!.line, field: 'DATATYPE' },
      'Y or XY',
      quote(dt!.value),
    );
  }
  const { offsetKeV, gainKeVPerChannel, xCheck } = readCalibration(ctx, options, nPoints);

  let liveTimeS: number | undefined;
  const lt = kw(ctx, 'LIVETIME');
  if (lt) liveTimeS = numberOf(ctx, lt) * timeFactor(ctx, lt);
  else if (options.liveTimeS !== undefined) {
    liveTimeS = options.liveTimeS;
    ctx.notes.push(`no #LIVETIME in the file: live time ${liveTimeS} s from the liveTimeS option`);
  }
  if (liveTimeS === undefined) {
    throw new ParseError(
      { file: fileName, line: block.formatLine, field: 'LIVETIME' },
      'a #LIVETIME keyword (this file gives no live time: pass the liveTimeS option, or --live-time-s on the command line)',
      'none',
    );
  }
  if (!(liveTimeS > 0) || !Number.isFinite(liveTimeS)) {
    throw new ParseError(
      { file: fileName, line: lt?.line ?? block.formatLine, field: 'LIVETIME' },
      'a live time > 0 s',
      String(liveTimeS),
    );
  }
  const rt = kw(ctx, 'REALTIME');
  const realTimeS = rt ? numberOf(ctx, rt) * timeFactor(ctx, rt) : undefined;
  if (rt && !(realTimeS! >= 0)) {
    throw new ParseError(
      { file: fileName, line: rt.line, field: 'REALTIME' },
      'a real time ≥ 0 s',
      quote(rt.value),
    );
  }

  const position: StagePositionUm = {};
  const positionLines: Partial<Record<ScanAxis, number>> = {};
  let stageUnit: StageUnitRecord | undefined;
  for (const axis of ['x', 'y', 'z'] as const) {
    const name = `${axis.toUpperCase()}POSITION`;
    const k = kw(ctx, name);
    if (!k) continue;
    let unit: StageLengthUnit;
    let from: StageUnitRecord['from'];
    if (k.units === '') {
      unit = options.positionUnit ?? 'mm';
      from = options.positionUnit !== undefined ? 'option' : 'default';
    } else {
      const u = POSITION_UNITS[k.units.toLowerCase()] ?? POSITION_UNITS[k.units];
      if (u === undefined) {
        throw new ParseError(
          { file: fileName, line: k.line, field: name },
          'units m, mm, um, µm or nm',
          quote(k.units),
        );
      }
      unit = u;
      from = 'file';
    }
    position[`${axis}Um`] = numberOf(ctx, k) * UM_PER_STAGE_UNIT[unit];
    positionLines[axis] = k.line;
    if (!stageUnit) stageUnit = { unit, from, field: `#${name}` };
    else if (stageUnit.unit !== unit || stageUnit.from !== from) {
      ctx.notes.push(`#${name} is in ${unit} (${from}), unlike ${stageUnit.field}`);
    }
  }

  const metadata: Record<string, string> = {};
  for (const [key, k] of block.keywords) {
    const all = [k, ...(block.repeats.get(key) ?? [])];
    metadata[key] = all.map((x) => (x.units ? `${x.value} ${x.units}` : x.value)).join('\n');
  }

  let xy = dataType === 'XY';
  if (!xy && dataArePairs(ctx, nPoints, xCheck)) {
    xy = true;
    ctx.notes.push(
      `#DATATYPE is ${dataType} but the ${nPoints} data line(s) are (x, y) pairs whose x follow #OFFSET/#XPERCHAN: read as XY`,
    );
  }
  const counts = readData(ctx, nPoints, nColumns, xy, xCheck);
  const calibration = { offsetKeV, gainKeVPerChannel, nChannels: counts.length };
  const sp: Spectrum = { counts, calibration, liveTimeS, metadata, source: fileName };
  const negative = negativeChannels(counts);
  if (negative) {
    sp.negativeCountChannels = negative;
    ctx.notes.push(negativeCountsNote(negative, counts, calibration));
  }
  if (realTimeS !== undefined) sp.realTimeS = realTimeS;
  if (Object.keys(position).length > 0) {
    sp.stagePositionUm = position;
    sp.stageUnit = stageUnit;
  }
  const excitation = readExcitation(ctx);
  if (excitation) sp.excitation = excitation;
  if (ctx.notes.length > 0) sp.notes = ctx.notes;
  return { spectra: [sp], line: block.formatLine, positionLines };
}

/** Internal: every block of the file, interpreted. */
export function parseEmsaBlocks(
  input: TextInput,
  options: ParseEmsaOptions = {},
): EmsaParsedBlock[] {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const text = decodeText(input, fileName);
  return splitEmsaBlocks(text, fileName).map((b) => interpretBlock(b, fileName, options));
}

/**
 * Reads every spectrum of an EMSA/MSA file: one per `#FORMAT … #ENDOFDATA` block.
 *
 * @throws {ParseError} naming file, line, channel/keyword, expected and found values.
 * @example
 * ```ts
 * const spectra = parseEmsaAll(text, { fileName: 'scan.msa' });
 * // spectra.length === number of #FORMAT blocks
 * ```
 */
export function parseEmsaAll(input: TextInput, options: ParseEmsaOptions = {}): Spectrum[] {
  return parseEmsaBlocks(input, options).flatMap((b) => b.spectra);
}

/**
 * Reads a single-spectrum EMSA/MSA file (ISO 22029). Energies are converted to keV (`#XUNITS`
 * eV or keV; eV when absent), stage positions to µm (mm when no unit suffix), times to s.
 *
 * Required: `#FORMAT` (first), `#NPOINTS`, `#SPECTRUM`, `#XPERCHAN` unless the
 * `energyCalibration` option is given, and `#LIVETIME` unless the `liveTimeS` option is given.
 * Defaults: `#OFFSET` 0, `#XUNITS` eV (also when empty), `#DATATYPE` Y, `#NCOLUMNS` 1;
 * `#ENDOFDATA` may be missing at the end of the file. XY data hold up to `#NCOLUMNS` (x, y)
 * pairs per line. Header values may use a decimal comma (`#XPERCHAN : 0,01`). Negative counts
 * are kept and listed in `negativeCountChannels`; repeated keywords are kept (`#TITLE` and
 * `#COMMENT` joined, others in `metadata` newline-separated) unless an interpreted keyword
 * repeats with another value. Every such decision is written to `notes`. See docs/formats.md.
 *
 * @throws {ParseError} if the file is malformed or holds more than one spectrum.
 * @example
 * ```ts
 * const s = parseEmsa('#FORMAT : EMSA/MAS Spectral Data File\n#NPOINTS : 2\n#XPERCHAN : 10\n' +
 *   '#LIVETIME : 1\n#SPECTRUM :\n5, 7\n#ENDOFDATA :\n', { fileName: 'a.msa' });
 * // s.calibration.gainKeVPerChannel === 0.01, s.counts → [5, 7]
 * ```
 */
export function parseEmsa(input: TextInput, options: ParseEmsaOptions = {}): Spectrum {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const blocks = parseEmsaBlocks(input, options);
  const n = blocks.reduce((a, b) => a + b.spectra.length, 0);
  if (n !== 1) {
    throw new ParseError(
      { file: fileName, line: blocks[1]?.line ?? blocks[0].line },
      'exactly one spectrum (use parseEmsaAll or parseEmsaDepthProfile)',
      `${n} spectra`,
    );
  }
  return blocks[0].spectra[0];
}

/**
 * Reads an EMSA/MSA file holding a series of spectra (one per scan position) as a depth profile.
 * Scan positions come from `#ZPOSITION` (or the `scanAxis` keyword; mm per ISO 22029, converted
 * to µm), or from the `depthsUm` option.
 *
 * @throws {ParseError} for malformed files, missing positions, mismatched calibrations, or
 *   positions that do not strictly increase.
 * @throws {InvalidArgumentError} if `depthsUm` has the wrong length.
 * @example
 * ```ts
 * const profile = parseEmsaDepthProfile(text, { fileName: 'depth.msa' });
 * // profile.depthsUm[k] is #ZPOSITION of block k, in µm
 * ```
 */
export function parseEmsaDepthProfile(
  input: TextInput,
  options: ParseEmsaDepthProfileOptions = {},
): DepthProfile {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const blocks = parseEmsaBlocks(input, options);
  const spectra = blocks.flatMap((b) => b.spectra);
  const axis = options.scanAxis ?? 'z';
  const lines = blocks.flatMap((b) => b.spectra.map(() => b.positionLines[axis] ?? b.line));
  const depths = seriesDepthsUm(spectra, lines, options, fileName, (a) => ({
    field: `${a.toUpperCase()}POSITION`,
    expected: `a #${a.toUpperCase()}POSITION keyword (or the depthsUm option)`,
  }));
  return assembleDepthProfile(spectra, depths, parseErrorAt(fileName, lines), fileName);
}

/**
 * True if the text starts like an EMSA/MSA file (first non-blank line `#FORMAT … EMSA/MSA`).
 * Sniffs only the head; never throws.
 */
export function looksLikeEmsa(input: TextInput): boolean {
  const head = sniffHead(input, 1024).trimStart();
  const first = head.split(/\r\n|\r|\n/, 1)[0] ?? '';
  return /^#\s*FORMAT\s*:/i.test(first) && /e?msa/i.test(first);
}
