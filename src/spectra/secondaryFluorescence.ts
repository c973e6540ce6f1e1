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
import { crossSectionOnGrid, type ResolvedMaterial } from '../physics/index.js';
import type { Excitation } from './excitation.js';
import type { ElementPrep, LinePrep } from './primaryFluorescence.js';

/** Scratch state of the secondary-fluorescence evaluation (one per simulator). @internal */
export interface SecondaryScratch {
  muSec: Float64Array;
  aSec: Float64Array;
  /** ln(1 + a_k/μ_j)/a_k per enhancing line, row after row (grown on demand). */
  la: Float64Array;
}

/** Allocates the scratch for an excitation. @internal */
export function prepareSecondary(exc: Excitation): SecondaryScratch {
  const n = exc.coarseEnergyKeV.length;
  return { muSec: new Float64Array(n), aSec: new Float64Array(n), la: new Float64Array(n * 32) };
}

/** An element of the sample with its mass fraction. @internal */
export interface PresentElement {
  p: ElementPrep;
  w: number;
}

/**
 * Secondary enhancement V per present element and shell (units of the primary Sherman sum,
 * i.e. multiply by G/sin ψ1 · w_a ω p ε like the primary yield).
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
  const { muSec, aSec } = scratch;
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
  return present.map(({ p }) =>
    p.shells.map((s) => {
      const b = muLines[p.lines[s.strongest].gridIndex] / sin2;
      let v = 0;
      for (const en of enhancers) {
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
          sum += (q * (la[en.row + k] + lb)) / (aSec[k] + b);
        }
        v += en.w * en.l.omegaP * tauA * 0.5 * sum;
      }
      return v;
    }),
  );
}
