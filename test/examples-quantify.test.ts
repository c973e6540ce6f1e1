import { describe, expect, it } from 'vitest';
import { quantifyExamples, readExampleTruth } from '../examples/quantify-examples.js';
import { exampleTruth } from '../examples/make-example-profiles.js';

describe('npm run quantify:example', () => {
  it('truth.json holds what the example profiles were simulated with', () => {
    expect(readExampleTruth()).toEqual(JSON.parse(JSON.stringify(exampleTruth())));
    // Bovine-liver-like pellet: K 0.99 % of a composition summing to 98.532 % → 1.0048 % normalised.
    expect(readExampleTruth()['biological-pellet'].massFractions.K).toBeCloseTo(
      0.0099 / 0.98531747,
      5,
    );
  });
  it('prints estimates next to true values for both example files', async () => {
    const lines = await quantifyExamples();
    const text = lines.join('\n');
    expect(text).toMatch(/biological-pellet\.csv — model cmxrf-default@/);
    expect(text).toMatch(/glass\.msa — model cmxrf-default@/);
    expect(text).toMatch(/density \d\.\d{3} g\/cm³ \(true 3\.1\)/);
    // Pb in the glass: true 11.1 wt%; the estimate is within a factor 1.5 of it.
    const pb = lines.find((l) => /^ {2}Pb +0\.\d+ +0\.111 /.test(l));
    expect(pb, text).toBeDefined();
    const ratio = Number(pb!.trim().split(/\s+/)[3]);
    expect(ratio).toBeGreaterThan(1 / 1.5);
    expect(ratio).toBeLessThan(1.5);
  });
});
