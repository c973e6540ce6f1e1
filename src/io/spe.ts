/**
 * ASCII `.spe` spectra (ORTEC Maestro layout, also written by Amptek and lab scan software):
 * `$SECTION:` lines followed by their values. Used here: `$MEAS_TIM:` (live and real time, s),
 * `$DATA:` (first and last channel, then the counts), and an energy calibration from
 * `$ENER_FIT:` (offset, gain in keV) or `$MCA_CAL:` (polynomial coefficients, keV); files with
 * neither need the `energyCalibration` option.
 *
 * @module
 */
import { InvalidArgumentError, ParseError } from '../errors';
import { negativeChannels, negativeCountsNote } from './counts';
import { parseDecimal } from './numbers';
import { DEFAULT_FILE_NAME, decodeText, quote, sniffHead, splitLines } from './text';
import type { CalibrationOverride, ParseOptions, Spectrum, TextInput } from './types';

/** Options of {@link parseSpe}. */
export interface ParseSpeOptions extends ParseOptions {
  /** Live time (s) for files without `$MEAS_TIM:`. */
  liveTimeS?: number;
  /**
   * Energy calibration, required when the file has neither `$ENER_FIT:` nor `$MCA_CAL:`;
   * replaces the file's when given (noted).
   */
  energyCalibration?: CalibrationOverride;
}

interface Section {
  line: number;
  values: { line: number; text: string }[];
}

function numbers(
  fileName: string,
  name: string,
  v: { line: number; text: string } | undefined,
  count: number,
  fallbackLine: number,
): number[] {
  const tokens = v ? v.text.trim().split(/\s+/) : [];
  const out = tokens.slice(0, count).map((t) => parseDecimal(t));
  if (out.length < count || out.some((x) => x === undefined)) {
    throw new ParseError(
      { file: fileName, line: v?.line ?? fallbackLine, field: name },
      `${count} numbers after $${name}:`,
      quote(v?.text.trim() ?? 'none'),
    );
  }
  return out as number[];
}

/**
 * Reads an ASCII `.spe` spectrum. Channels `$DATA: first last` (counts: any number per line,
 * exactly `last − first + 1` of them); live/real time from `$MEAS_TIM:` (live first, s).
 *
 * @throws {ParseError} naming file, line and section for a malformed file, a missing
 *   `$DATA:`, a wrong number of counts, a missing live time (pass `liveTimeS`) or a missing
 *   calibration (pass `energyCalibration`).
 * @example
 * ```ts
 * const s = parseSpe(text, { fileName: 'p034.spe',
 *   energyCalibration: { offsetKeV: 0, gainKeVPerChannel: 0.01096 } });
 * ```
 */
