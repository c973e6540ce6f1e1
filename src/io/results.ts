/**
 * Generic writers for result tables: CSV (RFC 4180 quoting) and JSON (typed arrays as arrays).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors';
import type { CsvDelimiter } from './depth-profile-csv';

/** Options of {@link resultsToCsv}. */
export interface ResultsToCsvOptions {
  /** Field delimiter. @default ',' */
  delimiter?: CsvDelimiter;
  /** Column order. @default the keys of the rows, in order of first appearance */
  columns?: string[];
}

function cell(value: string | number | undefined, d: string, where: string): string {
  if (value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new InvalidArgumentError(
        `${where} must be a finite number or a string. Value: \`${value}\`.`,
      );
    }
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(
      `${where} must be a number or a string. Value: \`${typeof value}\`.`,
    );
  }
  return value.includes(d) || value.includes('"') || value.includes('\n') || value.includes('\r')
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/**
 * Writes rows of named values as CSV with a header row (LF line ends, fields quoted per RFC 4180
 * when they contain the delimiter, a quote or a line break; missing values as empty fields).
 *
 * @throws {InvalidArgumentError} for non-finite numbers or values that are neither numbers nor
 *   strings (no NaN is ever written).
 * @example
 * ```ts
 * resultsToCsv([{ element: 'Fe', massFraction: 0.12 }]);
 * // returns 'element,massFraction\nFe,0.12\n'
 * ```
 */
export function resultsToCsv(
  rows: readonly Record<string, string | number>[],
  options: ResultsToCsvOptions = {},
): string {
  if (!Array.isArray(rows))
    throw new InvalidArgumentError(`rows must be an array. Value: \`${typeof rows}\`.`);
  const d = options.delimiter ?? ',';
  let columns = options.columns;
  if (columns === undefined) {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
    columns = [...seen];
  }
  const lines = [columns.map((c) => cell(c, d, 'column name')).join(d)];
  rows.forEach((r, i) => {
    lines.push(columns!.map((c) => cell(r[c], d, `rows[${i}].${c}`)).join(d));
  });
  return lines.join('\n') + '\n';
}

/** Options of {@link resultsToJson}. */
export interface ResultsToJsonOptions {
  /** Indentation (spaces). @default 2 */
  indent?: number;
}

/**
 * Serialises results (objects, arrays, typed arrays such as `DepthProfile.counts`) to JSON.
 * Typed arrays become plain arrays.
 *
 * @throws {InvalidArgumentError} for non-finite numbers (JSON would silently write `null`),
 *   bigint, functions or symbols.
 * @example
 * ```ts
 * resultsToJson({ depthsUm: new Float64Array([0, 5]) }, { indent: 0 });
 * // returns '{"depthsUm":[0,5]}'
 * ```
 */
export function resultsToJson(value: unknown, options: ResultsToJsonOptions = {}): string {
  const replacer = function (this: unknown, key: string, v: unknown): unknown {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new InvalidArgumentError(
        `${key || 'value'} must be finite to be written as JSON. Value: \`${v}\`.`,
      );
    }
    if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
      throw new InvalidArgumentError(
        `${key || 'value'} cannot be written as JSON. Value: \`${typeof v}\`.`,
      );
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView))
      return Array.from(v as unknown as ArrayLike<number>);
    return v;
  };
  const indent = options.indent ?? 2;
  return JSON.stringify(value, replacer, indent > 0 ? indent : undefined) ?? 'null';
}
