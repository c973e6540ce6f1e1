/**
 * Physics basics: atomic data, attenuation and fluorescence production for a few materials.
 * Run: `npm run example:physics`
 */
import {
  edgeEnergyKeV,
  element,
  fluorescenceProduction,
  fluorescenceYield,
  lineEnergyKeV,
  massAttenuation,
  massFractions,
} from '../src/index.js';

/** Builds the report lines (exported so the example is tested). */
export function physicsReport(): string[] {
  const out: string[] = [];
  const fe = element('Fe');
  out.push(`${fe.name} (Z = ${fe.z}, ${fe.atomicWeight} g/mol): K edge ${edgeEnergyKeV('Fe', 'K')} keV, ` +
    `Kα1 ${lineEnergyKeV('Fe', 'KA1')} keV, ω_K = ${fluorescenceYield('Fe', 'K').toFixed(3)}`);
  const glass = { SiO2: 0.72, Na2O: 0.14, CaO: 0.1, K2O: 0.01, Fe2O3: 0.01, PbO: 0.02 };
  const w = massFractions(glass);
  out.push(`Soda-lime glass with 2 % PbO — element mass fractions: ` +
    Object.entries(w).map(([s, f]) => `${s} ${f.toFixed(4)}`).join(', '));
  out.push('energy (keV)   μ/ρ glass (cm²/g)   μ/ρ water (cm²/g)   Fe Kα1 production at E (cm²/g)');
  for (const e of [5, 8, 10, 15, 20, 30]) {
    out.push(`${e.toFixed(1).padStart(12)}   ${massAttenuation(glass, e).toFixed(3).padStart(17)}   ` +
      `${massAttenuation('H2O', e).toFixed(4).padStart(17)}   ${fluorescenceProduction('Fe', 'KA1', e).toFixed(3).padStart(30)}`);
  }
  return out;
} // prettier-ignore

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const l of physicsReport()) console.log(l);
}
