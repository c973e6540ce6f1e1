import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { physicsReport } from '../examples/physics-basics.js';
import { writeExampleSpectra } from '../examples/simulate-spectra.js';
import { writeExampleProfiles } from '../examples/make-example-profiles.js';

describe('examples run', () => {
  it('physics-basics prints a table', () => {
    const lines = physicsReport();
    expect(lines.length).toBe(9);
    expect(lines[0]).toContain('Iron');
    expect(lines.join('\n')).not.toMatch(/NaN|Infinity/);
  });
  it('simulate-spectra writes CSV and labelled SVG for the glass and the pellet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmxrf-ex-'));
    try {
      const files = writeExampleSpectra(dir);
      expect(files.map((f) => f.split('/').pop())).toEqual([
        'glass.csv',
        'glass.svg',
        'biological-pellet.csv',
        'biological-pellet.svg',
      ]);
      const csv = readFileSync(files[0], 'utf8').trim().split('\n');
      expect(csv[0]).toBe('energyKeV,counts');
      expect(csv.length).toBe(4097);
      const svg = readFileSync(files[1], 'utf8');
      expect(svg).toMatch(/^<svg /);
      expect(svg).toContain('Pb Lα');
      expect(readFileSync(files[3], 'utf8')).toContain('K Kα');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the committed example profiles in examples/data are exactly what the script writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmxrf-exdata-'));
    try {
      for (const f of writeExampleProfiles(dir)) {
        const name = f.split('/').pop()!;
        expect(
          readFileSync(f).equals(
            readFileSync(new URL(`../examples/data/${name}`, import.meta.url)),
          ),
          name,
        ).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
