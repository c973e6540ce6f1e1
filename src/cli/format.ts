/**
 * Output formats of `cmxrf quantify`: an aligned table for people (wt% only here, for
 * display), JSON and CSV (mass fractions 0..1) for programs.
 *
 * @module
 */
import { resultsToCsv, resultsToJson } from '../io/results';
import type { QuantificationResult } from '../model/result';

/** A result with the file it came from. */
export interface FileResult {
  /** Path as given on the command line. */
  file: string;
  /** The quantification. */
  result: QuantificationResult;
}

/** Output formats. */
export const FORMATS = ['table', 'json', 'csv'] as const;
/** One of {@link FORMATS}. */
export type OutputFormat = (typeof FORMATS)[number];

const fmt = (v: number, digits: number): string => v.toFixed(digits);

/** The model's instrument in one line: name (anode, kV range); empty when the card has none. */
export function instrumentSummary(r: QuantificationResult): string {
  const m = r.modelInstrument;
  if (!m) return '';
  const kV = m.voltageRangeKV;
  const parts = [
    ...(m.anode ? [`${m.anode} anode`] : []),
    ...(kV ? [`${kV[0]}${kV[1] > kV[0] ? `–${kV[1]}` : ''} kV`] : []),
  ];
  return parts.length > 0 ? `${m.name} (${parts.join(', ')})` : m.name;
}

/**
 * Human-readable table: detected elements (wt%, presence probability), density, surface, the
 * model window, the model's instrument with what could not be checked, and every warning with
 * its code.
 */
export function formatTable(rows: readonly FileResult[]): string {
  const out: string[] = [];
  for (const { file, result: r } of rows) {
    out.push(`${file}  (model ${r.modelId}, threshold ${r.threshold})`);
    out.push(`  density ${fmt(r.densityGPerCm3, 3)} g/cm³   surface ${fmt(r.surfaceUm, 1)} µm`);
    out.push(
      `  window ${+r.window.startUm.toFixed(3)}–${+r.window.endUm.toFixed(3)} µm ` +
        `(steps ${r.window.firstStep}–${r.window.lastStep} of ${r.scan.nSteps})`,
    );
    if (r.modelInstrument) {
      out.push(`  model instrument ${instrumentSummary(r)}`);
      for (const n of r.modelInstrument.notes) out.push(`  note: ${n}`);
    }
    for (const w of r.warnings) out.push(`  warning [${w.code}]: ${w.message}`);
    const detected = r.elements
      .filter((e) => e.detected)
      .sort((a, b) => b.massFraction - a.massFraction);
    if (detected.length === 0) out.push('  no element detected');
    else {
      out.push(`  ${'element'.padEnd(8)}${'wt%'.padStart(10)}${'p'.padStart(8)}`);
      for (const e of detected) {
        out.push(
          `  ${e.element.padEnd(8)}${fmt(e.massFraction * 100, 4).padStart(10)}${fmt(e.presenceProbability, 3).padStart(8)}`,
        );
      }
    }
    out.push('');
  }
  return out.join('\n');
}

/** JSON: an array of `{ file, ...result }` (mass fractions 0..1). */
export function formatJson(rows: readonly FileResult[]): string {
  return resultsToJson(rows.map(({ file, result }) => ({ file, ...result }))) + '\n';
}

/**
 * CSV, one row per file: file, model, threshold, density, surface, the six setup parameters,
 * `warnings` (codes, `;`-separated), `warningMessages` (` | `-separated), the model window
 * (`windowStartUm`, `windowEndUm`), the scan's surface edge (`surfaceEdgeUm`), the model card's
 * instrument (`modelInstrument`, empty when the card names none), then
 * `massFraction_<El>` (gated), `massFractionRaw_<El>` and `presenceProbability_<El>` per element
 * in model order (mass fractions 0..1).
 */
export function formatCsv(rows: readonly FileResult[]): string {
  const table = rows.map(({ file, result: r }) => {
    const row: Record<string, string | number> = {
      file,
      modelId: r.modelId,
      threshold: r.threshold,
      densityGPerCm3: r.densityGPerCm3,
      surfaceUm: r.surfaceUm,
      ...r.setup,
      warnings: r.warnings.map((w) => w.code).join(';'),
      warningMessages: r.warnings.map((w) => w.message).join(' | '),
      windowStartUm: r.window.startUm,
      windowEndUm: r.window.endUm,
      surfaceEdgeUm: r.scan.surfaceEdgeUm,
      modelInstrument: instrumentSummary(r),
    };
    for (const e of r.elements) row[`massFraction_${e.element}`] = e.massFraction;
    for (const e of r.elements) row[`massFractionRaw_${e.element}`] = e.massFractionRaw;
    for (const e of r.elements) row[`presenceProbability_${e.element}`] = e.presenceProbability;
    return row;
  });
  return resultsToCsv(table);
}

/** Formats results in `format`. */
export function formatResults(rows: readonly FileResult[], format: OutputFormat): string {
  if (format === 'json') return formatJson(rows);
  if (format === 'csv') return formatCsv(rows);
  return formatTable(rows);
}
