/**
 * EMSA/MSA spectral data files (ISO 22029:2012, "EMSA/MAS Spectral Data File"): single spectra,
 * files holding several spectra, and depth profiles from spectra with stage positions.
 *
 * @see https://www.iso.org/standard/56693.html (ISO 22029:2012)
 * @module
 */
import { ParseError } from '../errors';
import type { DepthProfile } from '../profile';
import { assembleDepthProfile, parseErrorAt, seriesDepthsUm } from './depth-profile-from-spectra';
import { type EmsaBlock, type EmsaKeyword, splitEmsaBlocks } from './emsa-blocks';
import { parseDecimal } from './numbers';
import { DEFAULT_FILE_NAME, decodeText, quote, sniffHead } from './text';
import type {
  DepthSeriesOptions,
  ParseOptions,
  ScanAxis,
  Spectrum,
  StagePositionUm,
  TextInput,
} from './types';

/** Electronvolts per kiloelectronvolt. */
export const EV_PER_KEV = 1000;
/** Micrometres per millimetre. */
export const UM_PER_MM = 1000;

/** Options of {@link parseEmsa} and {@link parseEmsaAll}. */
export interface ParseEmsaOptions extends ParseOptions {
  /**
   * Live time (s) for spectra without `#LIVETIME`. Without it such a file is a ParseError.
   */
  liveTimeS?: number;
}

const TIME_UNITS: Record<string, number> = { '': 1, s: 1, sec: 1, ms: 1e-3 };
const POSITION_UNITS: Record<string, number> = {
  '': UM_PER_MM,
  mm: UM_PER_MM,
  um: 1,
  µm: 1,
  μm: 1,
  nm: 1e-3,
};

interface BlockContext {
  block: EmsaBlock;
  fileName: string;
}

