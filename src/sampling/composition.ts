/**
 * Random sample compositions for training data (docs/physics.md §9): an archetype, its majors, traces
 * of the 53 predicted elements, and a light matrix or base metal as the balance.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from '../errors.js';
import { PREDICTED_ELEMENTS } from '../predictedElements.js';
import type { ArchetypeId, ArchetypePrior, CompositionPrior } from './compositionPriorTypes.js';
import { DEFAULT_COMPOSITION_PRIOR } from './data/compositionPrior.js';
import { logUniform, normal, uniform, type Rng } from './rng.js';

/** A sampled composition. */
export interface SampledComposition {
  /** Mass fractions by element symbol (only present elements; all > 0, sum 1 within 1e-12). */
  massFractions: Record<string, number>;
  /** The archetype the composition was drawn from. */
  archetype: ArchetypeId;
  /** Elements added by the prior's broad component (absent when it did not act). */
  broadElements?: string[];
}

const validated = new WeakSet<CompositionPrior>();

/**
 * Samples a composition from a prior:
 * 1. pick an archetype with probability ∝ weight;
 * 2. draw each of its majors (if present, probability `occurrence`) uniformly in its range;
 * 3. for each predicted element (in Z order) that is neither a major nor the balance element:
 *    present with its `occurrence`, then a log-normal mass fraction (median, log-sigma)
 *    truncated by rejection to [prior.minMassFraction, maxMassFraction];
 * 4. if majors + traces exceed 1 − minBalanceMassFraction, scale the traces down to fit (a scaled
 *    trace may then fall below minMassFraction);
 * 5. fill the remainder with the base metal (`metallic`) or with the light matrix, whose
 *    element weights are drawn uniformly in their ranges and normalised (`light`);
 * 6. divide by the sum, so the fractions sum to 1 within a few ulp;
 * 7. with the prior's broad component (probability `broad.probability`): pick 1…maxElements
 *    predicted elements that are neither majors nor the balance, each log-uniform in
 *    [broad.minMassFraction, broad.maxMassFraction] (sum capped at maxTotalMassFraction by
 *    scaling), scale the composition of steps 1–6 by (1 − sum) and add them.
 *
 * @param rng - Source of randomness.
 * @param prior - Composition prior. Default: {@link DEFAULT_COMPOSITION_PRIOR}.
 * @returns Mass fractions (0..1) of the present elements and the archetype id.
 * @throws InvalidArgumentError if a custom prior is inconsistent (see {@link validateCompositionPrior}).
 * @see R. L. Rudnick, S. Gao (2003), doi:10.1016/B0-08-043751-6/03016-4, and the other sources
 *   in COMPOSITION_PRIOR_SOURCES.
 * @example
 * ```ts
 * const { massFractions, archetype } = sampleComposition(createRng('s:0'));
 * // e.g. archetype 'soil', massFractions { Si: 0.29, O: 0.47, Fe: 0.031, Pb: 0.0012, … }
 * ```
 */
export function sampleComposition(
  rng: Rng,
  prior: CompositionPrior = DEFAULT_COMPOSITION_PRIOR,
): SampledComposition {
  validateCompositionPrior(prior);
  const archetype = pickArchetype(rng, prior.archetypes);
  const fractions: Record<string, number> = {};

  let majorSum = 0;
  for (const [el, range] of Object.entries(archetype.majors)) {
    if (range.occurrence !== undefined && rng.next() >= range.occurrence) continue;
    const w = uniform(rng, range.minMassFraction, range.maxMassFraction);
    fractions[el] = w;
    majorSum += w;
  }

  const table = prior.traceTables[archetype.traceTable];
  const traces: string[] = [];
  let traceSum = 0;
  for (const el of PREDICTED_ELEMENTS) {
    if (el in archetype.majors || el === archetype.balanceElement) continue;
    const p = table.elements[el];
    if (p === undefined || rng.next() >= p.occurrence) continue;
    const w = truncatedLogNormal(
      rng,
      p.medianMassFraction,
      p.logSigma,
      prior.minMassFraction,
      p.maxMassFraction,
    );
    fractions[el] = w;
    traces.push(el);
    traceSum += w;
  }

  const traceCap = 1 - archetype.minBalanceMassFraction - majorSum;
  if (traceSum > traceCap) {
    const scale = traceCap / traceSum;
    for (const el of traces) fractions[el] *= scale;
    traceSum = traceCap;
  }
  const remainder = 1 - majorSum - traceSum;

  if (archetype.kind === 'metallic') {
    const base = archetype.balanceElement as string;
    fractions[base] = (fractions[base] ?? 0) + remainder;
  } else {
    const weights: [string, number][] = [];
    let weightSum = 0;
    for (const [el, [lo, hi]] of Object.entries(archetype.matrix)) {
      const w = uniform(rng, lo, hi);
      weights.push([el, w]);
      weightSum += w;
    }
    for (const [el, w] of weights) {
      if (w > 0) fractions[el] = (fractions[el] ?? 0) + (remainder * w) / weightSum;
    }
  }

  let total = 0;
  for (const el in fractions) total += fractions[el];
  const massFractions: Record<string, number> = {};
  for (const el in fractions) {
    const w = fractions[el] / total;
    if (w > 0) massFractions[el] = w;
  }
  const broad = prior.broad;
  if (broad && broad.probability > 0 && rng.next() < broad.probability) {
    const candidates = PREDICTED_ELEMENTS.filter(
      (el) => !(el in archetype.majors) && el !== archetype.balanceElement,
    );
    const k = Math.min(1 + Math.floor(rng.next() * broad.maxElements), candidates.length);
    const added: [string, number][] = [];
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rng.next() * (candidates.length - i));
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
      const w = logUniform(rng, broad.minMassFraction, broad.maxMassFraction);
      added.push([candidates[i], w]);
      sum += w;
    }
    const scale = sum > broad.maxTotalMassFraction ? broad.maxTotalMassFraction / sum : 1;
    const keep = 1 - sum * scale;
    for (const el in massFractions) massFractions[el] *= keep;
    for (const [el, w] of added) massFractions[el] = (massFractions[el] ?? 0) + w * scale;
    return { massFractions, archetype: archetype.id, broadElements: added.map(([el]) => el) };
  }
  return { massFractions, archetype: archetype.id };
}

