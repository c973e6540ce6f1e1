/**
 * Materials: element symbols, chemical formulas and mass-fraction records (of elements or of
 * compounds), all normalised to element mass fractions.
 *
 * @module
 */
import { CmxrfError, InvalidArgumentError, describeValue } from '../errors.js';
import { atomicNumber, elementData, type ElementLike } from './elementData.js';

/**
 * A material: an element symbol (`'Fe'`) or atomic number (`26`), a chemical formula (`'Fe2O3'`, `'Ca3(PO4)2'`,
 * `'CuSO4·5H2O'`), or a record of mass fractions whose keys are elements or formulas
 * (`{ SiO2: 0.7, Na2O: 0.2, CaO: 0.1 }`). Mass fractions are 0..1, never percent.
 */
export type Material = string | number | Readonly<Record<string, number>>;

/** Element mass fractions keyed by symbol, summing to 1. */
export type MassFractions = Readonly<Record<string, number>>;

/** A material resolved for hot loops: parallel arrays of Z and mass fraction (sum 1). */
export interface ResolvedMaterial {
  readonly z: Int32Array;
  readonly massFraction: Float64Array;
}

/** Options of {@link massFractions}. */
export interface MassFractionsOptions {
  /**
   * If true, a record's fractions must sum to 1 within `sumTolerance`; otherwise they are
   * normalised (any positive sum below 2). Sums that look like percent (≥ 2) always throw.
   * @default false
   */
  strict?: boolean;
  /** Allowed |sum − 1| in strict mode. @default 1e-3 */
  sumTolerance?: number;
}

/**
 * Parses a chemical formula into atom counts per element symbol.
 * Supports nested parentheses/brackets, decimal counts (`Fe0.7Cr0.2Ni0.1`) and hydrate dots
 * (`·`, `.` or `*` followed by an optional multiplier: `CuSO4·5H2O`).
 *
 * @throws {@link CmxrfError} `MALFORMED_FORMULA` naming the position, or `UNKNOWN_ELEMENT`.
 * @example parseFormula('Fe2O3') // { Fe: 2, O: 3 }
 */
export function parseFormula(formula: string): Record<string, number> {
  if (typeof formula !== 'string' || formula.trim() === '') {
    throw new CmxrfError(
      'MALFORMED_FORMULA',
      `Formula must be a non-empty string. Value: \`${describeValue(formula)}\`.`,
    );
  }
  const s = formula.replace(/\s+/g, '');
  let pos = 0;
  const fail = (what: string): never => {
    throw new CmxrfError(
      'MALFORMED_FORMULA',
      `Malformed formula ${JSON.stringify(formula)} at position ${pos + 1}: ${what}.`,
    );
  };
  const readNumber = (): number | undefined => {
    const m = /^\d+(\.\d+)?|^\.\d+/.exec(s.slice(pos));
    if (!m) return undefined;
    pos += m[0].length;
    const v = Number(m[0]);
    if (!(v > 0)) fail(`count must be positive, got ${m[0]}`);
    return v;
  };
  const add = (into: Record<string, number>, from: Record<string, number>, k: number) => {
    for (const [el, n] of Object.entries(from)) into[el] = (into[el] ?? 0) + n * k;
  };
  const parseGroup = (closing: string | undefined): Record<string, number> => {
    const counts: Record<string, number> = {};
    while (pos < s.length) {
      const c = s[pos];
      if (c === '(' || c === '[') {
        pos++;
        const inner = parseGroup(c === '(' ? ')' : ']');
        add(counts, inner, readNumber() ?? 1);
      } else if (c === ')' || c === ']') {
        if (c !== closing) fail(`unexpected '${c}'`);
        pos++;
        return counts;
      } else if (/[A-Z]/.test(c)) {
        const m = /^[A-Z][a-z]?/.exec(s.slice(pos))!;
        // Prefer a two-letter symbol only if it exists (e.g. 'Co' vs 'C' + 'O' is resolved by case).
        let sym = m[0];
        try {
          atomicNumber(sym);
        } catch {
          fail(`unknown element '${sym}'`);
        }
        sym = elementData(sym).symbol;
        pos += m[0].length;
        counts[sym] = (counts[sym] ?? 0) + (readNumber() ?? 1);
      } else if ((c === '·' || c === '.' || c === '*') && closing === undefined) {
        pos++;
        const k = readNumber() ?? 1;
        const rest = parseGroup(undefined);
        add(counts, rest, k);
        return counts;
      } else {
        fail(`unexpected character '${c}'`);
      }
    }
    if (closing !== undefined) fail(`missing '${closing}'`);
    return counts;
  };
  const result = parseGroup(undefined);
  if (Object.keys(result).length === 0) fail('no elements');
  return result;
}

