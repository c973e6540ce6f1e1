/**
 * Quantifies the example depth profiles in `examples/data/` with the shipped default model and
 * prints each estimate next to the true value the profile was simulated with
 * (`examples/data/truth.json`, written by `make-example-profiles.ts`); writes an HTML report
 * per file to `examples/output/`.
 *
 * Run: `npm run quantify:example` (or `npx tsx examples/quantify-examples.ts [files…]`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDepthProfileAuto } from '../src/io/index.js';
import { loadDefaultQuantifier } from '../src/model/index.js';
import { formatMassFraction, renderReport } from '../src/report/index.js';
import type { QuantificationResult } from '../src/model/index.js';
import type { ExampleTruth } from './make-example-profiles.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** The example files quantified by default. */
export const EXAMPLE_FILES = ['data/biological-pellet.csv', 'data/glass.msa'].map(here);

/** The true values of the example profiles, by file stem. */
export function readExampleTruth(): Record<string, ExampleTruth> {
  return JSON.parse(readFileSync(here('data/truth.json'), 'utf8')) as Record<string, ExampleTruth>;
}

/** Table lines of one result next to its truth (elements detected or truly present). */
export function truthTable(
  result: QuantificationResult,
  truth: ExampleTruth | undefined,
): string[] {
  const pct = (x: number | undefined): string => (x === undefined ? '' : formatMassFraction(x));
  const lines = [
    `  density ${result.densityGPerCm3.toFixed(3)} g/cm³ (true ${truth?.densityGPerCm3 ?? '?'}), ` +
      `surface ${result.surfaceUm.toFixed(1)} µm (true ${truth?.surfaceUm ?? '?'})`,
    `  ${'element'.padEnd(8)}${'estimate'.padStart(11)}${'true'.padStart(11)}${'est/true'.padStart(10)}${'p'.padStart(8)}`,
  ];
  const rows = result.elements
    .map((e) => ({ e, t: truth?.massFractions[e.element] }))
    .filter(({ e, t }) => e.detected || (t !== undefined && t > 0))
    .sort((a, b) => (b.t ?? b.e.massFraction) - (a.t ?? a.e.massFraction));
  for (const { e, t } of rows)
    lines.push(
      `  ${e.element.padEnd(8)}${pct(e.detected ? e.massFraction : undefined).padStart(11)}` +
        `${pct(t).padStart(11)}` +
        `${(t && e.detected ? (e.massFraction / t).toFixed(2) : '').padStart(10)}` +
        `${e.presenceProbability.toFixed(3).padStart(8)}${e.detected ? '' : '  (not detected)'}`,
    );
  return lines;
}

/** Quantifies `files`, returns the printed lines; writes reports into `reportDir` when given. */
export async function quantifyExamples(
  files: readonly string[] = EXAMPLE_FILES,
  reportDir?: string,
): Promise<string[]> {
  const truth = readExampleTruth();
  const quantifier = await loadDefaultQuantifier();
  const out: string[] = [];
  try {
    for (const file of files) {
      const profile = parseDepthProfileAuto(readFileSync(file), { fileName: file });
      const result = await quantifier.quantify(profile);
      const stem = basename(file, extname(file));
      out.push(`${basename(file)} — model ${result.modelId}, mass fractions 0..1`);
      out.push(...truthTable(result, truth[stem]));
      if (reportDir !== undefined) {
        mkdirSync(reportDir, { recursive: true });
        const path = join(reportDir, `${stem}.html`);
        writeFileSync(path, await renderReport(result, profile, { truth: truth[stem] }));
        out.push(`  report: ${path}`);
      }
    }
  } finally {
    await quantifier.release();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.slice(2);
  for (const line of await quantifyExamples(files.length ? files : EXAMPLE_FILES, here('output')))
    console.log(line);
}
