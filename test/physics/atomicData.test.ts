import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ELAM_PATH, OUTPUT_PATH, generate } from '../../scripts/build-atomic-data.js';
import { ELAM_SHA256, elementData, MAX_Z } from '../../src/index.js';
import { createHash } from 'node:crypto';

describe('generated atomic data', () => {
  it('is byte-identical to what the generator produces from vendor/elam/elam.dat', () => {
    const text = readFileSync(ELAM_PATH, 'utf8');
    expect(createHash('sha256').update(text).digest('hex')).toBe(ELAM_SHA256);
    expect(readFileSync(OUTPUT_PATH, 'utf8')).toBe(generate(text));
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
    }
  });
  it('returns the same frozen object on every call', () => {
    expect(elementData('Fe')).toBe(elementData(26));
    expect(Object.isFrozen(elementData('Fe'))).toBe(true);
  });
});
