import { describe, expect, it } from 'vitest';
import { quantifyReport } from '../../examples/quantify.js';
import { quantifyWebReport } from '../../examples/quantify-web.js';

describe('quantification examples run', () => {
  it('examples/quantify.ts (Node, onnxruntime-node)', async () => {
    const lines = await quantifyReport();
    expect(lines[0]).toMatch(/21 steps × 520 channels, model cmxrf-(tiny|default)@/);
    expect(lines.at(-1)).toMatch(/of 53 elements detected at p ≥ 0\.5$/);
    expect(lines.join('\n')).not.toMatch(/NaN|Infinity/);
  });
  it('examples/quantify-web.ts (createQuantifier, onnxruntime-web wasm)', async () => {
    const lines = await quantifyWebReport();
    expect(lines[0]).toMatch(/^model cmxrf-default@[0-9a-f]{12} on onnxruntime-web 1\./);
    // The example pellet holds K, Ca, Fe, Cu, Zn above 100 µg/g (examples/data/truth.json).
    expect(lines[1]).toMatch(/^detected at p ≥ 0\.\d+: .*\bK\b.*\bZn\b/);
    expect(lines[2]).toBe('same profile twice, same density: true');
  });
});

describe('examples/deno-notebook.ts runs in Node too', () => {
  it('quantifies the fixture profile', async () => {
    const log = console.log;
    const table = console.table;
    console.log = () => {};
    console.table = () => {};
    try {
      const nb = await import('../../examples/deno-notebook.js');
      expect(nb.detectedRows.length).toBeGreaterThan(0);
      for (const r of nb.detectedRows) expect(r.massFraction).toBeLessThanOrEqual(1);
    } finally {
      console.log = log;
      console.table = table;
    }
  });
});