/**
 * A copy of `prior` with new archetype selection weights (archetypes not named keep theirs;
 * weight 0 disables one).
 *
 * @param prior - The prior to copy.
 * @param weights - New relative weights (≥ 0, finite) by archetype id.
 * @returns A new, validated prior.
 * @throws InvalidArgumentError for an unknown archetype id or a bad weight.
 * @example
 * ```ts
 * const metalsOnly = withArchetypeWeights(DEFAULT_COMPOSITION_PRIOR, {
 *   organic: 0, biologicalTissue: 0, silicateGlass: 0, carbonate: 0, oxideClay: 0, soil: 0,
 *   silicateRock: 0,
 * });
 * sampleComposition(createRng(1), metalsOnly).archetype; // e.g. 'brass'
 * ```
 */
export function withArchetypeWeights(
  prior: CompositionPrior,
  weights: Partial<Record<ArchetypeId, number>>,
): CompositionPrior {
  const ids = new Set(prior.archetypes.map((a) => a.id));
  for (const id of Object.keys(weights)) {
    if (!ids.has(id as ArchetypeId)) {
      throw new InvalidArgumentError(
        `Unknown archetype id; expected one of ${[...ids].join(', ')}. Value: \`${describeValue(id)}\`.`,
      );
    }
  }
  const next: CompositionPrior = {
    ...prior,
    archetypes: prior.archetypes.map((a) => ({ ...a, weight: weights[a.id] ?? a.weight })),
  };
  validateCompositionPrior(next);
  return next;
}

/**
 * Checks a prior once (results are cached per object): weights ≥ 0 with a positive sum; every
 * trace table exists; trace medians within [minMassFraction, maxMassFraction], log-sigma > 0,
 * occurrences in [0, 1]; major ranges within [0, 1] and their maxima summing to at most
 * 1 − minBalanceMassFraction; light archetypes have a matrix, metallic ones a balance element.
 *
 * @param prior - The prior to check.
 * @throws InvalidArgumentError naming the archetype/table, field and value at fault.
 * @example
 * ```ts
 * validateCompositionPrior(DEFAULT_COMPOSITION_PRIOR); // no throw
 * ```
 */
