/**
 * FROZEN COPY of the simulator's `secondaryFluorescence` module as it was before the spectrum
 * speed-up (its types follow the frozen `primaryFluorescence` copy), kept unchanged so that the
 * spectrum benchmark can time the current simulator against it on the same sample and check that
 * both give the same spectrum. Not part of the package; do not edit.
 */
/**
 * Secondary fluorescence (enhancement of element a's lines by lines of element b above a's
 * edge) in a thick homogeneous sample, after Shiraiwa and Fujino. Per fluorescing shell of a:
 *
 *   V_a = Σ_j w_b ω_b p_j τ_a(E_j) · ½ Σ_k N0_k τ_b(E_k) · [L(a_k) + L(b)] / (a_k + b),
 *   L(x) = ln(1 + x/μ_j)/x,  a_k = μ(E_k)/sin ψ1,  b = μ(E_i)/sin ψ2,  μ_j = μ(E_j),
 *
 * and line i of the shell gets G/sin ψ1 · w_a ω_a p_i ε(E_i) · V_a counts. Enhancing lines with
 * a radiative rate ≥ 1 % of elements with mass fraction ≥ the configured threshold take part; the
 * excitation is summed on the coarse grid; the exit attenuation of the shell's strongest line is
 * used for all its lines.
 *
 * See docs/physics.md, "Secondary fluorescence".
 *
 * @see T. Shiraiwa and N. Fujino, Jpn. J. Appl. Phys. 5 (1966) 886, doi:10.1143/JJAP.5.886
 * @module
 */
import { crossSectionOnGrid, type ResolvedMaterial } from '../../../src/physics/index.js';
import { groupsWithEdge, type Excitation } from '../../../src/spectra/excitation.js';
import type { ElementPrep, LinePrep, ShellPrep } from './primaryFluorescence.js';

/** Scratch state of the secondary-fluorescence evaluation (one per simulator). @internal */
export interface SecondaryScratch {
  muSec: Float64Array;
  aSec: Float64Array;
  /** ln(1 + a_k/μ_j)/a_k per enhancing line, row after row (grown on demand). */
  la: Float64Array;
  /** 1 for a coarse group evaluated on its atoms (an edge of a sample element inside). */
  split: Uint8Array;
  /** μ/sin ψ1 on the atoms, and ln(1 + a/μ_j)/a per enhancing line on the atoms. */
  muAtom: Float64Array;
  aAtom: Float64Array;
  laAtom: Float64Array;
  /** Per enhancing shell (lazy): Σ N0·τ over each atom. */
  prodAtom: Map<ShellPrep, Float64Array>;
}

/** Allocates the scratch for an excitation. @internal */
export function prepareSecondary(exc: Excitation): SecondaryScratch {
  const n = exc.coarseEnergyKeV.length;
  const nAtoms = exc.atoms?.energyKeV.length ?? 0;
  return {
    muSec: new Float64Array(n),
    aSec: new Float64Array(n),
    la: new Float64Array(n * 32),
    split: new Uint8Array(n),
    muAtom: new Float64Array(nAtoms),
    aAtom: new Float64Array(nAtoms),
    laAtom: new Float64Array(nAtoms * 32),
    prodAtom: new Map(),
  };
}

/** Σ N0·τ of a shell over each atom of the excitation (cached per shell). */
function prodAtomOf(scratch: SecondaryScratch, exc: Excitation, s: ShellPrep): Float64Array {
  let p = scratch.prodAtom.get(s);
  if (p !== undefined) return p;
  const atoms = exc.atoms!;
  p = new Float64Array(atoms.energyKeV.length);
  for (let j = 0; j < s.prodExc.length; j++) {
    p[atoms.atomOf[j]] += exc.photonsPerS[j] * s.prodExc[j];
  }
  scratch.prodAtom.set(s, p);
  return p;
}

/** An element of the sample with its mass fraction. @internal */
export interface PresentElement {
  p: ElementPrep;
  w: number;
}

