/**
 * Edge energies, jump ratios, fluorescence yields, Coster–Kronig probabilities, emission-line
 * energies and radiative rates. Edge and line energies, jump ratios and the line list are Elam's
 * (via the `xraydb` package); fluorescence yields, radiative rates and Coster–Kronig
 * probabilities of the K, L1–L3 and M1–M5 shells are xraylib's (Elam's for outer shells).
 * docs/physics-data.md gives the reasons and the measured differences.
 *
 * Line ids: IUPAC (`'K-L3'`, `'L3-M5'`, `'K-M4,5'`) or Siegbahn (`'KA1'`, `'Ka1'`, `'LB1'`,
 * `'MA1'` …), case-insensitive; `-` and `,` are optional (`'KL3'`). `MA1` is an alias of Elam's
 * `Ma` (M5-N6,7), `MB1` of `Mb`, and `LB2` of Elam's `Lb2,15` (L3-N4,5).
 *
 * @see Elam, Ravel & Sieber, Radiat. Phys. Chem. 63 (2002) 121, doi:10.1016/S0969-806X(01)00227-4
 * @see T. Schoonjans et al., Spectrochim. Acta B 66 (2011) 776, doi:10.1016/j.sab.2011.09.011
 * @module
 */
import { CmxrfError, describeValue } from '../errors.js';
import {
  elementData,
  type EdgeData,
  type ElementLike,
  type LineData,
  type Shell,
} from './elementData.js';

function normaliseLineId(id: string): string {
  return id.toUpperCase().replace(/[-,\s]/g, '');
}

const SIEGBAHN_ALIASES: Readonly<Record<string, string>> = {
  MA1: 'MA',
  MB1: 'MB',
  MG1: 'MG',
  LB2: 'LB215',
  LB15: 'LB215',
};

/**
 * Finds an edge (shell) of an element.
 * @throws {@link CmxrfError} `UNKNOWN_SHELL` if the element has no such shell in the data.
 */
export function edge(el: ElementLike, shell: Shell): EdgeData {
  const d = elementData(el);
  const s = typeof shell === 'string' ? shell.toUpperCase() : shell;
  const e = d.edges.find((x) => x.shell === s);
  if (!e) {
    throw new CmxrfError(
      'UNKNOWN_SHELL',
      `${d.symbol} has no shell ${describeValue(shell)} in the data (available: ${d.edges
        .map((x) => x.shell)
        .join(', ')}).`,
    );
  }
  return e;
}

/** Absorption-edge (binding) energy of a shell (keV). @example edgeEnergyKeV('Fe', 'K') // 7.112 */
export function edgeEnergyKeV(el: ElementLike, shell: Shell): number {
  return edge(el, shell).energyKeV;
}

/** Absorption-edge jump ratio r = σ(E_edge + 1 eV)/σ(E_edge − 1 eV) of a shell. */
export function jumpRatio(el: ElementLike, shell: Shell): number {
  return edge(el, shell).jumpRatio;
}

/** Fluorescence yield ω of a shell (0..1). @example fluorescenceYield('Fe', 'K') // ≈ 0.35 */
export function fluorescenceYield(el: ElementLike, shell: Shell): number {
  return edge(el, shell).fluorescenceYield;
}

/**
 * Direct Coster–Kronig transition probability. `'f12' | 'f13' | 'f23'` are the L-subshell
 * transfers; any pair of shells can be given as `'M1-M3'`. A pair absent from the data for an
 * existing shell is 0.
 * @throws {@link CmxrfError} `UNKNOWN_SHELL` if the initial shell does not exist.
 */
