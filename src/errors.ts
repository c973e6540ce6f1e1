/**
 * Typed errors of cmxrf. Every error carries a stable machine-readable `code` and a message that
 * quotes the offending value, the expectation and, for parsers, the place (file, line, channel).
 *
 * @module
 */

/** Stable error codes. */
export type CmxrfErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_ELEMENT'
  | 'UNKNOWN_LINE'
  | 'UNKNOWN_SHELL'
  | 'MALFORMED_FORMULA'
  | 'ENERGY_OUT_OF_RANGE'
  | 'NO_DATA'
  | 'PARSE_ERROR'
  | 'MODEL_ERROR'
  | 'IO_ERROR';

/** Base class of every error thrown by cmxrf. */
export class CmxrfError extends Error {
  /** Stable code, safe to switch on. */
  readonly code: CmxrfErrorCode;
  constructor(code: CmxrfErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CmxrfError';
    this.code = code;
  }
}

/** A function argument is invalid (NaN, negative, wrong shape …). */
export class InvalidArgumentError extends CmxrfError {
  constructor(message: string, code: CmxrfErrorCode = 'INVALID_ARGUMENT') {
    super(code, message);
    this.name = 'InvalidArgumentError';
  }
}

/** An energy lies outside the tabulated range of the atomic data (no extrapolation is done). */
export class EnergyOutOfRangeError extends CmxrfError {
  readonly energyKeV: number;
  readonly minKeV: number;
  readonly maxKeV: number;
  readonly z: number | undefined;
  constructor(energyKeV: number, minKeV: number, maxKeV: number, z?: number) {
    super(
      'ENERGY_OUT_OF_RANGE',
      `Energy ${energyKeV} keV is outside the tabulated range ${minKeV}–${maxKeV} keV` +
        (z !== undefined ? ` for Z = ${z}` : '') +
        '. Value: `' +
        String(energyKeV) +
        '`.',
    );
    this.name = 'EnergyOutOfRangeError';
    this.energyKeV = energyKeV;
    this.minKeV = minKeV;
    this.maxKeV = maxKeV;
    this.z = z;
  }
}

/** Where a parse error occurred. */
export interface ParseErrorLocation {
  /** File name or a description of the source (e.g. `"<string>"`). */
  file: string;
  /** 1-based line number, where the format is line-oriented. */
  line?: number;
  /** 0-based channel index, where relevant. */
  channel?: number;
  /** Field or keyword, where relevant. */
  field?: string;
}

/** Malformed input data: names the file, line/channel/field, what was expected and what was found. */
export class ParseError extends CmxrfError {
  readonly file: string;
  readonly line: number | undefined;
  readonly channel: number | undefined;
  readonly field: string | undefined;
  readonly expected: string;
  readonly got: string;
  constructor(location: ParseErrorLocation, expected: string, got: string) {
    const where = [
      location.file,
      location.line !== undefined ? `line ${location.line}` : undefined,
      location.channel !== undefined ? `channel ${location.channel}` : undefined,
      location.field !== undefined ? `field ${location.field}` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(', ');
    super('PARSE_ERROR', `${where}: expected ${expected}, got ${got}`);
    this.name = 'ParseError';
    this.file = location.file;
    this.line = location.line;
    this.channel = location.channel;
    this.field = location.field;
    this.expected = expected;
    this.got = got;
  }
}

/** Formats a value for an error message (strings quoted, long values shortened). */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === undefined ||
    value === null
  )
    text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Throws unless `value` is a finite number (optionally within bounds). Returns the value. */
export function requireFinite(
  name: string,
  value: number,
  bounds: { min?: number; max?: number; exclusiveMin?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(
      `${name} must be a finite number. Value: \`${describeValue(value)}\`.`,
    );
  }
  if (
    bounds.min !== undefined &&
    (bounds.exclusiveMin ? value <= bounds.min : value < bounds.min)
  ) {
    throw new InvalidArgumentError(
      `${name} must be ${bounds.exclusiveMin ? '>' : '≥'} ${bounds.min}. Value: \`${value}\`.`,
    );
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw new InvalidArgumentError(`${name} must be ≤ ${bounds.max}. Value: \`${value}\`.`);
  }
  return value;
}
