import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ATOMIC_DATA_PACKAGES,
  ELAM_SHA256,
  ELAM_VERSION,
  elementData,
  MAX_Z,
} from '../../src/index.js';

// Byte equality of the generated module with a fresh generation from the pinned PyPI packages
// is checked by training/tests/test_atomic_data.py (it needs the Python packages).
const GENERATED = new URL('../../src/physics/data/atomicData.generated.ts', import.meta.url);
const REQUIREMENTS = new URL('../../training/requirements.txt', import.meta.url);

describe('generated atomic data', () => {
  it('states its provenance: the pinned package versions and the SHA-256 of xraydb.sqlite', () => {
    const header = readFileSync(GENERATED, 'utf8').split('/* eslint-disable */')[0];
    const pins = readFileSync(REQUIREMENTS, 'utf8');
    for (const pkg of ['xraydb', 'xraylib'] as const) {
      const version = ATOMIC_DATA_PACKAGES[pkg];
      expect(version).toMatch(/^\d+\.\d+/);
      expect(pins).toContain(`${pkg}==${version}`);
      expect(header).toContain(`${pkg} ${version}`);
    }
    expect(ELAM_SHA256).toMatch(/^[0-9a-f]{64}$/);
    expect(header).toContain(ELAM_SHA256);
    expect(header).toContain(`database version ${ELAM_VERSION}`);
    expect(header).toMatch(/MIT licence/);
    expect(header).toMatch(/BSD 3-clause licence/);
    expect(header).toMatch(/doi:10\.1016\/S0969-806X\(01\)00227-4/);
  });
  it('covers Z = 1…94 with consistent tables', () => {
    expect(MAX_Z).toBe(94);
    for (let z = 1; z <= MAX_Z; z++) {
      const d = elementData(z);
      expect(d.z).toBe(z);
      expect(d.photo.lnEnergyEv.length).toBeGreaterThan(20);
      expect(d.photo.lnValue.length).toBe(d.photo.lnEnergyEv.length);
      for (let i = 1; i < d.photo.lnEnergyEv.length; i++) {
        expect(d.photo.lnEnergyEv[i]).toBeGreaterThanOrEqual(d.photo.lnEnergyEv[i - 1]);
      }
      expect(d.lnFormFactor.length).toBe(169);
      expect(d.lnScatterFunction.length).toBe(169);
      expect(d.lnComptonProfile.length).toBe(83);
      // F(x → 0) = Z and S(x → ∞) = Z (xraylib's tables, read back through the generator).
      expect(Math.exp(d.lnFormFactor[0]) / z).toBeCloseTo(1, 2);
      expect(Math.exp(d.lnScatterFunction[168]) / z).toBeCloseTo(1, 2);
      if (z >= 3) {
        const t = d.photoShares!;
        for (const col of t.share) expect(col.length).toBe(t.lnEnergyEv.length);
        // Shares of the tabulated inner shells never exceed 1 in total.
        for (let i = 0; i < t.lnEnergyEv.length; i++) {
          let sum = 0;
          for (const col of t.share) sum += col[i];
          expect(sum).toBeLessThanOrEqual(1 + 1e-4);
        }
      }
    }
  });
  it('returns the same frozen object on every call', () => {
    expect(elementData('Fe')).toBe(elementData(26));
    expect(Object.isFrozen(elementData('Fe'))).toBe(true);
  });
});
