/**
 * Lazy, per-element, immutable access to the generated atomic data (Elam tables from the
 * `xraydb` package, yields/rates/transfers/subshell shares/form factors/Compton profiles from
 * `xraylib`; see docs/physics-data.md). Each element is decoded on
 * first use into a module-private cache (the cache is an implementation detail: results are
 * frozen / read-only and identical on every call).
 *
 * @module
 */
import { ELEMENT_JSON, ELEMENT_NAMES, ELEMENT_SYMBOLS } from './data/atomicData.generated.js';
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
  /**
   * Radiative rate: fraction of the radiative transitions filling the initial-vacancy shell that
   * emit this line (xraylib for K, L and M shells). The lines listed for one shell sum to ≤ 1:
   * weak lines absent from the line list are not modelled.
   */
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

/**
 * Energy-dependent photoionisation shares τ_shell(E)/τ(E) of the inner shells (xraylib's Kissel
 * subshell cross sections, with the set of ionisable shells fixed by the Elam edge energies).
 * Linear interpolation in ln E; an edge appears as two equal abscissae (below, above).
 */
export interface PhotoShareTable {
  /** Tabulated shells (a subset of K, L1–L3, M1–M5). */
  readonly shells: readonly Shell[];
  /** ln(energy / eV), non-decreasing, 100 eV … 300 keV. */
  readonly lnEnergyEv: Float64Array;
  /** One share column per shell, aligned with `lnEnergyEv`. */
  readonly share: readonly Float64Array[];
}

/** Inner shells with energy-dependent shares and cascades, by decreasing binding energy. */
export const INNER_SHELL_LABELS: readonly Shell[] = Object.freeze([
  'K',
  'L1',
  'L2',
  'L3',
  'M1',
  'M2',
  'M3',
  'M4',
  'M5',
]);

/**
 * Per-element arrays of the inner-shell vacancy kernel, in `INNER_SHELLS` order (K, L1–L3,
 * M1–M5; matrices are 9 × 9, row = donor shell, column = receiving shell).
 */
export interface InnerShellData {
  /** Edge energy (keV); Infinity for a shell the element lacks. */
  readonly edgeKeV: Float64Array;
  /** Fluorescence yield ω. */
  readonly fluorescenceYield: Float64Array;
  /** Column of the shell in {@link ElementData.photoShares}; −1: jump-ratio fallback. */
  readonly shareColumn: Int32Array;
  /** Coster–Kronig probability f[from·9 + to] (within the L and M shells). */
  readonly costerKronig: Float64Array;
  /** Radiative transfer ω_from · p_{from→to} [from·9 + to]. */
  readonly radiative: Float64Array;
  /** Non-radiative transfer a_{from→to} [from·9 + to]. */
  readonly auger: Float64Array;
}

/** Everything the package knows about one element. */
export interface ElementData {
  readonly z: number;
  readonly symbol: string;
  readonly name: string;
  /** Atomic weight (molar mass, g/mol) as tabulated by xraydb. */
  readonly atomicWeight: number;
  /** Density of the pure element (g/cm³) as tabulated by xraydb (gases at 0 °C, 1 atm). */
  readonly densityGPerCm3: number;
  readonly edges: readonly EdgeData[];
  readonly lines: readonly LineData[];
  /** Direct Coster–Kronig probabilities `f[from][to]`. */
  readonly costerKronig: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly photo: LogSplineTable;
  readonly coherent: LogSplineTable;
  readonly incoherent: LogSplineTable;
  /** Photoionisation shares of K, L1–L3, M1–M5 (undefined for elements without such shells). */
  readonly photoShares: PhotoShareTable | undefined;
  /**
   * Radiative vacancy transfer `radiativeTransfer[from][to]`: radiative rate of the from–to
   * transition (multiply by ω_from for vacancies per `from` vacancy). K → L/M and L → M.
   */
  readonly radiativeTransfer: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * Non-radiative (Auger) vacancy transfer `augerTransfer[from][to]`: vacancies created in `to`
   * per vacancy in `from` (Auger yield × Σ Auger rates × holes left in `to`, as xraylib counts).
   */
  readonly augerTransfer: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** ln F(x) (atomic form factor) on `X_GRID_PER_ANGSTROM`. */
  readonly lnFormFactor: Float64Array;
  /** ln S(x) (incoherent scattering function) on `X_GRID_PER_ANGSTROM`. */
  readonly lnScatterFunction: Float64Array;
  /** ln J(p_z) (one-sided Compton profile, electrons per atomic unit) on `PZ_GRID_AU`. */
  readonly lnComptonProfile: Float64Array;
  /** Cumulative profile ∫₀^p J dp′ (electrons) on `PZ_GRID_AU` (→ Z/2). */
  readonly cumulativeComptonProfile: Float64Array;
  /** Precomputed arrays of the inner-shell vacancy kernel. */
  readonly innerShells: InnerShellData;
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
  xs?: string[];
  xe?: number[];
  xo?: number[];
  xf?: number[];
  tr: [string, string, number][];
  ta: [string, string, number][];
  ff: number[];
  sf: number[];
  j: number[];
  jc: number[];
}

