/**
 * Generator: converts the Elam–Ravel–Sieber database (vendor/elam/elam.dat, a byte-exact copy of
 * the team's shared/data/atomic/elam.dat) into the package's compact data module
 * `src/physics/data/elam.generated.ts`.
 *
 * Usage: `npm run gen:atomic` (writes the file) or `tsx scripts/build-atomic-data.ts --check`
 * (exits 1 if the committed file differs from what the generator produces).
 *
 * Each element is stored as a compact JSON string that is parsed lazily on first use, so that
 * importing the package costs a string scan, not an object graph for 98 elements.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = '1.0.0';

const here = dirname(fileURLToPath(import.meta.url));
export const ELAM_PATH = resolve(here, '../vendor/elam/elam.dat');
export const OUTPUT_PATH = resolve(here, '../src/physics/data/elam.generated.ts');

/**
 * Highest Z converted. elam.dat lists Z = 1…98, but the tables above Pu are not usable as they
 * stand (Cm's photo table is not monotonic in energy), so the package covers Z = 1…94.
 */
export const MAX_Z_CONVERTED = 94;

/** IUPAC element names, Z = 1…98 (names only; every number comes from elam.dat). */
const NAMES = [
  'Hydrogen', 'Helium', 'Lithium', 'Beryllium', 'Boron', 'Carbon', 'Nitrogen', 'Oxygen',
  'Fluorine', 'Neon', 'Sodium', 'Magnesium', 'Aluminium', 'Silicon', 'Phosphorus', 'Sulfur',
  'Chlorine', 'Argon', 'Potassium', 'Calcium', 'Scandium', 'Titanium', 'Vanadium', 'Chromium',
  'Manganese', 'Iron', 'Cobalt', 'Nickel', 'Copper', 'Zinc', 'Gallium', 'Germanium', 'Arsenic',
  'Selenium', 'Bromine', 'Krypton', 'Rubidium', 'Strontium', 'Yttrium', 'Zirconium', 'Niobium',
  'Molybdenum', 'Technetium', 'Ruthenium', 'Rhodium', 'Palladium', 'Silver', 'Cadmium', 'Indium',
  'Tin', 'Antimony', 'Tellurium', 'Iodine', 'Xenon', 'Caesium', 'Barium', 'Lanthanum', 'Cerium',
  'Praseodymium', 'Neodymium', 'Promethium', 'Samarium', 'Europium', 'Gadolinium', 'Terbium',
  'Dysprosium', 'Holmium', 'Erbium', 'Thulium', 'Ytterbium', 'Lutetium', 'Hafnium', 'Tantalum',
  'Tungsten', 'Rhenium', 'Osmium', 'Iridium', 'Platinum', 'Gold', 'Mercury', 'Thallium', 'Lead',
  'Bismuth', 'Polonium', 'Astatine', 'Radon', 'Francium', 'Radium', 'Actinium', 'Thorium',
  'Protactinium', 'Uranium', 'Neptunium', 'Plutonium', 'Americium', 'Curium', 'Berkelium',
  'Californium',
]; // prettier-ignore

/** Compact per-element record (the JSON stored per element). */
export interface CompactElement {
  /** [symbol, z, atomicWeight, densityGPerCm3] */
  h: [string, number, number, number];
  /** edges: [label, energyEv, fluorescenceYield, jumpRatio] */
  e: [string, number, number, number][];
  /** lines: [iupac, siegbahn, energyEv, relativeIntensity, edgeLabel] */
  l: [string, string, number, number, string][];
  /** Coster–Kronig (direct): [fromEdge, toEdge, probability] */
  c: [string, string, number][];
  /** photo table, flattened columns: lnE…, lnσ…, d2… */
  p: number[];
  /** scatter table, flattened columns: lnE…, lnCoh…, d2Coh…, lnIncoh…, d2Incoh… */
  s: number[];
}

function num(token: string, where: string): number {
  const v = Number(token);
  if (!Number.isFinite(v)) throw new Error(`elam.dat ${where}: not a number: ${token}`);
  return v;
}