export function parseSpe(input: TextInput, options: ParseSpeOptions = {}): Spectrum {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const lines = splitLines(decodeText(input, fileName));
  const sections = new Map<string, Section>();
  let current: Section | undefined;
  lines.forEach((raw, i) => {
    const t = raw.trim();
    if (t === '') return;
    const m = /^\$([A-Z_]+):\s*(.*)$/.exec(t);
    if (m) {
      current = { line: i + 1, values: m[2] ? [{ line: i + 1, text: m[2] }] : [] };
      if (!sections.has(m[1])) sections.set(m[1], current);
      return;
    }
    if (!current) {
      throw new ParseError({ file: fileName, line: i + 1 }, 'a "$SECTION:" line', quote(t));
    }
    current.values.push({ line: i + 1, text: t });
  });
  const data = sections.get('DATA');
  if (!data) {
    throw new ParseError({ file: fileName, line: 1, field: 'DATA' }, 'a $DATA: section', 'none');
  }
  const [first, last] = numbers(fileName, 'DATA', data.values[0], 2, data.line);
  const n = last - first + 1;
  if (!Number.isInteger(first) || !Number.isInteger(last) || n < 1) {
    throw new ParseError(
      { file: fileName, line: data.values[0].line, field: 'DATA' },
      'integer channels first ≤ last',
      quote(data.values[0].text),
    );
  }
  const counts = new Float64Array(n);
  let k = 0;
  for (const v of data.values.slice(1)) {
    for (const tok of v.text.split(/\s+/)) {
      if (tok === '') continue;
      const x = parseDecimal(tok);
      if (x === undefined || k >= n) {
        throw new ParseError(
          { file: fileName, line: v.line, channel: k, field: 'DATA' },
          k >= n ? `${n} counts ($DATA: ${first} ${last})` : 'finite counts',
          k >= n ? 'more' : quote(tok),
        );
      }
      counts[k++] = x;
    }
  }
  if (k !== n) {
    throw new ParseError(
      { file: fileName, line: data.line, channel: k, field: 'DATA' },
      `${n} counts ($DATA: ${first} ${last})`,
      String(k),
    );
  }
  const notes: string[] = [];
  const time = sections.get('MEAS_TIM');
  let liveTimeS: number;
  let realTimeS: number | undefined;
  if (time) {
    [liveTimeS, realTimeS] = numbers(fileName, 'MEAS_TIM', time.values[0], 2, time.line);
  } else if (options.liveTimeS !== undefined) {
    liveTimeS = options.liveTimeS;
    notes.push(`no $MEAS_TIM: in the file: live time ${liveTimeS} s from the liveTimeS option`);
  } else {
    throw new ParseError(
      { file: fileName, line: 1, field: 'MEAS_TIM' },
      'a $MEAS_TIM: section (this file gives no live time: pass the liveTimeS option, or --live-time-s on the command line)',
      'none',
    );
  }
  if (!(liveTimeS > 0)) {
    throw new ParseError(
      { file: fileName, line: time?.line ?? 1, field: 'MEAS_TIM' },
      'a live time > 0 s',
      String(liveTimeS),
    );
  }
  let fromFile: CalibrationOverride | undefined;
  const fit = sections.get('ENER_FIT');
  const mca = sections.get('MCA_CAL');
  if (fit) {
    const [a, b] = numbers(fileName, 'ENER_FIT', fit.values[0], 2, fit.line);
    fromFile = { offsetKeV: a, gainKeVPerChannel: b };
  } else if (mca) {
    const [order] = numbers(fileName, 'MCA_CAL', mca.values[0], 1, mca.line);
    const c = numbers(fileName, 'MCA_CAL', mca.values[1], Math.max(2, order), mca.line);
    // A quadratic term is accepted only if it moves the last channel by < 0.01 channel.
    if (c.length > 2 && Math.abs(c[2]) * (n - 1) ** 2 > 0.01 * Math.abs(c[1])) {
      throw new ParseError(
        { file: fileName, line: mca.values[1].line, field: 'MCA_CAL' },
        'a linear energy calibration (cmxrf spectra are linear; pass energyCalibration)',
        quote(mca.values[1].text),
      );
    }
    fromFile = { offsetKeV: c[0], gainKeVPerChannel: c[1] };
  }
  let calibration: CalibrationOverride;
  const o = options.energyCalibration;
  if (o !== undefined) {
    if (!Number.isFinite(o?.offsetKeV) || !(o.gainKeVPerChannel > 0)) {
      throw new InvalidArgumentError(
        `energyCalibration must be { offsetKeV: finite, gainKeVPerChannel: finite > 0 }. Value: \`${JSON.stringify(o)}\`.`,
      );
    }
    calibration = o;
    notes.push(
      `energy calibration from the energyCalibration option (offset ${o.offsetKeV} keV, ${o.gainKeVPerChannel} keV/channel)` +
        (fromFile ? ', replacing the file’s' : '; the file has none'),
    );
  } else if (fromFile) calibration = fromFile;
  else {
    throw new ParseError(
      { file: fileName, line: 1, field: 'ENER_FIT' },
      `an energy calibration ($ENER_FIT: or $MCA_CAL:; this file of ${n} channels has none: pass the energyCalibration option)`,
      'none',
    );
  }
  if (!(calibration.gainKeVPerChannel > 0)) {
    throw new ParseError(
      { file: fileName, line: (fit ?? mca)?.line ?? 1, field: fit ? 'ENER_FIT' : 'MCA_CAL' },
      'a gain > 0 keV/channel',
      String(calibration.gainKeVPerChannel),
    );
  }
  // Channel `first` is the first count: shift the offset when the data do not start at 0.
  const offsetKeV = calibration.offsetKeV + calibration.gainKeVPerChannel * first;
  const metadata: Record<string, string> = {};
  for (const [name, sec] of sections) {
    if (name !== 'DATA') metadata[name] = sec.values.map((v) => v.text).join('\n');
  }
  const spectrum: Spectrum = {
    counts,
    calibration: { offsetKeV, gainKeVPerChannel: calibration.gainKeVPerChannel, nChannels: n },
    liveTimeS,
    metadata,
    source: fileName,
  };
  if (realTimeS !== undefined && realTimeS >= 0) spectrum.realTimeS = realTimeS;
  const negative = negativeChannels(counts);
  if (negative) {
    spectrum.negativeCountChannels = negative;
    notes.push(negativeCountsNote(negative, counts, spectrum.calibration));
  }
  if (notes.length > 0) spectrum.notes = notes;
  return spectrum;
}

/**
 * True if the text starts like an ASCII `.spe` file (`$SPEC_ID:` or another `$…:` section).
 *
 * @example
 * ```ts
 * import { looksLikeSpe } from 'cmxrf/io';
 * looksLikeSpe('$SPEC_ID:\nCu foil\n$MEAS_TIM:\n100 100\n'); // true
 * looksLikeSpe('#FORMAT : EMSA/MAS Spectral Data File'); // false
 * ```
 */
export function looksLikeSpe(input: TextInput): boolean {
  const head = sniffHead(input, 4096).trimStart();
  return /^\$[A-Z_]+:/.test(head) && head.includes('$DATA:');
}