export function costerKronig(
  el: ElementLike,
  transition: 'f12' | 'f13' | 'f23' | `${string}-${string}`,
): number {
  const L: Record<string, [string, string]> = {
    f12: ['L1', 'L2'],
    f13: ['L1', 'L3'],
    f23: ['L2', 'L3'],
  };
  let pair = L[transition];
  if (!pair) {
    const m = /^([A-Z]\d)-([A-Z]\d)$/i.exec(String(transition));
    if (!m) {
      throw new CmxrfError(
        'UNKNOWN_SHELL',
        `Unknown Coster–Kronig transition. Expected 'f12', 'f13', 'f23' or 'M1-M3'. Value: \`${describeValue(transition)}\`.`,
      );
    }
    pair = [m[1].toUpperCase(), m[2].toUpperCase()];
  }
  edge(el, pair[0]);
  return elementData(el).costerKronig[pair[0]]?.[pair[1]] ?? 0;
}

/**
 * Resolves a line id to the element's line data.
 * @throws {@link CmxrfError} `UNKNOWN_LINE` naming the element and the available lines.
 */
export function line(el: ElementLike, lineId: string): LineData {
  const d = elementData(el);
  if (typeof lineId !== 'string') {
    throw new CmxrfError(
      'UNKNOWN_LINE',
      `Line id must be a string. Value: \`${describeValue(lineId)}\`.`,
    );
  }
  let key = normaliseLineId(lineId);
  key = SIEGBAHN_ALIASES[key] ?? key;
  const found = d.lines.find(
    (l) => normaliseLineId(l.iupac) === key || normaliseLineId(l.siegbahn) === key,
  );
  if (!found) {
    throw new CmxrfError(
      'UNKNOWN_LINE',
      `${d.symbol} has no line ${JSON.stringify(lineId)} in the data (available: ${
        d.lines.map((l) => `${l.iupac}/${l.siegbahn}`).join(', ') || 'none'
      }).`,
    );
  }
  return found;
}

/** Emission-line energy (keV). @example lineEnergyKeV('Cu', 'KA1') // 8.047… */
export function lineEnergyKeV(el: ElementLike, lineId: string): number {
  return line(el, lineId).energyKeV;
}

/**
 * Radiative rate of a line: its share of the radiative transitions that fill a vacancy in its
 * initial shell (the listed lines of one shell sum to 0.97–1; weak unlisted lines take the rest).
 */
export function lineRadiativeRate(el: ElementLike, lineId: string): number {
  return line(el, lineId).radiativeRate;
}

/** One entry of {@link lines}. */
export interface LineInfo extends LineData {
  /** Fluorescence yield of the initial shell × radiative rate: photons per initial vacancy. */
  readonly photonsPerVacancy: number;
}

/** All emission lines of an element with energies (keV) and relative intensities. */
export function lines(el: ElementLike): LineInfo[] {
  const d = elementData(el);
  return d.lines.map((l) => ({
    ...l,
    photonsPerVacancy:
      (d.edges.find((e) => e.shell === l.shell)?.fluorescenceYield ?? 0) * l.radiativeRate,
  }));
}

/** Electron rest energy m_e c² (keV), CODATA 2018. */
export const ELECTRON_REST_ENERGY_KEV = 510.99895;

/**
 * Energy of a photon after Compton scattering by `angleDeg` (free electron at rest):
 * E' = E / (1 + (E / m_e c²)(1 − cos θ)).
 * @example comptonEnergyKeV(20.216, 100) // ≈ 19.37 keV (Rh Kα at 100°)
 */
export function comptonEnergyKeV(energyKeV: number, angleDeg: number): number {
  if (!Number.isFinite(energyKeV) || energyKeV <= 0) {
    throw new CmxrfError(
      'INVALID_ARGUMENT',
      `energyKeV must be a finite positive number. Value: \`${describeValue(energyKeV)}\`.`,
    );
  }
  if (!Number.isFinite(angleDeg) || angleDeg < 0 || angleDeg > 180) {
    throw new CmxrfError(
      'INVALID_ARGUMENT',
      `angleDeg must be within 0–180. Value: \`${describeValue(angleDeg)}\`.`,
    );
  }
  return (
    energyKeV /
    (1 + (energyKeV / ELECTRON_REST_ENERGY_KEV) * (1 - Math.cos((angleDeg * Math.PI) / 180)))
  );
}
