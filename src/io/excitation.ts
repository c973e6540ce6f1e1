/**
 * Excitation metadata (tube anode, voltage, current) of spectra: element symbols of the anode
 * numbers files store, lenient numbers of free-text header values, and the merge of the steps
 * of a depth profile.
 *
 * @module
 */
import type { ExcitationMetadata } from '../profile';

/** Element symbols Z = 1..92 (anode numbers in files are atomic numbers). */
const SYMBOLS = (
  'H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se ' +
  'Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb ' +
  'Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U'
).split(' ');

/**
 * Element symbol of an anode as a file writes it: an atomic number (`45`, `45.0`) or a symbol
 * (`Rh`, `rh`); `undefined` for anything else.
 * @example
 * ```ts
 * anodeSymbol('45'); // 'Rh'
 * anodeSymbol('mo'); // 'Mo'
 * ```
 */
export function anodeSymbol(text: string): string | undefined {
  const t = text.trim();
  const n = leadingNumber(t);
  if (n !== undefined)
    return Number.isInteger(n) && n >= 1 && n <= SYMBOLS.length ? SYMBOLS[n - 1] : undefined;
  const m = /^[A-Za-z]{1,2}\b/.exec(t);
  if (!m) return undefined;
  const s = m[0][0].toUpperCase() + m[0].slice(1).toLowerCase();
  return SYMBOLS.includes(s) ? s : undefined;
}

/**
 * The number a header value starts with (`'28.00  X-ray tube voltage in kilovolts'` → 28), or
 * `undefined` when it starts with none or it is not finite.
 */
export function leadingNumber(text: string): number | undefined {
  const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(?![\d.])/.exec(text.trim());
  if (!m) return undefined;
  const v = Number(m[0]);
  return Number.isFinite(v) ? v : undefined;
}

/** Fields of {@link ExcitationMetadata} compared between steps, with their names in notes. */
const MERGED = [
  ['kind', 'excitation'],
  ['anode', 'tube anode'],
  ['voltageKV', 'voltage (kV)'],
  ['currentMA', 'current (mA)'],
] as const;

/** Relative spread of a read-back value (tube current, voltage) below which steps agree. */
const READBACK_SPREAD = 0.02;

/**
 * Internal: the excitation shared by the steps of a profile. A value is kept when every step
 * that states it states the same (steps that state nothing do not contradict it; read-back
 * numbers within 2 % of each other, e.g. a tube current of 599 and 600 µA, agree and give their
 * median); a value that differs between steps is dropped, with a note listing the values.
 */
export function mergeExcitation(items: readonly (ExcitationMetadata | undefined)[]): {
  excitation?: ExcitationMetadata;
  notes: string[];
} {
  const notes: string[] = [];
  const stated = items.filter((e): e is ExcitationMetadata => e !== undefined);
  if (stated.length === 0) return { notes };
  const out: Record<string, unknown> = {};
  for (const [key, label] of MERGED) {
    const all = stated.map((e) => e[key]).filter((v) => v !== undefined);
    const values = [...new Set(all)];
    if (values.length === 0) continue;
    if (values.length === 1) {
      out[key] = values[0];
      continue;
    }
    if (typeof values[0] === 'number') {
      const nums = (all as number[]).slice().sort((a, b) => a - b);
      const lo = nums[0];
      const hi = nums[nums.length - 1];
      if (lo > 0 && hi - lo <= READBACK_SPREAD * hi) {
        out[key] = nums[(nums.length - 1) >> 1];
        continue;
      }
    }
    notes.push(
      `the ${label} differs between steps (${values.map(String).join(', ')}); no ${label} is kept for the profile`,
    );
  }
  if (!MERGED.some(([key]) => out[key] !== undefined)) return { notes };
  const excitation = { ...out, fields: [...new Set(stated.flatMap((e) => e.fields))] };
  return { excitation: excitation as unknown as ExcitationMetadata, notes };
}
