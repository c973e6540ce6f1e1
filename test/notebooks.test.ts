import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notebooks, scriptCells } from '../scripts/make-notebooks.js';

describe('notebooks', () => {
  it('are exactly what scripts/make-notebooks.ts writes from examples/deno-notebook.ts', () => {
    for (const [path, text] of Object.entries(notebooks()))
      expect(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'), path).toBe(text);
  });
  it('load the shipped default model, plot the profile and the result', () => {
    const nb = JSON.parse(
      readFileSync(new URL('../notebooks/cmxrf-tslab.ipynb', import.meta.url), 'utf8'),
    ) as {
      cells: { cell_type: string; source: string[] }[];
      metadata: { kernelspec: { name: string } };
    };
    expect(nb.metadata.kernelspec.name).toBe('tslab');
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
    const all = code.join('\n');
    expect(all).toContain('models/cmxrf-default.onnx');
    expect(all).not.toContain('cmxrf-tiny');
    expect(all).toContain("from 'cmxrf/report'");
    expect(all).not.toMatch(/\.\.\/src\//);
    expect(all).toMatch(/depthHeatmapSpec\(profile\)/);
    expect(all).toMatch(/renderReport\(result, profile/);
    expect(
      scriptCells(readFileSync(new URL('../examples/deno-notebook.ts', import.meta.url), 'utf8')),
    ).toHaveLength(code.length);
  });
});
