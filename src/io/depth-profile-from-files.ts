/**
 * Depth profiles from a set of files holding one spectrum each (e.g. a Bruker M4 export of one
 * `.spx` per z position). Works on `{ fileName, bytes }` records, without `fs`, so it runs in
 * browsers too; `readDepthProfileFromPaths` (Node) reads a folder, glob or list into them.
 *
 * @module
 */
import { InvalidArgumentError, ParseError } from '../errors';
import type { DepthProfile } from '../profile';
import { assembleDepthProfile, stagePositionOn } from './depth-profile-from-spectra';
import { type ParseSpectrumAutoOptions, parseSpectrumAuto } from './spectrum-auto';
import type { ScanAxis, Spectrum, TextInput } from './types';

/** One file of a set: its name (quoted in errors) and its content. */
export interface SpectrumFile {
  /** File name or path, quoted in error messages and notes. */
  fileName: string;
  /** The file's content: raw bytes or decoded text. */
  bytes: TextInput;
}

/** Options of {@link depthProfileFromFiles}. */
export interface DepthProfileFromFilesOptions extends Omit<ParseSpectrumAutoOptions, 'fileName'> {
  /** Stage axis of the depth scan. @default 'z' */
  scanAxis?: ScanAxis;
  /** Negate the stage positions (stage axis pointing out of the sample). @default false */
  invertAxis?: boolean;
  /**
   * Scan positions (µm), one per file **in the order given**, instead of the stage positions
   * stored in the files. The files are then ordered by these positions.
   */
  depthsUm?: ArrayLike<number>;
  /** Free-form origin stored in `DepthProfile.source`. @default a summary of the file names */
  source?: string;
  /**
   * Largest spread (µm) of the stage coordinates off the scan axis before a note warns that
   * the set may not be a depth scan (positions are never changed).
   * @default 1
   */
  offAxisToleranceUm?: number;
}

interface Entry {
  file: string;
  spectrum: Spectrum;
  depthUm: number;
}

/**
 * Reads a set of single-spectrum files (EMSA/MSA, Bruker `.spx`, XMI-MSIM; any mix) as one
 * depth profile, ordered by scan position. Positions come from each file's stage coordinate
 * on `scanAxis` (e.g. the `RTREM` block of Bruker M4/M6 exports, `#ZPOSITION` of EMSA), or from
 * `depthsUm`. The same checks as for a multi-spectrum file apply: equal channel count and
 * energy calibration (gain within 1e-6 relative, offset within 1e-3 channel), finite counts,
 * distinct positions. Live times may differ: each step keeps its own (`liveTimesS`), with a
 * note. Negative counts are kept and flagged (`negativeCountChannels`).
 *
 * @throws {ParseError} naming the offending file: unreadable format, no position on the scan
 *   axis, two files at the same position, a calibration or channel count different from the
 *   first file's.
 * @throws {InvalidArgumentError} on an empty set or a `depthsUm` of the wrong length.
 * @example
 * ```ts
 * const profile = depthProfileFromFiles([
 *   { fileName: 'z127.510.spx', bytes: b1 },
 *   { fileName: 'z127.505.spx', bytes: b0 },
 * ]);
 * // profile.depthsUm → [127505, 127510] (sorted), one step per file
 * ```
 */
export function depthProfileFromFiles(
  files: readonly SpectrumFile[],
  options: DepthProfileFromFilesOptions = {},
): DepthProfile {
  if (!Array.isArray(files) || files.length === 0) {
    throw new InvalidArgumentError(
      `files must be a non-empty array of { fileName, bytes }. Value: \`${Array.isArray(files) ? 'length 0' : typeof files}\`.`,
    );
  }
  const { depthsUm } = options;
  if (depthsUm !== undefined && depthsUm.length !== files.length) {
    throw new InvalidArgumentError(
      `depthsUm must have one entry per file (${files.length}). Value: \`length ${depthsUm.length}\`.`,
    );
  }
  const axis = options.scanAxis ?? 'z';
  const sign = options.invertAxis ? -1 : 1;
  const entries: Entry[] = files.map((f, i) => {
    const spectrum = parseSpectrumAuto(f.bytes, { ...options, fileName: f.fileName });
    let depthUm: number;
    if (depthsUm !== undefined) depthUm = depthsUm[i];
    else {
      const p = stagePositionOn(spectrum, axis);
      if (p === undefined) {
        throw new ParseError(
          { file: f.fileName, field: `${axis}Um` },
          `a stage ${axis.toUpperCase()} position in the file (or the depthsUm option)`,
          'none',
        );
      }
      depthUm = sign * p;
    }
    if (typeof depthUm !== 'number' || !Number.isFinite(depthUm)) {
      throw new ParseError(
        { file: f.fileName, field: 'depthUm' },
        'a finite scan position (µm)',
        String(depthUm),
      );
    }
    return { file: f.fileName, spectrum, depthUm };
  });
  entries.sort((a, b) => a.depthUm - b.depthUm);
  for (let i = 1; i < entries.length; i++) {
    if (entries[i].depthUm === entries[i - 1].depthUm) {
      throw new ParseError(
        { file: entries[i].file, field: 'depthUm' },
        `a scan position different from every other file's (${entries[i - 1].file} is also at ${entries[i].depthUm} µm)`,
        String(entries[i].depthUm),
      );
    }
  }
  const reference = entries[0].file;
  const profile = assembleDepthProfile(
    entries.map((e) => e.spectrum),
    entries.map((e) => e.depthUm),
    (step, field, expected, got) =>
      new ParseError(
        { file: entries[step].file, field },
        expected.replace('the first spectrum', `the first file, ${reference}`),
        got,
      ),
    options.source ?? summarise(entries.map((e) => e.file)),
  );
  const notes = profile.notes ?? [];
  notes.unshift(positionNote(entries, axis, depthsUm !== undefined, options.invertAxis === true));
  notes.push(...offAxisNotes(entries, axis, options.offAxisToleranceUm ?? 1));
  profile.notes = notes;
  return profile;
}

function summarise(names: string[]): string {
  if (names.length === 1) return names[0];
  return `${names.length} files: ${names[0]} … ${names[names.length - 1]}`;
}

function positionNote(entries: Entry[], axis: ScanAxis, given: boolean, inverted: boolean): string {
  if (given) return 'scan positions from the depthsUm option; files ordered by them';
  const units = new Set(
    entries.map((e) => {
      const u = e.spectrum.stageUnit;
      return u ? `${u.field} (${u.unit}, ${u.from})` : 'unknown source';
    }),
  );
  return (
    `scan positions: stage ${axis.toUpperCase()}${inverted ? ' negated (invertAxis)' : ''} from ` +
    `${[...units].join('; ')}; files ordered by position`
  );
}

function offAxisNotes(entries: Entry[], axis: ScanAxis, tolUm: number): string[] {
  const out: string[] = [];
  for (const other of ['x', 'y', 'z'] as const) {
    if (other === axis) continue;
    let min = Infinity;
    let max = -Infinity;
    for (const e of entries) {
      const p = stagePositionOn(e.spectrum, other);
      if (p === undefined) continue;
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    if (max - min > tolUm) {
      out.push(
        `stage ${other.toUpperCase()} varies by ${Number((max - min).toPrecision(4))} µm between files: the set may not be a depth scan along ${axis.toUpperCase()}`,
      );
    }
  }
  return out;
}
