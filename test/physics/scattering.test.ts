import { describe, expect, it } from 'vitest';
import {
  CLASSICAL_ELECTRON_RADIUS_CM,
  CmxrfError,
  comptonCrossSection,
  comptonDifferentialCm2PerGPerSr,
  comptonDopplerDensityGrid,
  comptonEnergyKeV,
  comptonProfile,
  comptonPzAu,
  createScatterGrid,
  ELECTRON_REST_ENERGY_KEV,
  kleinNishinaDifferentialCm2PerSr,
  momentumTransferPerAngstrom,
  rayleighCrossSection,
  rayleighDifferentialCm2PerGPerSr,
  resolveMaterial,
  scatterDifferentialGrid,
  scatterOnGrid,
  thomsonDifferentialCm2PerSr,
} from '../../src/index.js';

const RE2 = CLASSICAL_ELECTRON_RADIUS_CM ** 2;
const deg = (d: number) => (d * Math.PI) / 180;

/** ∫ dσ/dΩ dΩ by the midpoint rule in θ (2π sin θ dθ). */
function integrate(f: (theta: number) => number, n = 2000): number {
  let s = 0;
  const h = Math.PI / n;
  for (let i = 0; i < n; i++) {
    const t = (i + 0.5) * h;
    s += f(t) * 2 * Math.PI * Math.sin(t) * h;
  }
  return s;
}

describe('free-electron factors', () => {
  it('Thomson: r_e² forward, r_e²/2 at 90°', () => {
    expect(thomsonDifferentialCm2PerSr(0) / RE2).toBeCloseTo(1, 12);
    expect(thomsonDifferentialCm2PerSr(Math.PI / 2) / RE2).toBeCloseTo(0.5, 12);
  });
  it('Klein–Nishina: analytic value at E = m_e c², 90° (3/16 r_e²) and Thomson limit', () => {
    expect(
      kleinNishinaDifferentialCm2PerSr(ELECTRON_REST_ENERGY_KEV, Math.PI / 2) / RE2,
    ).toBeCloseTo(3 / 16, 12);
    expect(
      kleinNishinaDifferentialCm2PerSr(1e-6, deg(120)) / thomsonDifferentialCm2PerSr(deg(120)),
    ).toBeCloseTo(1, 6);
    // Total KN cross section at E = m_e c²: σ = 2π r_e² [((1+k)/k²)(2(1+k)/(1+2k) − ln(1+2k)/k) + ln(1+2k)/(2k) − (1+3k)/(1+2k)²], k = 1.
    const k = 1;
    const total =
      2 *
      Math.PI *
      RE2 *
      (((1 + k) / k ** 2) * ((2 * (1 + k)) / (1 + 2 * k) - Math.log(1 + 2 * k) / k) +
        Math.log(1 + 2 * k) / (2 * k) -
        (1 + 3 * k) / (1 + 2 * k) ** 2);
    expect(
      integrate((t) => kleinNishinaDifferentialCm2PerSr(ELECTRON_REST_ENERGY_KEV, t)) / total,
    ).toBeCloseTo(1, 5);
  });
  it('momentum transfer x = sin(θ/2)·E/hc', () => {
    expect(momentumTransferPerAngstrom(12.398419843320026, Math.PI)).toBeCloseTo(1, 12);
    expect(momentumTransferPerAngstrom(20, 0)).toBe(0);
  });
});

describe('differential cross sections integrate to the (independent) Elam totals', () => {
  // Elam's coherent/incoherent totals come from a different compilation than xraylib's F and S
  // tables: agreement within 6 % over 5–60 keV for light to heavy elements.
  for (const el of ['C', 'Si', 'Fe', 'Sn', 'Pb']) {
    it(`${el}: ∫ dσ/dΩ dΩ within 6 % of σ_coh and σ_incoh (5–60 keV)`, () => {
      for (const e of [5, 10, 20, 40, 60]) {
        const coh = integrate((t) => rayleighDifferentialCm2PerGPerSr(el, e, t));
        const inc = integrate((t) => comptonDifferentialCm2PerGPerSr(el, e, t));
        expect(Math.abs(coh / rayleighCrossSection(el, e) - 1), `${el} ${e} keV coh`).toBeLessThan(
          0.06,
        );
        expect(Math.abs(inc / comptonCrossSection(el, e) - 1), `${el} ${e} keV inc`).toBeLessThan(
          0.06,
        );
      }
    });
  }
  it('a mixture is the mass-fraction-weighted sum of its elements', () => {
    const th = deg(100);
    const mix = rayleighDifferentialCm2PerGPerSr({ Fe: 0.3, SiO2: 0.7 }, 20, th);
    const w = resolveMaterial({ Fe: 0.3, SiO2: 0.7 });
    let sum = 0;
    for (let i = 0; i < w.z.length; i++) {
      sum += w.massFraction[i] * rayleighDifferentialCm2PerGPerSr(w.z[i], 20, th);
    }
    expect(mix / sum).toBeCloseTo(1, 12);
  });
});

