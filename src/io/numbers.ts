/**
 * Strict number parsing for the text formats: no `NaN`, no hexadecimal, no `Infinity`,
 * no empty strings (unlike `Number()`).
 *
 * @module
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const COMMA_DECIMAL = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a decimal number written with a `.` separator (and, when `commaDecimal` is set,
 * alternatively with a single `,` separator, as in `0,01`). Returns `undefined` for anything
 * else, including values that overflow to ±Infinity.
 */
export function parseDecimal(token: string, commaDecimal = false): number | undefined {
  const t = token.trim();
  let value: number;
  if (DECIMAL.test(t)) value = Number(t);
  else if (commaDecimal && COMMA_DECIMAL.test(t)) value = Number(t.replace(',', '.'));
  else return undefined;
  return Number.isFinite(value) ? value : undefined;
}

/** Formats a number so that {@link parseDecimal} reads back the identical double. */
export function formatNumber(value: number, commaDecimal = false): string {
  const s = String(value);
  return commaDecimal ? s.replace('.', ',') : s;
}