export function validateCompositionPrior(prior: CompositionPrior): void {
  if (validated.has(prior)) return;
  const fail = (where: string, value: unknown, expected: string): never => {
    throw new InvalidArgumentError(
      `Composition prior ${where} must be ${expected}. Value: \`${describeValue(value)}\`.`,
    );
  };
  const minW = prior.minMassFraction;
  if (!(minW > 0 && minW < 1)) fail('minMassFraction', minW, 'in (0, 1)');
  let weightSum = 0;
  for (const a of prior.archetypes) {
    if (!(a.weight >= 0 && Number.isFinite(a.weight))) fail(`${a.id}.weight`, a.weight, '≥ 0');
    weightSum += a.weight;
    if (!(prior.traceTables[a.traceTable] !== undefined))
      fail(`${a.id}.traceTable`, a.traceTable, 'a key of traceTables');
    const b = a.minBalanceMassFraction;
    if (!(b > 0 && b < 1)) fail(`${a.id}.minBalanceMassFraction`, b, 'in (0, 1)');
    let maxMajors = 0;
    for (const [el, m] of Object.entries(a.majors)) {
      if (!(
        m.minMassFraction >= 0 &&
        m.maxMassFraction >= m.minMassFraction &&
        m.maxMassFraction < 1
      ))
        fail(`${a.id}.majors.${el}`, m, '0 ≤ min ≤ max < 1');
      const occ = m.occurrence ?? 1;
      if (!(occ >= 0 && occ <= 1)) fail(`${a.id}.majors.${el}.occurrence`, occ, 'in [0, 1]');
      maxMajors += m.maxMassFraction;
    }
    if (maxMajors > 1 - b + 1e-12)
      fail(`${a.id} sum of major maxima`, maxMajors, `≤ 1 − minBalanceMassFraction = ${1 - b}`);
    if (a.kind === 'metallic' && (a.balanceElement === undefined || a.balanceElement in a.majors))
      fail(`${a.id}.balanceElement`, a.balanceElement, 'a symbol that is not a major');
    if (a.kind === 'light') {
      const ranges = Object.entries(a.matrix);
      if (ranges.length === 0) fail(`${a.id}.matrix`, a.matrix, 'non-empty');
      for (const [el, [lo, hi]] of ranges) {
        if (!(lo >= 0 && hi >= lo && Number.isFinite(hi)))
          fail(`${a.id}.matrix.${el}`, [lo, hi], '0 ≤ min ≤ max');
      }
      if (!ranges.some(([, [, hi]]) => hi > 0))
        fail(`${a.id}.matrix`, a.matrix, 'with a positive maximum');
    }
    const [dLo, dHi] = a.densityGPerCm3;
    if (!(dLo >= 0.5 && dHi >= dLo && dHi <= 9))
      fail(`${a.id}.densityGPerCm3`, [dLo, dHi], 'within 0.5–9');
  }
  if (!(weightSum > 0)) fail('archetype weights', weightSum, 'summing to > 0');
  const broad = prior.broad;
  if (broad !== undefined) {
    if (!(broad.probability >= 0 && broad.probability <= 1))
      fail('broad.probability', broad.probability, 'in [0, 1]');
    if (!(Number.isInteger(broad.maxElements) && broad.maxElements >= 1))
      fail('broad.maxElements', broad.maxElements, 'an integer ≥ 1');
    if (!(
      broad.minMassFraction >= minW &&
      broad.maxMassFraction >= broad.minMassFraction &&
      broad.maxMassFraction < 1
    ))
      fail(
        'broad mass-fraction range',
        [broad.minMassFraction, broad.maxMassFraction],
        `minMassFraction ≤ min ≤ max < 1`,
      );
    if (!(broad.maxTotalMassFraction > 0 && broad.maxTotalMassFraction < 1))
      fail('broad.maxTotalMassFraction', broad.maxTotalMassFraction, 'in (0, 1)');
  }
  for (const [key, t] of Object.entries(prior.traceTables)) {
    for (const [el, p] of Object.entries(t.elements)) {
      if (p === undefined) continue;
      const where = `traceTables.${key}.${el}`;
      if (!(p.occurrence >= 0 && p.occurrence <= 1))
        fail(`${where}.occurrence`, p.occurrence, 'in [0, 1]');
      if (!(p.logSigma > 0 && Number.isFinite(p.logSigma)))
        fail(`${where}.logSigma`, p.logSigma, '> 0');
      if (!(p.maxMassFraction > minW && p.maxMassFraction <= 1))
        fail(`${where}.maxMassFraction`, p.maxMassFraction, `in (${minW}, 1]`);
      if (!(p.medianMassFraction >= minW && p.medianMassFraction <= p.maxMassFraction))
        fail(
          `${where}.medianMassFraction`,
          p.medianMassFraction,
          `in [${minW}, ${p.maxMassFraction}]`,
        );
    }
  }
  validated.add(prior);
}

function pickArchetype(rng: Rng, archetypes: readonly ArchetypePrior[]): ArchetypePrior {
  let total = 0;
  for (const a of archetypes) total += a.weight;
  let u = rng.next() * total;
  let last = archetypes[0];
  for (const a of archetypes) {
    if (a.weight <= 0) continue;
    last = a;
    if (u < a.weight) return a;
    u -= a.weight;
  }
  return last; // only reached through rounding of the running subtraction
}

/**
 * Log-normal variate truncated to [lo, hi] by rejection. With the median inside [lo, hi] (checked
 * by validateCompositionPrior) each try is accepted with probability ≥ ~0.3 for the default
 * log-sigmas, so the cap of 1000 tries is never reached in practice.
 */
function truncatedLogNormal(rng: Rng, median: number, logSigma: number, lo: number, hi: number) {
  for (let i = 0; i < 1000; i++) {
    const w = median * Math.exp(logSigma * normal(rng));
    if (w >= lo && w <= hi) return w;
  }
  return median;
}
