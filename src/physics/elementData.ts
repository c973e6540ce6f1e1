/**
 * Lazy, per-element, immutable access to the generated Elam data. Each element is decoded on
 * first use into a module-private cache (the cache is an implementation detail: results are
 * frozen / read-only and identical on every call).
 *
 * @module
 */
import { ELEMENT_JSON, ELEMENT_NAMES, ELEMENT_SYMBOLS } from './data/elam.generated.js';
import { CmxrfError, describeValue } from '../errors.js';

/** Shell label as in the Elam database (K, L1…L3, M1…M5, N1…N7, O1…O5, P1…P3). */
export type Shell = string;

/** One absorption edge of an element. */
export interface EdgeData {
  readonly shell: Shell;
  readonly energyKeV: number;
  readonly fluorescenceYield: number;
  readonly jumpRatio: number;
}

/** One emission line of an element. */
export interface LineData {
  /** IUPAC name, e.g. `K-L3`. */
  readonly iupac: string;
  /** Siegbahn name as in Elam, e.g. `Ka1`. */
  readonly siegbahn: string;
  readonly energyKeV: number;
  /** Radiative rate: fraction of radiative transitions filling the initial-vacancy shell. */
  readonly radiativeRate: number;
  /** Shell holding the initial vacancy (K, L1, …). */
  readonly shell: Shell;
}

/** A cubic spline table in log–log space (Numerical Recipes SPLINT layout). */
export interface LogSplineTable {
  /** ln(energy / eV), non-decreasing; an absorption edge appears as two equal abscissae. */
  readonly lnEnergyEv: Float64Array;
  /** ln(σ / (cm²/g)). */
  readonly lnValue: Float64Array;
  /** Second derivatives of the spline. */
  readonly d2: Float64Array;
}

/** Everything the package knows about one element. */
export interface ElementData {
  readonly z: number;
  readonly symbol: string;
  readonly name: string;
  /** Atomic weight (g/mol). */
  readonly atomicWeight: number;
  /** Density of the pure element (g/cm³), as tabulated by Elam (0 where unknown). */
  readonly densityGPerCm3: number;
  readonly edges: readonly EdgeData[];
  readonly lines: readonly LineData[];
  /** Direct Coster–Kronig probabilities `f[from][to]`. */
  readonly costerKronig: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly photo: LogSplineTable;
  readonly coherent: LogSplineTable;
  readonly incoherent: LogSplineTable;
}

/** Highest atomic number with data. */
export const MAX_Z = ELEMENT_SYMBOLS.length;

const cache: (ElementData | undefined)[] = new Array(MAX_Z + 1);
const zBySymbol = new Map<string, number>(ELEMENT_SYMBOLS.map((s, i) => [s.toLowerCase(), i + 1]));

interface Compact {
  h: [string, number, number, number];
  e: [string, number, number, number][];
  l: [string, string, number, number, string][];
  c: [string, string, number][];
  p: number[];
  s: number[];
}

function columns(flat: number[], nCols: number): Float64Array[] {
  const n = flat.length / nCols;
  const cols: Float64Array[] = [];
  for (let c = 0; c < nCols; c++) cols.push(Float64Array.from(flat.slice(c * n, (c + 1) * n)));
  return cols;
}

function decode(z: number): ElementData {
  const raw = JSON.parse(ELEMENT_JSON[z - 1]) as Compact;
  const [symbol, , atomicWeight, densityGPerCm3] = raw.h;
  const [pe, pv, pd] = columns(raw.p, 3);
  const [se, cv, cd, iv, id] = columns(raw.s, 5);
  const ck: Record<string, Record<string, number>> = {};
  for (const [from, to, f] of raw.c) (ck[from] ??= {})[to] = f;
  return Object.freeze({
    z,
    symbol,
    name: ELEMENT_NAMES[z - 1],
    atomicWeight,
    densityGPerCm3,
    edges: Object.freeze(
      raw.e.map(([shell, eV, fluorescenceYield, jumpRatio]) =>
        Object.freeze({ shell, energyKeV: eV / 1000, fluorescenceYield, jumpRatio }),
      ),
    ),
    lines: Object.freeze(
      raw.l.map(([iupac, siegbahn, eV, radiativeRate, shell]) =>
        Object.freeze({ iupac, siegbahn, energyKeV: eV / 1000, radiativeRate, shell }),
      ),
    ),
    costerKronig: Object.freeze(ck),
    photo: Object.freeze({ lnEnergyEv: pe, lnValue: pv, d2: pd }),
    coherent: Object.freeze({ lnEnergyEv: se, lnValue: cv, d2: cd }),
    incoherent: Object.freeze({ lnEnergyEv: se, lnValue: iv, d2: id }),
  });
}

/** An element given by symbol (`'Fe'`, case-insensitive) or atomic number (`26`). */
export type ElementLike = string | number;

/**
 * Resolves an element symbol or atomic number to Z.
 *
 * @throws {@link CmxrfError} with code `UNKNOWN_ELEMENT` for anything else.
 */
export function atomicNumber(el: ElementLike): number {
  if (typeof el === 'number') {
    if (Number.isInteger(el) && el >= 1 && el <= MAX_Z) return el;
  } else if (typeof el === 'string') {
    const z = zBySymbol.get(el.trim().toLowerCase());
    if (z !== undefined) return z;
  }
  throw new CmxrfError(
    'UNKNOWN_ELEMENT',
    `Unknown element: expected a symbol or an atomic number 1–${MAX_Z}. Value: \`${describeValue(el)}\`.`,
  );
}

/** The decoded data of one element (decoded once, then cached; read-only). */
export function elementData(el: ElementLike): ElementData {
  const z = atomicNumber(el);
  let d = cache[z];
  if (d === undefined) {
    d = decode(z);
    cache[z] = d;
  }
  return d;
}