describe('grid variants', () => {
  const e = Float64Array.from({ length: 200 }, (_, i) => 2 + i * 0.2);
  const th = deg(100);
  it('scatterDifferentialGrid and ScatterGrid equal the scalar functions', () => {
    const m = resolveMaterial('CaCO3');
    const grid = createScatterGrid(e, th);
    const out = new Float64Array(e.length);
    for (const kind of ['rayleigh', 'compton'] as const) {
      const a = scatterDifferentialGrid(m, e, th, kind);
      const b = scatterOnGrid(grid, m, kind, out);
      expect(b).toBe(out);
      for (let i = 0; i < e.length; i += 13) {
        const s =
          kind === 'rayleigh'
            ? rayleighDifferentialCm2PerGPerSr(m, e[i], th)
            : comptonDifferentialCm2PerGPerSr(m, e[i], th);
        expect(a[i] / s).toBeCloseTo(1, 12);
        expect(b[i] / s).toBeCloseTo(1, 12);
      }
    }
  });
  it('rejects bad angles, momenta and output arrays with typed errors', () => {
    expect(() => rayleighDifferentialCm2PerGPerSr('Fe', 20, 100)).toThrow(/scatterAngleRad/);
    expect(() => createScatterGrid(e, -0.1)).toThrow(CmxrfError);
    expect(() =>
      scatterOnGrid(createScatterGrid(e, th), 'Fe', 'compton', new Float64Array(3)),
    ).toThrow(/length 200/);
    expect(() => comptonProfile('Fe', Number.NaN)).toThrow(/pzAu/);
  });
});

describe('Doppler-broadened Compton line', () => {
  const th = deg(100);
  const e0 = 20.216;
  const step = 0.001;
  const ep = Float64Array.from({ length: 19000 }, (_, i) => 1.2 + i * step);
  it('p_z is 0 at the Compton energy and positive above it', () => {
    const ec = comptonEnergyKeV(e0, 100);
    expect(Math.abs(comptonPzAu(e0, ec, th))).toBeLessThan(1e-9);
    expect(comptonPzAu(e0, ec + 0.1, th)).toBeGreaterThan(0);
  });
  it('peaks at the Compton energy and integrates to 1 over 0 < E′ < E', () => {
    for (const m of ['H2O', 'Fe', 'C6H10O5']) {
      const d = comptonDopplerDensityGrid(m, e0, th, ep);
      let sum = 0;
      let iMax = 0;
      for (let i = 0; i < d.length; i++) {
        sum += d[i] * step;
        if (d[i] > d[iMax]) iMax = i;
      }
      expect(sum, m).toBeGreaterThan(0.995);
      expect(sum, m).toBeLessThan(1.005);
      expect(Math.abs(ep[iMax] - comptonEnergyKeV(e0, 100)), m).toBeLessThan(0.01);
    }
  });
  it('equals J(p_z) · |dp_z/dE′| / ∫J over the allowed p_z range (one element)', () => {
    const pick = Float64Array.of(18.9, 19.3, 19.5, 19.9);
    const d = comptonDopplerDensityGrid('Cu', e0, th, pick);
    // Allowed range: E′ → 0 gives p_z → −137, E′ → E gives p_z(E′ = E − 1e-9).
    const lo = comptonPzAu(e0, 1e-9, th);
    const hi = comptonPzAu(e0, e0 - 1e-9, th);
    let norm = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) norm += comptonProfile('Cu', lo + ((i + 0.5) * (hi - lo)) / n);
    norm *= (hi - lo) / n;
    expect(norm).toBeLessThan(29);
    expect(norm).toBeGreaterThan(24);
    for (let i = 0; i < pick.length; i++) {
      const h = 1e-5;
      const dpz = (comptonPzAu(e0, pick[i] + h, th) - comptonPzAu(e0, pick[i] - h, th)) / (2 * h);
      const expected = (comptonProfile('Cu', comptonPzAu(e0, pick[i], th)) / norm) * Math.abs(dpz);
      expect(d[i] / expected).toBeCloseTo(1, 2);
    }
  });
  it('a mixture is its elements combined with weights w_i · dσ_Compton,i/dΩ', () => {
    const pick = Float64Array.of(18.7, 19.2, 19.4, 19.6, 20.0);
    const m = resolveMaterial('CaCO3');
    const mix = comptonDopplerDensityGrid(m, e0, th, pick);
    const sum = new Float64Array(pick.length);
    let wsum = 0;
    for (let j = 0; j < m.z.length; j++) {
      const c = m.massFraction[j] * comptonDifferentialCm2PerGPerSr(m.z[j], e0, th);
      wsum += c;
      const d = comptonDopplerDensityGrid(m.z[j], e0, th, pick);
      for (let i = 0; i < pick.length; i++) sum[i] += c * d[i];
    }
    for (let i = 0; i < pick.length; i++) expect(mix[i] / (sum[i] / wsum)).toBeCloseTo(1, 10);
  });
  it('the line of a light matrix is narrower than that of a heavy one (FWHM)', () => {
    const fwhm = (m: string) => {
      const d = comptonDopplerDensityGrid(m, e0, th, ep);
      const max = Math.max(...d);
      let lo = -1;
      let hi = -1;
      for (let i = 0; i < d.length; i++) {
        if (d[i] >= max / 2) {
          if (lo < 0) lo = i;
          hi = i;
        }
      }
      return (hi - lo) * step;
    };
    const light = fwhm('C6H10O5');
    const heavy = fwhm('Pb');
    expect(light).toBeGreaterThan(0.1);
    expect(light).toBeLessThan(heavy);
  });
});
