/**
 * Types of the composition prior used by {@link sampleComposition}.
 *
 * @module
 */
import type { PredictedElement } from '../predictedElements.js';

/** Ids of the material archetypes of the default prior. */
export type ArchetypeId =
  | 'organic'
  | 'biologicalTissue'
  | 'silicateGlass'
  | 'carbonate'
  | 'oxideClay'
  | 'soil'
  | 'silicateRock'
  | 'steel'
  | 'stainlessSteel'
  | 'brass'
  | 'bronze'
  | 'solder'
  | 'nickelChromiumAlloy'
  | 'nickelCopperAlloy'
  | 'aluminiumAlloy';

/** Prior of one trace element: present with `occurrence`, then a truncated log-normal mass fraction. */
export interface TraceElementPrior {
  /** Probability that the element is present (0..1). */
  occurrence: number;
  /** Median of the log-normal mass fraction (0..1), within [minMassFraction, maxMassFraction]. */
  medianMassFraction: number;
  /** Standard deviation of ln(mass fraction) (> 0). */
  logSigma: number;
  /** Upper truncation of the mass fraction (0..1]. */
  maxMassFraction: number;
  /** Mass fraction in the cited reference (`null`: not listed there); documentation only. */
  referenceMassFraction: number | null;
}

/** A table of trace-element priors (one per predicted element it covers) with its provenance. */
export interface TraceTable {
  /** Keys of {@link COMPOSITION_PRIOR_SOURCES} the values come from. */
  sources: readonly string[];
  /** Priors by element symbol; an element not listed is never drawn as a trace. */
  elements: Readonly<Partial<Record<PredictedElement, TraceElementPrior>>>;
}

/** Mass-fraction range of a major element set by an archetype itself, drawn uniformly. */
export interface MajorElementRange {
  /** Lower bound (0..1). */
  minMassFraction: number;
  /** Upper bound (0..1). */
  maxMassFraction: number;
  /** Probability that the element is present at all. @default 1 */
  occurrence?: number;
}

/** A material archetype: its majors, its balance (light matrix or a base metal) and its traces. */
export interface ArchetypePrior {
  /** Archetype id. */
  id: ArchetypeId;
  /** Short human description. */
  description: string;
  /** `light`: remainder is a light-element matrix; `metallic`: remainder is a base metal. */
  kind: 'light' | 'metallic';
  /** Relative selection weight (≥ 0); normalised over all archetypes. */
  weight: number;
  /** Elements (any symbol) whose mass fraction the archetype sets itself. */
  majors: Readonly<Record<string, MajorElementRange>>;
  /**
   * `light`: relative weights of the matrix elements (H, C, N, O, Na, Mg, Al, Si, P, S, Cl …),
   * each drawn uniformly in [min, max] and normalised to fill the remainder. Empty for metals.
   */
  matrix: Readonly<Record<string, readonly [number, number]>>;
  /** `metallic`: the base metal that takes the remainder. */
  balanceElement?: string;
  /** The remainder (matrix or base metal) is at least this mass fraction; traces are scaled down to keep it. */
  minBalanceMassFraction: number;
  /** Key of the trace table in {@link CompositionPrior.traceTables}. */
  traceTable: string;
  /** Density range (g/cm³) used by `sampleDensity`, within 0.5–9. */
  densityGPerCm3: readonly [number, number];
  /** Keys of {@link COMPOSITION_PRIOR_SOURCES} for majors, matrix and density. */
  sources: readonly string[];
}

/**
 * A broad component beside the archetypes: with `probability`, a sample drawn from its archetype
 * is mixed with 1…`maxElements` predicted elements chosen uniformly (not the archetype's majors
 * or balance), each at a log-uniform mass fraction in [minMassFraction, maxMassFraction]; the
 * archetype's composition is scaled by (1 − their sum), the sum being capped at `maxTotalMassFraction`.
 * Gives every predicted element a real chance at percent levels in every matrix class.
 */
export interface BroadComponentPrior {
  /** Probability per sample (0..1). */
  probability: number;
  /** Largest number of added elements (≥ 1); the number is uniform in 1…maxElements. */
  maxElements: number;
  /** Lower end of the log-uniform mass fraction of each added element. */
  minMassFraction: number;
  /** Upper end of the log-uniform mass fraction of each added element. */
  maxMassFraction: number;
  /** Cap of the summed mass fraction of the added elements (< 1). */
  maxTotalMassFraction: number;
}

/** The whole composition prior. */
export interface CompositionPrior {
  /** Lower truncation of every log-normal trace mass fraction. */
  minMassFraction: number;
  /** Archetypes; one is picked per sample with probability ∝ weight. */
  archetypes: readonly ArchetypePrior[];
  /** Trace tables by key. */
  traceTables: Readonly<Record<string, TraceTable>>;
  /** Optional broad component (see {@link BroadComponentPrior}). */
  broad?: BroadComponentPrior;
}
