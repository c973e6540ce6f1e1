/**
 * Fixed compositions for held-out evaluation sets (e.g. reference-material-like samples outside
 * the composition prior's archetypes): every profile of such a set takes the next composition of
 * the list, with a random confocal setup, surface and live time.
 *
 * @module
 */
import { ParseError } from '../errors.js';
import { atomicNumber, elementData } from '../physics/elementData.js';

/** One fixed composition. */
export interface ReferenceComposition {
  /** Short identifier (letters, digits, `-`, `_`, `.`). */
  name: string;
  /** What the composition stands for and where its values come from. */
  description?: string;
  /** Mass fractions (0..1) by element symbol; normalised to sum 1 by the parser. */
  massFractions: Record<string, number>;
  /** Density (g/cm³). */
  densityGPerCm3: number;
}

/** A compositions file: `{ schemaVersion: 1, description?, compositions: [...] }`. */
export interface ReferenceCompositionSet {
  schemaVersion: 1;
  description?: string;
  compositions: ReferenceComposition[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a compositions file. Mass fractions must be in (0, 1] and sum to 1 within 0.01
 * (they are then divided by their sum); density 0.5–25 g/cm³; names unique.
 *
 * @throws {@link ParseError} naming the file, the field (`compositions[2].massFractions.Cd`),
 *   the expectation and the value.
 * @example
 * ```ts
 * parseReferenceCompositions(JSON.parse(text), 'held-out.json').compositions[0].name;
 * ```
 */
export function parseReferenceCompositions(
  json: unknown,
  file = '<compositions>',
): ReferenceCompositionSet {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new ParseError({ file, field }, expected, JSON.stringify(got) ?? 'nothing');
  };
  if (!isObject(json)) return fail('(root)', 'a JSON object', json);
  if (json.schemaVersion !== 1) fail('schemaVersion', '1', json.schemaVersion);
  const list = json.compositions;
  if (!Array.isArray(list) || list.length === 0)
    return fail('compositions', 'a non-empty array', list);
  const names = new Set<string>();
  const out: ReferenceComposition[] = list.map((c: unknown, i) => {
    const at = `compositions[${i}]`;
    if (!isObject(c)) return fail(at, 'an object', c);
    const name = c.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(name))
      fail(`${at}.name`, 'a name of letters, digits, ".", "_" or "-"', name);
    if (names.has(name as string)) fail(`${at}.name`, 'a unique name', name);
    names.add(name as string);
    const rho = c.densityGPerCm3;
    if (typeof rho !== 'number' || !(rho >= 0.5 && rho <= 25))
      fail(`${at}.densityGPerCm3`, '0.5..25 g/cm³', rho);
    const mf = c.massFractions;
    if (!isObject(mf) || Object.keys(mf).length === 0)
      return fail(`${at}.massFractions`, 'an object of element → mass fraction', mf);
    let sum = 0;
    const fractions: Record<string, number> = {};
    for (const [el, w] of Object.entries(mf)) {
      let symbol = '';
      try {
        symbol = elementData(atomicNumber(el)).symbol;
      } catch {
        fail(`${at}.massFractions.${el}`, 'an element symbol', el);
      }
      if (symbol !== el) fail(`${at}.massFractions.${el}`, `the symbol "${symbol}"`, el);
      if (typeof w !== 'number' || !(w > 0 && w <= 1))
        fail(`${at}.massFractions.${el}`, 'a mass fraction in (0, 1]', w);
      fractions[el] = w as number;
      sum += w as number;
    }
    if (Math.abs(sum - 1) > 0.01)
      fail(`${at}.massFractions`, 'mass fractions summing to 1 ± 0.01', Number(sum.toFixed(6)));
    for (const el of Object.keys(fractions)) fractions[el] /= sum;
    return {
      name: name as string,
      ...(typeof c.description === 'string' ? { description: c.description } : {}),
      massFractions: fractions,
      densityGPerCm3: rho as number,
    };
  });
  return {
    schemaVersion: 1,
    ...(typeof json.description === 'string' ? { description: json.description } : {}),
    compositions: out,
  };
}
