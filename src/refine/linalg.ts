/**
 * Small dense linear algebra for the refinement (n ≲ 40): Cholesky solve and a
 * scaled pseudo-inverse of a symmetric positive semi-definite matrix by Jacobi rotations.
 *
 * @module
 */

/**
 * Solves `A x = b` for symmetric positive definite `A` (row-major n × n) by Cholesky
 * decomposition. Returns `undefined` when `A` is not positive definite.
 */
export function choleskySolve(
  a: Float64Array,
  b: Float64Array,
  n: number,
): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.
 * Returns eigenvalues and eigenvectors (columns of `vectors`, row-major).
 */
export function symmetricEigen(
  a: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] * m[i * n + i];
      for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i];
  return { values, vectors: v };
}

/**
 * Pseudo-inverse of a symmetric positive semi-definite matrix, computed on the
 * diagonally scaled matrix (unit diagonal) and dropping eigenvalues below
 * `relativeCutoff` × the largest. Directions that the data do not constrain thus get no
 * variance instead of an infinite one; `rank` says how many were kept.
 */
export function scaledPseudoInverse(
  a: Float64Array,
  n: number,
  relativeCutoff = 1e-12,
): { inverse: Float64Array; rank: number } {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i * n + i] > 0 ? 1 / Math.sqrt(a[i * n + i]) : 0;
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = a[i * n + j] * d[i] * d[j];
  const { values, vectors } = symmetricEigen(s, n);
  let max = 0;
  for (const x of values) if (x > max) max = x;
  const inverse = new Float64Array(n * n);
  let rank = 0;
  for (let k = 0; k < n; k++) {
    if (!(values[k] > relativeCutoff * max)) continue;
    rank++;
    const inv = 1 / values[k];
    for (let i = 0; i < n; i++) {
      const vi = vectors[i * n + k] * inv;
      if (vi === 0) continue;
      for (let j = 0; j < n; j++) inverse[i * n + j] += vi * vectors[j * n + k];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inverse[i * n + j] *= d[i] * d[j];
  return { inverse, rank };
}