function transfers(
  list: [string, string, number][],
): Readonly<Record<string, Readonly<Record<string, number>>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [from, to, p] of list) (out[from] ??= {})[to] = p;
  for (const k of Object.keys(out)) Object.freeze(out[k]);
  return Object.freeze(out);
}

function shareTable(raw: Compact): PhotoShareTable | undefined {
  if (!raw.xs || !raw.xe || !raw.xo || !raw.xf || raw.xs.length === 0) return undefined;
  const n = raw.xe.length;
  const cols: Float64Array[] = [];
  let at = 0;
  for (const start of raw.xo) {
    const c = new Float64Array(n);
    for (let i = start; i < n; i++) c[i] = raw.xf[at++];
    cols.push(c);
  }
  return Object.freeze({
    shells: Object.freeze([...raw.xs]),
    lnEnergyEv: Float64Array.from(raw.xe),
    share: Object.freeze(cols),
  });
}

function columns(flat: number[], nCols: number): Float64Array[] {
  const n = flat.length / nCols;
  const cols: Float64Array[] = [];
  for (let c = 0; c < nCols; c++) cols.push(Float64Array.from(flat.slice(c * n, (c + 1) * n)));
  return cols;
}

function innerShellData(
  edges: readonly EdgeData[],
  shares: PhotoShareTable | undefined,
  ck: Readonly<Record<string, Readonly<Record<string, number>>>>,
  rad: Readonly<Record<string, Readonly<Record<string, number>>>>,
  aug: Readonly<Record<string, Readonly<Record<string, number>>>>,
): InnerShellData {
  const n = INNER_SHELL_LABELS.length;
  const edgeKeV = new Float64Array(n).fill(Infinity);
  const w = new Float64Array(n);
  const col = new Int32Array(n).fill(-1);
  const f = new Float64Array(n * n);
  const r = new Float64Array(n * n);
  const a = new Float64Array(n * n);
  INNER_SHELL_LABELS.forEach((s, i) => {
    const e = edges.find((x) => x.shell === s);
    if (e) {
      edgeKeV[i] = e.energyKeV;
      w[i] = e.fluorescenceYield;
    }
    if (shares) col[i] = shares.shells.indexOf(s);
  });
  INNER_SHELL_LABELS.forEach((from, i) => {
    INNER_SHELL_LABELS.forEach((to, j) => {
      if (j <= i) return;
      f[i * n + j] = ck[from]?.[to] ?? 0;
      r[i * n + j] = w[i] * (rad[from]?.[to] ?? 0);
      a[i * n + j] = aug[from]?.[to] ?? 0;
    });
  });
  return Object.freeze({
    edgeKeV,
    fluorescenceYield: w,
    shareColumn: col,
    costerKronig: f,
    radiative: r,
    auger: a,
  });
}

function decode(z: number): ElementData {
  const raw = JSON.parse(ELEMENT_JSON[z - 1]) as Compact;
  const [symbol, , atomicWeight, densityGPerCm3] = raw.h;
  const [pe, pv, pd] = columns(raw.p, 3);
  const [se, cv, cd, iv, id] = columns(raw.s, 5);
  const ck = transfers(raw.c);
  const edges = Object.freeze(
    raw.e.map(([shell, eV, fluorescenceYield, jumpRatio]) =>
      Object.freeze({ shell, energyKeV: eV / 1000, fluorescenceYield, jumpRatio }),
    ),
  );
  const photoShares = shareTable(raw);
  const radiativeTransfer = transfers(raw.tr);
  const augerTransfer = transfers(raw.ta);
  return Object.freeze({
    z,
    symbol,
    name: ELEMENT_NAMES[z - 1],
    atomicWeight,
    densityGPerCm3,
    edges,
    lines: Object.freeze(
      raw.l.map(([iupac, siegbahn, eV, radiativeRate, shell]) =>
        Object.freeze({ iupac, siegbahn, energyKeV: eV / 1000, radiativeRate, shell }),
      ),
    ),
    costerKronig: ck,
    photo: Object.freeze({ lnEnergyEv: pe, lnValue: pv, d2: pd }),
    coherent: Object.freeze({ lnEnergyEv: se, lnValue: cv, d2: cd }),
    incoherent: Object.freeze({ lnEnergyEv: se, lnValue: iv, d2: id }),
    photoShares,
    radiativeTransfer,
    augerTransfer,
    lnFormFactor: Float64Array.from(raw.ff),
    lnScatterFunction: Float64Array.from(raw.sf),
    lnComptonProfile: Float64Array.from(raw.j),
    cumulativeComptonProfile: Float64Array.from(raw.jc),
    innerShells: innerShellData(edges, photoShares, ck, radiativeTransfer, augerTransfer),
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
