/**
 * FROZEN COPY of src/model/fastLog.ts as it was before the energy rebinning of two scan steps per
 * pass over the plan and the logarithm in the loop of the weighted sum of rows, kept so that
 * the model benchmark can time the current preprocessing against it in the same run. Not part
 * of the package; do not edit.
 */
/**
 * The model-input normalisation `ln(1 + rate · ref) · invScale` over a row of rates, about four
 * times faster than `Math.log1p` per value and equal to it in float32 (the model input's type):
 * `ln y = e · ln 2 + ln(1 + k/4096) + ln(1 + d)` with the exponent `e` and the top 12 mantissa
 * bits `k` of `y` read from its IEEE-754 bits, a 4097-entry table of `ln(1 + k/4096)` and a
 * cubic series for `|d| < 2⁻¹²` (truncation error < 2⁻⁵⁰). Rates `rate · ref < 2⁻¹⁰` use the
 * series of `log1p` directly, so no precision is lost forming `1 + rate · ref`.
 *
 * @module
 */

const T = 12;
const N = 1 << T;
/** `ln(1 + k/N)` at [2k] and `1/(1 + k/N)` at [2k + 1]: both values of a row in one cache line. */
const LN_INV = new Float64Array(2 * N);
for (let k = 0; k < N; k++) {
  LN_INV[2 * k] = Math.log1p(k / N);
  LN_INV[2 * k + 1] = 1 / (1 + k / N);
}
/** 2^(1023 − e) for each biased exponent e. */
const POW2_NEG = new Float64Array(2048);
for (let e = 0; e < 2048; e++) POW2_NEG[e] = Math.pow(2, 1023 - e);
const INV_N = 1 / N;

/** Scratch of one row: the values `1 + rate · ref` and a view of their bits. */
export class Log1pRow {
  /**
   * `1 + max(rate, 0) · ref` of each value of the row: written by {@link Log1pRow.apply}, or by
   * the caller (together with the rates) before {@link Log1pRow.finish}.
   */
  readonly y: Float64Array;
  private readonly bits: Uint32Array;
  constructor(readonly length: number) {
    this.y = new Float64Array(length);
    this.bits = new Uint32Array(this.y.buffer);
  }

  /**
   * `dst[dstOffset + k] = ln(1 + max(src[srcOffset + k], 0) · ref) · invScale` for k < length.
   * Allocation-free. Little-endian hosts only (every platform Node and browsers run on).
   */
  apply(
    src: Float64Array,
    srcOffset: number,
    dst: Float32Array,
    dstOffset: number,
    ref: number,
    invScale: number,
  ): void {
    const { y, length } = this;
    for (let k = 0; k < length; k++) {
      const v = src[srcOffset + k];
      y[k] = v > 0 ? 1 + v * ref : 1;
    }
    this.finish(src, srcOffset, dst, dstOffset, ref, invScale);
  }

  /**
   * {@link Log1pRow.apply} with {@link Log1pRow.y} already holding `v > 0 ? 1 + v · ref : 1`
   * of the rates `v = src[srcOffset + k]` (a caller that computes the rates writes both in one
   * pass).
   */
  finish(
    src: Float64Array,
    srcOffset: number,
    dst: Float32Array,
    dstOffset: number,
    ref: number,
    invScale: number,
  ): void {
    const { y, bits, length } = this;
    for (let k = 0; k < length; k++) {
      const yk = y[k];
      if (yk < 1.0009765625) {
        // 1 + 2^-10: the log1p series, from z itself.
        const v = src[srcOffset + k];
        const z = v > 0 ? v * ref : 0;
        dst[dstOffset + k] = z * (1 - z * (0.5 - z * (1 / 3 - z * (0.25 - z * 0.2)))) * invScale;
        continue;
      }
      const hi = bits[2 * k + 1];
      const e = hi >>> 20;
      const m = (hi >>> (20 - T)) & (N - 1);
      // 1 + m/N is exact and (e − 1023)·ln 2 is the product the former tables held, so the
      // result is unchanged; 1/(1 + m/N) and ln(1 + m/N) come from one row of one table.
      const d = (yk * POW2_NEG[e] - (1 + m * INV_N)) * LN_INV[2 * m + 1];
      dst[dstOffset + k] =
        ((e - 1023) * Math.LN2 + LN_INV[2 * m] + d * (1 - d * (0.5 - d * 0.3333333333333333))) *
        invScale;
    }
  }
}
