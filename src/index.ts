/**
 * cmxrf — quantitative confocal micro-X-ray fluorescence.
 * @module
 */
export * from './errors.js';
export * from './physics/index.js';
export * from './predictedElements.js';
export type * from './profile.js';
export * from './sampling/index.js';
export * from './spectra/index.js';
export * from './io/index.js';
export * from './model/index.js';
export * from './refine/index.js';