function formulaMassFractions(formula: string): Record<string, number> {
  const atoms = parseFormula(formula);
  let total = 0;
  const out: Record<string, number> = {};
  for (const [sym, n] of Object.entries(atoms)) {
    const m = n * elementData(sym).atomicWeight;
    out[sym] = m;
    total += m;
  }
  for (const sym of Object.keys(out)) out[sym] /= total;
  return out;
}

/**
 * Element mass fractions (0..1, summing to 1) of a material.
 *
 * @throws {@link InvalidArgumentError} for negative/NaN fractions, an empty record, a sum that
 *   looks like percent (≥ 2), or — with `strict` — a sum differing from 1 by more than
 *   `sumTolerance`; {@link CmxrfError} for unknown elements or malformed formulas.
 * @example massFractions({ SiO2: 0.7, Na2O: 0.2, CaO: 0.1 }).Si // ≈ 0.327
 */
export function massFractions(
  material: Material,
  options: MassFractionsOptions = {},
): MassFractions {
  if (typeof material === 'string') return formulaMassFractions(material);
  if (typeof material === 'number') return { [elementData(material).symbol]: 1 };
  if (material === null || typeof material !== 'object') {
    throw new InvalidArgumentError(
      `Material must be a formula or a record of mass fractions. Value: \`${describeValue(material)}\`.`,
    );
  }
  const entries = Object.entries(material);
  if (entries.length === 0) throw new InvalidArgumentError('Material record is empty.');
  let sum = 0;
  for (const [key, w] of entries) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new InvalidArgumentError(
        `Mass fraction of ${key} must be a finite number ≥ 0. Value: \`${describeValue(w)}\`.`,
      );
    }
    sum += w;
  }
  if (!(sum > 0)) throw new InvalidArgumentError('Mass fractions sum to 0.');
  if (sum >= 2) {
    throw new InvalidArgumentError(
      `Mass fractions sum to ${sum}; fractions are 0..1, not percent (divide by 100). Value: \`${describeValue(material)}\`.`,
    );
  }
  const tol = options.sumTolerance ?? 1e-3;
  if (options.strict && Math.abs(sum - 1) > tol) {
    throw new InvalidArgumentError(
      `Mass fractions sum to ${sum}, expected 1 ± ${tol} (strict). Value: \`${describeValue(material)}\`.`,
    );
  }
  const out: Record<string, number> = {};
  for (const [key, w] of entries) {
    if (w === 0) continue;
    for (const [sym, f] of Object.entries(formulaMassFractions(key))) {
      out[sym] = (out[sym] ?? 0) + (w / sum) * f;
    }
  }
  return out;
}

/**
 * Resolves a material (or already-normalised mass fractions) into parallel typed arrays, sorted
 * by Z, for allocation-free inner loops.
 */
export function resolveMaterial(
  material: Material,
  options?: MassFractionsOptions,
): ResolvedMaterial {
  const w = massFractions(material, options);
  const pairs = Object.entries(w)
    .map(([sym, f]) => [atomicNumber(sym), f] as const)
    .sort((a, b) => a[0] - b[0]);
  return {
    z: Int32Array.from(pairs.map((p) => p[0])),
    massFraction: Float64Array.from(pairs.map((p) => p[1])),
  };
}

/** `element(symbolOrZ)`: identity of an element. */
export interface ElementInfo {
  readonly z: number;
  readonly symbol: string;
  readonly name: string;
  /** g/mol */
  readonly atomicWeight: number;
}

/**
 * Looks up an element by symbol or atomic number.
 *
 * @throws {@link CmxrfError} `UNKNOWN_ELEMENT`.
 * @example element('Fe') // { z: 26, symbol: 'Fe', name: 'Iron', atomicWeight: 55.845 }
 */
export function element(symbolOrZ: ElementLike): ElementInfo {
  const d = elementData(symbolOrZ);
  return { z: d.z, symbol: d.symbol, name: d.name, atomicWeight: d.atomicWeight };
}
