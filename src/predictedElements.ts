/**
 * The 53 elements the cmxrf network predicts, in the fixed order (by Z) used by datasets,
 * labels, the ONNX model outputs and every result: K–Nb without Kr (22), Cd–W without Xe and
 * Pm (25), Pt–Bi (6).
 *
 * @module
 */

/** Element symbols of the 53 predicted elements, ordered by atomic number. */
export const PREDICTED_ELEMENTS = [
  'K', 'Ca', 'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Ga', 'Ge', 'As', 'Se',
  'Br', 'Rb', 'Sr', 'Y', 'Zr', 'Nb',
  'Cd', 'In', 'Sn', 'Sb', 'Te', 'I', 'Cs', 'Ba', 'La', 'Ce', 'Pr', 'Nd', 'Sm', 'Eu', 'Gd', 'Tb',
  'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu', 'Hf', 'Ta', 'W',
  'Pt', 'Au', 'Hg', 'Tl', 'Pb', 'Bi',
] as const; // prettier-ignore

/** Symbol of one of the 53 predicted elements. */
export type PredictedElement = (typeof PREDICTED_ELEMENTS)[number];

/**
 * Names of the label columns of a training dataset, in order: the 53 mass fractions (0..1),
 * then the scalar targets.
 */
export const LABEL_NAMES = [
  ...PREDICTED_ELEMENTS.map((s) => `massFraction_${s}`),
  'densityGPerCm3',
  'surfaceUm',
  'tA',
  'tB',
  'tM',
  'sigmaMaxUm',
  'sigmaExpPerKeV',
  'sigmaOffUm',
  'liveTimeS',
] as const;