function kw(ctx: BlockContext, name: string): EmsaKeyword | undefined {
  return ctx.block.keywords.get(name);
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

function unitFactor(ctx: BlockContext, k: EmsaKeyword, table: Record<string, number>): number {
  const f = table[k.units.toLowerCase()] ?? table[k.units];
  if (f === undefined) {
    throw new ParseError(
      { file: ctx.fileName, line: k.line, field: k.name },
      `units ${Object.keys(table)
        .filter((u) => u !== '')
        .join(', ')}`,
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
  let fromX: number | undefined = 1 / EV_PER_KEV; // documented default: eV
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

/** A parsed block: its spectra (several for XY data with NCOLUMNS > 1) and a line per spectrum. */
export interface EmsaParsedBlock {
  spectra: Spectrum[];
  /** Line of `#FORMAT`. */
  line: number;
  /** Lines of the `#XPOSITION`, `#YPOSITION`, `#ZPOSITION` keywords. */
  positionLines: Partial<Record<ScanAxis, number>>;
}

function readData(
  ctx: BlockContext,
  nPoints: number,
  nColumns: number,
  xy: boolean,
  offset: number,
  gain: number,
): Float64Array[] {
  const { fileName, block } = ctx;
  const nSpectra = xy ? nColumns : 1;
  const out = Array.from({ length: nSpectra }, () => new Float64Array(nPoints));
  let n = 0;
  for (const { line, text } of block.data) {
    const tokens = text.split(/[\s,]+/).filter((s) => s !== '');
    if (xy) {
      if (tokens.length !== 1 + nColumns) {
        throw new ParseError(
          { file: fileName, line, channel: n },
          `${1 + nColumns} values (x, y) per XY data line`,
          `${tokens.length}`,
        );
      }
      if (n >= nPoints) {
        throw new ParseError(
          { file: fileName, line, channel: n, field: 'NPOINTS' },
          `${nPoints} data points (#NPOINTS)`,
          'more',
        );
      }
      const x = parseDecimal(tokens[0]);
      const expectedX = offset + n * gain;
      if (x === undefined || Math.abs(x - expectedX) > 0.5 * gain * (1 + 1e-9)) {
        throw new ParseError(
          { file: fileName, line, channel: n, field: 'x' },
          `x = ${expectedX} (from #OFFSET and #XPERCHAN, ±0.5 channel)`,
          quote(tokens[0]),
        );
      }
      for (let c = 0; c < nColumns; c++) out[c][n] = countValue(ctx, tokens[c + 1], line, n);
      n++;
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
      out[0][n] = countValue(ctx, tok, line, n);
      n++;
    }
  }
  if (n !== nPoints) {
    throw new ParseError(
      { file: fileName, line: block.endLine, channel: n, field: 'NPOINTS' },
      `${nPoints} values (#NPOINTS)`,
      `${n}`,
    );
  }
  return out;
}

function countValue(ctx: BlockContext, tok: string, line: number, channel: number): number {
  const v = parseDecimal(tok);
  if (v === undefined || v < 0) {
    throw new ParseError(
      { file: ctx.fileName, line, channel, field: 'counts' },
      'finite counts ≥ 0',
      quote(tok),
    );
  }
  return v;
}

function interpretBlock(
  block: EmsaBlock,
  fileName: string,
  options: ParseEmsaOptions,
): EmsaParsedBlock {
  const ctx: BlockContext = { block, fileName };
  const format = kw(ctx, 'FORMAT')!;
  if (!/e?msa/i.test(format.value)) {
    throw new ParseError(
      { file: fileName, line: format.line, field: 'FORMAT' },
      '"EMSA/MAS Spectral Data File"',
      quote(format.value),
    );
  }
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
  const xperchan = kw(ctx, 'XPERCHAN');
  if (!xperchan) {
    throw new ParseError(
      { file: fileName, line: block.formatLine, field: 'XPERCHAN' },
      'a #XPERCHAN keyword',
      'none',
    );
  }
  const gainFile = numberOf(ctx, xperchan);
  if (!(gainFile > 0)) {
    throw new ParseError(
      { file: fileName, line: xperchan.line, field: 'XPERCHAN' },
      'a channel width > 0',
      quote(xperchan.value),
    );
  }
  const offsetKw = kw(ctx, 'OFFSET');
  const offsetFile = offsetKw ? numberOf(ctx, offsetKw) : 0;
  const gainKeVPerChannel = gainFile * energyFactor(ctx, xperchan);
  const offsetKeV = offsetKw ? offsetFile * energyFactor(ctx, offsetKw) : 0;

  let liveTimeS = options.liveTimeS;
  const lt = kw(ctx, 'LIVETIME');
  if (lt) liveTimeS = numberOf(ctx, lt) * unitFactor(ctx, lt, TIME_UNITS);
  if (liveTimeS === undefined) {
    throw new ParseError(
      { file: fileName, line: block.formatLine, field: 'LIVETIME' },
      'a #LIVETIME keyword (or the liveTimeS option)',
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
  const realTimeS = rt ? numberOf(ctx, rt) * unitFactor(ctx, rt, TIME_UNITS) : undefined;
  if (rt && !(realTimeS! >= 0)) {
    throw new ParseError(
      { file: fileName, line: rt.line, field: 'REALTIME' },
      'a real time ≥ 0 s',
      quote(rt.value),
    );
  }

  const position: StagePositionUm = {};
  const positionLines: Partial<Record<ScanAxis, number>> = {};
  for (const axis of ['x', 'y', 'z'] as const) {
    const k = kw(ctx, `${axis.toUpperCase()}POSITION`);
    if (!k) continue;
    position[`${axis}Um`] = numberOf(ctx, k) * unitFactor(ctx, k, POSITION_UNITS);
    positionLines[axis] = k.line;
  }

  const metadata: Record<string, string> = {};
  for (const [key, k] of block.keywords)
    metadata[key] = k.units ? `${k.value} ${k.units}` : k.value;

  const columns = readData(ctx, nPoints, nColumns, dataType === 'XY', offsetFile, gainFile);
  const spectra = columns.map((counts): Spectrum => {
    const sp: Spectrum = {
      counts,
      calibration: { offsetKeV, gainKeVPerChannel, nChannels: nPoints },
      liveTimeS: liveTimeS!,
      metadata: { ...metadata },
      source: fileName,
    };
    if (realTimeS !== undefined) sp.realTimeS = realTimeS;
    if (Object.keys(position).length > 0) sp.stagePositionUm = { ...position };
    return sp;
  });
  return { spectra, line: block.formatLine, positionLines };
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
 * Reads every spectrum of an EMSA/MSA file: one per `#FORMAT … #ENDOFDATA` block, and one per
 * Y column of XY data with `#NCOLUMNS` > 1.
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
 * Required: `#FORMAT` (first), `#NPOINTS`, `#XPERCHAN`, `#SPECTRUM`, and `#LIVETIME` unless the
 * `liveTimeS` option is given. Defaults: `#OFFSET` 0, `#XUNITS` eV, `#DATATYPE` Y,
 * `#NCOLUMNS` 1; `#ENDOFDATA` may be missing at the end of the file. Header values may use a
 * decimal comma (`#XPERCHAN : 0,01`). See docs/formats.md.
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
  options: DepthSeriesOptions = {},
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
