/**
 * The cmxrf depth-profile CSV/TSV matrix format (documented in docs/formats.md): `# key=value`
 * comment lines with the calibration, a header row `depthUm,liveTimeS,ch0,ch1,…`, one row per
 * scan position.
 *
 * @module
 */
import { ParseError } from '../errors';
import type { DepthProfile, ExcitationMetadata } from '../profile';
import { anodeSymbol } from './excitation';
import { flagNegativeProfileCounts } from './depth-profile-from-spectra';
import { parseDecimal } from './numbers';
import { DEFAULT_FILE_NAME, decodeText, quote, sniffHead, splitLines } from './text';
import type { ParseOptions, TextInput } from './types';

/** Field delimiters of the CSV format. */
export type CsvDelimiter = ',' | ';' | '\t';

/** Options of {@link parseDepthProfileCsv}. */
export interface ParseDepthProfileCsvOptions extends ParseOptions {
  /**
   * Field delimiter. Detected from the header row when omitted (the one of `,` `;` tab it
   * contains; a header with several is an error).
   */
  delimiter?: CsvDelimiter;
}

/** Comment keys understood by the parser (others are allowed and ignored). */
const KEYS = ['offsetKeV', 'gainKeVPerChannel', 'source', 'tubeAnode', 'tubeVoltageKV'] as const;

function detectDelimiter(header: string, line: number, fileName: string): CsvDelimiter {
  const found = ([',', ';', '\t'] as const).filter((d) => header.includes(d));
  if (found.length !== 1) {
    throw new ParseError(
      { file: fileName, line },
      'a header row separated by exactly one of "," ";" or tab',
      found.length === 0
        ? `no delimiter in ${quote(header)}`
        : `${found.map((d) => JSON.stringify(d)).join(' and ')}`,
    );
  }
  return found[0];
}

/**
 * Parses a depth profile in the cmxrf CSV format. Decimal commas are accepted when the
 * delimiter is `;` or tab. Blank lines are ignored; any other malformed line is an error.
 *
 * @throws {ParseError} naming file, line, channel/field, expected and found values, for a
 *   missing calibration comment, a wrong header, a row with the wrong number of fields, a
 *   non-finite or negative count, a live time ≤ 0, or depths that do not strictly increase.
 * @example
 * ```ts
 * const p = parseDepthProfileCsv(
 *   '# offsetKeV=0\n# gainKeVPerChannel=0.01\ndepthUm,liveTimeS,ch0,ch1\n0,10,3,4\n5,10,6,8\n',
 *   { fileName: 'scan.csv' },
 * );
 * // p.nSteps === 2, p.nChannels === 2, p.depthsUm → [0, 5]
 * ```
 */
