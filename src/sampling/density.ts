/**
 * Random sample densities.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from '../errors.js';
import type { ArchetypeId, ArchetypePrior } from './compositionPriorTypes.js';
import { DEFAULT_COMPOSITION_PRIOR } from './data/compositionPrior.js';
import { logUniform, type Rng } from './rng.js';

/** Lowest density drawn (g/cm³): dry wood, porous organic matter. */
export const MIN_DENSITY_G_PER_CM3 = 0.5;
/** Highest density drawn (g/cm³): Cu and Ni alloys (docs/physics.md §9). */
export const MAX_DENSITY_G_PER_CM3 = 9;

/**
 * Samples a density (g/cm³).
 * - No archetype: log-uniform on [0.5, 9] (each factor of density equally likely, so light
 *   organic samples are not swamped by the dense end).
 * - With an archetype (id of the default prior, or an {@link ArchetypePrior}): log-uniform on
 *   the archetype's `densityGPerCm3` range, which lies within [0.5, 9]. Metallic archetypes are
 *   dense (steel 7.75–7.9, brass 8.4–8.75, bronze 8.7–8.95; Al alloys 2.6–2.85), light ones
 *   are not (organic 0.5–1.5, glass 2.2–4.0), so pass the archetype of the composition.
 *
 * @param rng - Source of randomness.
 * @param archetype - Optional archetype id or archetype prior.
 * @returns Density in g/cm³.
 * @throws InvalidArgumentError for an unknown archetype id.
 * @see W. M. Haynes (ed.), CRC Handbook of Chemistry and Physics, 97th ed. (2016),
 *   doi:10.1201/9781315380476
 * @example
 * ```ts
 * const rng = createRng('d');
 * const { archetype } = sampleComposition(rng);
 * sampleDensity(rng, archetype); // e.g. 8.6 for 'brass'
 * ```
 */
export function sampleDensity(rng: Rng, archetype?: ArchetypeId | ArchetypePrior): number {
  if (archetype === undefined) {
    return logUniform(rng, MIN_DENSITY_G_PER_CM3, MAX_DENSITY_G_PER_CM3);
  }
  const prior =
    typeof archetype === 'string'
      ? DEFAULT_COMPOSITION_PRIOR.archetypes.find((a) => a.id === archetype)
      : archetype;
  if (prior === undefined) {
    throw new InvalidArgumentError(
      `archetype must be an archetype id of the default prior. Value: \`${describeValue(archetype)}\`.`,
    );
  }
  const [lo, hi] = prior.densityGPerCm3;
  return logUniform(rng, lo, hi);
}