/** Parses elam.dat text into compact element records (Z order). */
export function parseElam(text: string): CompactElement[] {
  const out: CompactElement[] = [];
  let cur: CompactElement | undefined;
  let mode: 'none' | 'photo' | 'scatter' | 'lines' = 'none';
  let edge = '';
  let photoRows: number[][] = [];
  let scatterRows: number[][] = [];
  const lines = text.split(/\r?\n/);
  const flush = () => {
    if (!cur) return;
    cur.p = [0, 1, 2].flatMap((c) => photoRows.map((r) => r[c]));
    cur.s = [0, 1, 2, 3, 4].flatMap((c) => scatterRows.map((r) => r[c]));
    out.push(cur);
    cur = undefined;
  };
  lines.forEach((raw, i) => {
    const where = `line ${i + 1}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('//')) return;
    const t = line.split(/\s+/);
    switch (t[0]) {
      case 'Element':
        cur = {
          h: [t[1], num(t[2], where), num(t[3], where), num(t[4], where)],
          e: [],
          l: [],
          c: [],
          p: [],
          s: [],
        };
        photoRows = [];
        scatterRows = [];
        mode = 'none';
        return;
      case 'Edge':
        edge = t[1];
        cur!.e.push([edge, num(t[2], where), num(t[3], where), num(t[4], where)]);
        mode = 'none';
        return;
      case 'Lines':
        mode = 'lines';
        return;
      case 'CK':
        for (let k = 1; k + 1 < t.length; k += 2) cur!.c.push([edge, t[k], num(t[k + 1], where)]);
        mode = 'none';
        return;
      case 'CKtotal':
        mode = 'none';
        return;
      case 'Photo':
        mode = 'photo';
        return;
      case 'Scatter':
        mode = 'scatter';
        return;
      case 'EndElement':
        flush();
        mode = 'none';
        return;
      case 'End':
        return;
      default:
        break;
    }
    if (mode === 'lines') {
      cur!.l.push([t[0], t[1], num(t[2], where), num(t[3], where), edge]);
    } else if (mode === 'photo') {
      photoRows.push(t.map((x) => num(x, where)));
    } else if (mode === 'scatter') {
      scatterRows.push(t.map((x) => num(x, where)));
    } else {
      throw new Error(`elam.dat ${where}: unexpected content: ${line}`);
    }
  });
  return out;
}

/** Produces the generated module text. */
export function generate(text: string): string {
  const sha = createHash('sha256').update(text).digest('hex');
  const elements = parseElam(text).filter((e) => e.h[1] <= MAX_Z_CONVERTED);
  const version = /\/\/ Version (\S+)/.exec(text)?.[1] ?? 'unknown';
  const rows = elements.map((el) => `  ${JSON.stringify(JSON.stringify(el))},`);
  return `// GENERATED FILE — do not edit. Regenerate with \`npm run gen:atomic\`.
// Source: Elam, Ravel & Sieber X-ray database version ${version} (vendor/elam/elam.dat,
//   byte-exact copy of xraypy/XrayDB data_sources/elam.dat, CC0 1.0).
// Cite: W. T. Elam, B. D. Ravel and J. R. Sieber, "A new atomic database for X-ray spectroscopic
//   calculations", Radiat. Phys. Chem. 63 (2002) 121–128, doi:10.1016/S0969-806X(01)00227-4.
// Input SHA-256: ${sha}
// Generator: scripts/build-atomic-data.ts version ${GENERATOR_VERSION}; Z = 1…${MAX_Z_CONVERTED}
/* eslint-disable */

/** SHA-256 of the elam.dat this module was generated from. */
export const ELAM_SHA256 = '${sha}';
/** Version of the Elam database. */
export const ELAM_VERSION = '${version}';
/** Element symbols, index = Z − 1. */
export const ELEMENT_SYMBOLS: readonly string[] = ${JSON.stringify(elements.map((e) => e.h[0]))};
/** Element names, index = Z − 1. */
export const ELEMENT_NAMES: readonly string[] = ${JSON.stringify(NAMES.slice(0, elements.length))};
/** Per-element compact JSON (see scripts/build-atomic-data.ts \`CompactElement\`), index = Z − 1. */
export const ELEMENT_JSON: readonly string[] = [
${rows.join('\n')}
];
`;
}

const isMain =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const text = readFileSync(ELAM_PATH, 'utf8');
  const generated = generate(text);
  if (process.argv.includes('--check')) {
    const committed = readFileSync(OUTPUT_PATH, 'utf8');
    if (committed !== generated) {
      console.error(`${OUTPUT_PATH} is out of date; run npm run gen:atomic`);
      process.exit(1);
    }
    console.log('atomic data up to date');
  } else {
    writeFileSync(OUTPUT_PATH, generated);
    console.log(`wrote ${OUTPUT_PATH} (${generated.length} bytes)`);
  }
}