export function parseDepthProfileCsv(
  input: TextInput,
  options: ParseDepthProfileCsvOptions = {},
): DepthProfile {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const lines = splitLines(decodeText(input, fileName));
  const comments: { key: string; value: string; line: number }[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    if (!t.startsWith('#')) break;
    const body = t.slice(1).trim();
    const eq = body.indexOf('=');
    if (eq > 0)
      comments.push({
        key: body.slice(0, eq).trim(),
        value: body.slice(eq + 1).trim(),
        line: i + 1,
      });
  }
  if (i >= lines.length) {
    throw new ParseError(
      { file: fileName, line: lines.length, field: 'header' },
      'a header row "depthUm,liveTimeS,ch0,…"',
      'end of file',
    );
  }
  const headerLine = i + 1;
  const header = lines[i].trim();
  const delimiter = options.delimiter ?? detectDelimiter(header, headerLine, fileName);
  const commaDecimal = delimiter !== ',';
  const names = header.split(delimiter).map((s) => s.trim());
  if (names.length < 3 || names[0] !== 'depthUm' || names[1] !== 'liveTimeS') {
    throw new ParseError(
      { file: fileName, line: headerLine, field: 'header' },
      'columns "depthUm", "liveTimeS", "ch0", …',
      quote(header),
    );
  }
  const nChannels = names.length - 2;
  for (let c = 0; c < nChannels; c++) {
    if (names[c + 2] !== `ch${c}`) {
      throw new ParseError(
        { file: fileName, line: headerLine, channel: c, field: 'header' },
        `column "ch${c}"`,
        quote(names[c + 2]),
      );
    }
  }

  const calib: Partial<Record<(typeof KEYS)[number], { value: string; line: number }>> = {};
  for (const c of comments) {
    if (!(KEYS as readonly string[]).includes(c.key)) continue;
    const key = c.key as (typeof KEYS)[number];
    if (calib[key]) {
      throw new ParseError(
        { file: fileName, line: c.line, field: key },
        `a single "# ${key}=" line`,
        `a second one`,
      );
    }
    calib[key] = { value: c.value, line: c.line };
  }
  const num = (key: 'offsetKeV' | 'gainKeVPerChannel'): number => {
    const c = calib[key];
    if (!c) {
      throw new ParseError(
        { file: fileName, line: headerLine, field: key },
        `a "# ${key}=…" comment line before the header`,
        'none',
      );
    }
    const v = parseDecimal(c.value, commaDecimal);
    if (v === undefined || (key === 'gainKeVPerChannel' && !(v > 0))) {
      throw new ParseError(
        { file: fileName, line: c.line, field: key },
        key === 'gainKeVPerChannel' ? 'a finite number > 0' : 'a finite number',
        quote(c.value),
      );
    }
    return v;
  };
  const offsetKeV = num('offsetKeV');
  const gainKeVPerChannel = num('gainKeVPerChannel');

  const rows: number[][] = [];
  const depths: number[] = [];
  const live: number[] = [];
  for (i = i + 1; i < lines.length; i++) {
    const line = i + 1;
    const t = lines[i].trim();
    if (t === '') continue;
    const fields = lines[i].split(delimiter);
    if (fields.length !== names.length) {
      throw new ParseError(
        { file: fileName, line },
        `${names.length} fields (as the header)`,
        `${fields.length}`,
      );
    }
    const depth = parseDecimal(fields[0], commaDecimal);
    if (depth === undefined) {
      throw new ParseError(
        { file: fileName, line, field: 'depthUm' },
        'a finite depth (µm)',
        quote(fields[0].trim()),
      );
    }
    if (depths.length > 0 && !(depth > depths[depths.length - 1])) {
      throw new ParseError(
        { file: fileName, line, field: 'depthUm' },
        `a depth > ${depths[depths.length - 1]} µm (strictly increasing)`,
        quote(fields[0].trim()),
      );
    }
    const lt = parseDecimal(fields[1], commaDecimal);
    if (lt === undefined || !(lt > 0)) {
      throw new ParseError(
        { file: fileName, line, field: 'liveTimeS' },
        'a finite live time > 0 s',
        quote(fields[1].trim()),
      );
    }
    const row = new Array<number>(nChannels);
    for (let c = 0; c < nChannels; c++) {
      const v = parseDecimal(fields[c + 2], commaDecimal);
      if (v === undefined) {
        throw new ParseError(
          { file: fileName, line, channel: c, field: `ch${c}` },
          'finite counts',
          quote(fields[c + 2].trim()),
        );
      }
      row[c] = v;
    }
    depths.push(depth);
    live.push(lt);
    rows.push(row);
  }
  if (rows.length === 0) {
    throw new ParseError(
      { file: fileName, line: lines.length, field: 'rows' },
      'at least one data row after the header',
      'none',
    );
  }
  const counts = new Float64Array(rows.length * nChannels);
  rows.forEach((r, s) => counts.set(r, s * nChannels));
  const profile: DepthProfile = {
    counts,
    nSteps: rows.length,
    nChannels,
    depthsUm: Float64Array.from(depths),
    calibration: { offsetKeV, gainKeVPerChannel, nChannels },
    liveTimesS: Float64Array.from(live),
    source: calib.source?.value ?? fileName,
  };
  const anode = calib.tubeAnode;
  const kV = calib.tubeVoltageKV;
  if (anode || kV) {
    const excitation: ExcitationMetadata = { kind: 'x-ray-tube', fields: [] };
    if (anode) {
      const symbol = anodeSymbol(anode.value);
      if (!symbol || /^\d/.test(anode.value.trim()))
        throw new ParseError(
          { file: fileName, line: anode.line, field: 'tubeAnode' },
          'an element symbol (e.g. Rh)',
          quote(anode.value),
        );
      excitation.anode = symbol;
      excitation.fields.push('# tubeAnode');
    }
    if (kV) {
      const v = parseDecimal(kV.value, commaDecimal);
      if (v === undefined || !(v > 0))
        throw new ParseError(
          { file: fileName, line: kV.line, field: 'tubeVoltageKV' },
          'a finite number > 0 (kV)',
          quote(kV.value),
        );
      excitation.voltageKV = v;
      excitation.fields.push('# tubeVoltageKV');
    }
    profile.excitation = excitation;
  }
  flagNegativeProfileCounts(profile);
  return profile;
}

/**
 * True if the text looks like the cmxrf depth-profile CSV: optional `#` comment lines, then a
 * header row starting with `depthUm` and `liveTimeS`. Sniffs only the head; never throws.
 */
export function looksLikeDepthProfileCsv(input: TextInput): boolean {
  for (const raw of sniffHead(input, 8192).split(/\r\n|\r|\n/)) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    return /^depthUm\s*[,;\t]\s*liveTimeS(\s*[,;\t]|$)/.test(t);
  }
  return false;
}
