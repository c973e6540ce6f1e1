/**
 * Atomic physics core: atomic data (Elam), materials, cross sections, fluorescence production.
 * @module physics
 */
export { atomicNumber, elementData, MAX_Z } from './elementData.js';
export type {
  EdgeData,
  ElementData,
  ElementLike,
  LineData,
  LogSplineTable,
  Shell,
} from './elementData.js';
export { element, massFractions, parseFormula, resolveMaterial } from './material.js';
export type {
  ElementInfo,
  MassFractions,
  MassFractionsOptions,
  Material,
  ResolvedMaterial,
} from './material.js';
export {
  comptonCrossSection,
  createEnergyGrid,
  crossSectionGrid,
  crossSectionOnGrid,
  massAttenuation,
  massAttenuationGrid,
  photoCrossSection,
  photoCrossSectionGrid,
  rayleighCrossSection,
} from './crossSections.js';
export type { CrossSectionKind, EnergyGrid } from './crossSections.js';
export {
  comptonEnergyKeV,
  costerKronig,
  edge,
  edgeEnergyKeV,
  ELECTRON_REST_ENERGY_KEV,
  fluorescenceYield,
  jumpRatio,
  line,
  lineEnergyKeV,
  lineRadiativeRate,
  lines,
} from './atomicParameters.js';
export type { LineInfo } from './atomicParameters.js';
export {
  fluorescenceProduction,
  fluorescenceProductionGrid,
  shellIonisationFraction,
  shellPhotoCrossSection,
  shellVacancyFraction,
} from './fluorescence.js';
export { ELAM_SHA256, ELAM_VERSION } from './data/elam.generated.js';
