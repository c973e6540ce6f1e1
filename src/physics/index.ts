/**
 * Atomic physics core: atomic data (Elam tables via xraydb; yields, rates, cascades, subshell
 * shares, form factors and Compton profiles via xraylib), materials, cross sections,
 * differential scattering, fluorescence production.
 * @module physics
 */
export { atomicNumber, elementData, MAX_Z } from './elementData.js';
export type {
  EdgeData,
  ElementData,
  ElementLike,
  InnerShellData,
  LineData,
  LogSplineTable,
  PhotoShareTable,
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
  fluorescenceLineCrossSectionCm2PerG,
  fluorescenceProduction,
  fluorescenceProductionGrid,
  INNER_SHELLS,
  innerShellVacancies,
  shellIonisationFraction,
  shellPhotoCrossSection,
  shellVacancyFraction,
} from './fluorescence.js';
export type { CascadeMode, CascadeOptions } from './fluorescence.js';
export {
  atomicFormFactor,
  AVOGADRO_PER_MOL,
  CLASSICAL_ELECTRON_RADIUS_CM,
  comptonDifferentialCm2PerGPerSr,
  comptonDopplerDensityGrid,
  comptonProfile,
  comptonPzAu,
  createScatterGrid,
  HC_KEV_ANGSTROM,
  incoherentScatteringFunction,
  INVERSE_FINE_STRUCTURE,
  kleinNishinaDifferentialCm2PerSr,
  momentumTransferPerAngstrom,
  rayleighDifferentialCm2PerGPerSr,
  scatterDifferentialGrid,
  scatterOnGrid,
  thomsonDifferentialCm2PerSr,
} from './scattering.js';
export type { ScatterGrid, ScatterKind } from './scattering.js';
export { ATOMIC_DATA_PACKAGES, ELAM_SHA256, ELAM_VERSION } from './data/atomicData.generated.js';