/**
 * Secondary enhancement V per present element and shell (units of the primary Sherman sum,
 * i.e. multiply by G/sin ψ1 · w_a ω p ε like the primary yield). Coarse groups with an
 * absorption edge of a sample element inside are evaluated on their atoms (the group cut at the
 * edges), so that the excitation above the edge sees μ above it.
 * @param muLines - Sample attenuation on the line grid (cm²/g).
 * @internal
 */
export function secondaryEnhancement(
  scratch: SecondaryScratch,
  exc: Excitation,
  material: ResolvedMaterial,
  present: PresentElement[],
  muLines: Float64Array,
  sin1: number,
  sin2: number,
  minMassFraction: number,
): number[][] {
  const { muSec, aSec, split } = scratch;
  const nSec = muSec.length;
  crossSectionOnGrid(exc.coarseGrid, material, 'total', muSec);
  for (let k = 0; k < nSec; k++) aSec[k] = muSec[k] / sin1;
  const enhancers: { p: ElementPrep; w: number; l: LinePrep; muJ: number; row: number }[] = [];
  for (const { p, w } of present) {
    if (w < minMassFraction) continue;
    for (const l of p.lines) {
      if (l.radiativeRate < 0.01) continue;
      enhancers.push({ p, w, l, muJ: muLines[l.gridIndex], row: enhancers.length * nSec });
    }
  }
  if (scratch.la.length < enhancers.length * nSec) {
    scratch.la = new Float64Array(2 * enhancers.length * nSec);
  }
  const la = scratch.la;
  for (const en of enhancers) {
    for (let k = 0; k < nSec; k++) la[en.row + k] = Math.log1p(aSec[k] / en.muJ) / aSec[k];
  }
  // Groups with an edge of a sample element inside: evaluated on their atoms.
  split.fill(0);
  let anySplit = false;
  const atoms = exc.atoms;
  if (atoms !== undefined && enhancers.length > 0) {
    for (let i = 0; i < material.z.length; i++) {
      for (const k of groupsWithEdge(exc, material.z[i])) {
        split[k] = 1;
        anySplit = true;
      }
    }
  }
  const nAtoms = atoms?.energyKeV.length ?? 0;
  if (anySplit) {
    crossSectionOnGrid(atoms!.grid, material, 'total', scratch.muAtom);
    for (let q = 0; q < nAtoms; q++) scratch.aAtom[q] = scratch.muAtom[q] / sin1;
    if (scratch.laAtom.length < enhancers.length * nAtoms) {
      scratch.laAtom = new Float64Array(2 * enhancers.length * nAtoms);
    }
    for (let e = 0; e < enhancers.length; e++) {
      const muJ = enhancers[e].muJ;
      for (let k = 0; k < nSec; k++) {
        if (split[k] === 0) continue;
        for (let q = atoms!.start[k]; q < atoms!.start[k + 1]; q++) {
          const a = scratch.aAtom[q];
          scratch.laAtom[e * nAtoms + q] = Math.log1p(a / muJ) / a;
        }
      }
    }
  }
  const { aAtom, laAtom } = scratch;
  return present.map(({ p }) =>
    p.shells.map((s) => {
      const b = muLines[p.lines[s.strongest].gridIndex] / sin2;
      let v = 0;
      for (let e = 0; e < enhancers.length; e++) {
        const en = enhancers[e];
        if (en.l.energyKeV <= s.edgeKeV) continue;
        const tauA = s.prodLines[en.l.gridIndex];
        if (tauA === 0) continue;
        const shB = en.p.shells[en.l.shellIndex];
        const prodB = shB.prodSec;
        const lb = Math.log1p(b / en.muJ) / b;
        let sum = 0;
        for (let k = shB.secStart; k < nSec; k++) {
          const q = prodB[k];
          if (q === 0) continue;
          if (split[k] === 1) {
            const pa = prodAtomOf(scratch, exc, shB);
            for (let r = atoms!.start[k]; r < atoms!.start[k + 1]; r++) {
              const qa = pa[r];
              if (qa !== 0) sum += (qa * (laAtom[e * nAtoms + r] + lb)) / (aAtom[r] + b);
            }
          } else {
            sum += (q * (la[en.row + k] + lb)) / (aSec[k] + b);
          }
        }
        v += en.w * en.l.omegaP * tauA * 0.5 * sum;
      }
      return v;
    }),
  );
}
