/**
 * Moments of the Poisson unit deviance against an independent evaluation: the pmf from
 * exp(m ln λ − λ − ln m!) (ln m! by summed logarithms) and the deviance from its definition,
 * summed far into the tail.
 */
import { describe, expect, it } from 'vitest';
import { unitDeviance, unitDevianceMoments } from '../../src/refine/deviance';

function reference(lambda: number): { mean: number; variance: number } {
  let lnFact = 0;
  let s1 = 0;
  let s2 = 0;
  for (let m = 0; m <= lambda + 40 * Math.sqrt(lambda) + 60; m++) {
    if (m > 0) lnFact += Math.log(m);
    const p = Math.exp(m * Math.log(lambda) - lambda - lnFact);
    const d = m > 0 ? 2 * (m * Math.log(m / lambda) - (m - lambda)) : 2 * lambda;
    s1 += p * d;
    s2 += p * d * d;
  }
  return { mean: s1, variance: s2 - s1 * s1 };
}

describe('unitDevianceMoments', () => {
  it('matches a direct evaluation to 1e-10 for λ from 1e-4 to 49.9', () => {
    for (const lambda of [1e-4, 0.003, 0.1, 0.5, 1, 2.7, 7, 13.3, 25, 49.9]) {
      const got = unitDevianceMoments(lambda);
      const ref = reference(lambda);
      expect(Math.abs(got.mean / ref.mean - 1), `mean at λ = ${lambda}`).toBeLessThan(1e-10);
      expect(Math.abs(got.variance / ref.variance - 1), `variance at λ = ${lambda}`).toBeLessThan(
        1e-9,
      );
    }
  });

  it('joins the large-λ expansion at λ = 50 (mean 0.01 %, variance 1.3 %), is 0 for λ ≤ 0', () => {
    const below = unitDevianceMoments(49.999);
    const above = unitDevianceMoments(50);
    expect(Math.abs(below.mean / above.mean - 1)).toBeLessThan(1e-4);
    expect(Math.abs(below.variance / above.variance - 1)).toBeLessThan(0.015);
    expect(unitDevianceMoments(0)).toEqual({ mean: 0, variance: 0 });
  });

  it('unitDeviance is 2f at m = 0 and 0 at m = f', () => {
    expect(unitDeviance(0, 3.5)).toBe(7);
    expect(unitDeviance(4, 4)).toBe(0);
  });
});
