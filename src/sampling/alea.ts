/**
 * Typed access to seedrandom's Alea generator (J. Baagøe, 2010). Internal; not exported from the
 * package. `seedrandom/lib/alea.js` is a CommonJS module without its own type declaration, so it
 * is imported as a default import (Node ESM, vitest and tsup all expose `module.exports` as the
 * default export) and typed here against `@types/seedrandom`.
 *
 * @module
 * @internal
 */
import type seedrandom from 'seedrandom';
// @ts-expect-error -- `seedrandom/lib/alea.js` has no declaration file; typed just below.
import aleaUntyped from 'seedrandom/lib/alea.js';

/** The four numbers that make up the whole state of an Alea generator. */
export type AleaState = seedrandom.State.Alea;

/** A seeded Alea generator whose state can be read. */
export type AleaPrng = seedrandom.StatefulPRNG<AleaState>;

/** Alea factory of seedrandom, typed. */
export const alea = aleaUntyped as typeof seedrandom.alea;
