/**
 * `cmxrf quantify --refine`: runs the fundamental-parameter refinement on every quantified
 * profile and formats the refined values ± 1σ and the fit flag as a table, JSON or CSV.
 *
 * @module
 */
import { CmxrfError } from '../errors';
import type { DepthProfile } from '../profile';
import { refine, type RefinedValue, type RefineOptions, type RefineResult } from '../refine';
import { resultsToCsv, resultsToJson } from '../io/results';
import { defaultInstrument, type Instrument } from '../spectra/instrument';
import { createMxrfSimulator } from '../spectra/mxrfSimulator';
import type { FileResult, OutputFormat } from './format';
import { formatJson, formatTable, instrumentSummary } from './format';

/** The refinement of one file, compact (no per-bin arrays). */
export interface RefinedFileSummary {
  fitDescribesData: boolean;
  warnings: RefineResult['warnings'];
  elements: { element: string; massFraction: number; sigma: number; start: number }[];
  matrixMassFraction: RefinedValue;
  matrix: Record<string, number>;
  densityGPerCm3: RefinedValue;
  surfaceUm: RefinedValue;
  setup: RefineResult['setup'];
  detector: RefineResult['detector'];
  instrument: RefineResult['instrument'];
  fit: RefineResult['fit'];
  convergence: RefineResult['convergence'];
}

function summary(r: RefineResult): RefinedFileSummary {
  return {
    fitDescribesData: r.fitDescribesData,
    warnings: r.warnings,
    elements: r.elements.map((e) => ({
      element: e.element,
      massFraction: e.value,
      sigma: e.sigma,
      start: e.start,
    })),
    matrixMassFraction: r.matrixMassFraction,
    matrix: r.matrix,
    densityGPerCm3: r.densityGPerCm3,
    surfaceUm: r.surfaceUm,
    setup: r.setup,
    detector: r.detector,
    instrument: r.instrument,
    fit: r.fit,
    convergence: r.convergence,
  };
}

const pm = (v: RefinedValue, digits: number, scale = 1): string =>
  `${(v.value * scale).toFixed(digits)} ± ${(v.sigma * scale).toFixed(digits)}${v.free ? '' : ' (fixed)'}`;

/**
 * Refines each file's network result against its profile (`options.instrument`, default the
 * default instrument, and `options.simulatorOptions`; one simulator shared by all files;
 * `options.free` chooses the fitted parameters) and formats network and refined values in
 * `format`.
 * @throws {@link CmxrfError} naming the file when a refinement rejects its input.
 */
export function formatRefinedResults(
  rows: readonly FileResult[],
  profiles: readonly DepthProfile[],
  format: OutputFormat,
  options: Pick<RefineOptions, 'free' | 'simulatorOptions'> & { instrument?: Instrument } = {},
): string {
  const simulator = createMxrfSimulator(
    options.instrument ?? defaultInstrument(),
    options.simulatorOptions,
  );
  const refined = rows.map(({ file, result }, i) => {
    try {
      return summary(refine(profiles[i], result, { free: options.free, simulator }));
    } catch (e) {
      if (e instanceof CmxrfError)
        throw new CmxrfError(e.code, `${file}: ${e.message}`, { cause: e });
      throw e;
    }
  });
  if (format === 'json') {
    const net = JSON.parse(formatJson(rows)) as Record<string, unknown>[];
    return resultsToJson(net.map((r, i) => ({ ...r, refinement: refined[i] }))) + '\n';
  }
  if (format === 'csv') {
    const table = rows.map(({ file, result }, i) => {
      const r = refined[i];
      const row: Record<string, string | number> = {
        file,
        fitDescribesData: String(r.fitDescribesData),
        warnings: r.warnings.map((w) => w.code).join(' '),
        networkWarnings: result.warnings.map((w) => w.code).join(';'),
        networkWarningMessages: result.warnings.map((w) => w.message).join(' | '),
        modelInstrument: instrumentSummary(result),
        devianceRatio: r.fit.devianceRatio,
        reducedDeviance: r.fit.reducedDeviance,
        converged: String(r.convergence.converged),
        densityGPerCm3: r.densityGPerCm3.value,
        densityGPerCm3Sigma: r.densityGPerCm3.sigma,
        surfaceUm: r.surfaceUm.value,
        surfaceUmSigma: r.surfaceUm.sigma,
      };
      for (const [k, v] of Object.entries(r.setup)) {
        row[k] = v.value;
        row[`${k}Sigma`] = v.sigma;
      }
      for (const [k, v] of Object.entries(r.detector)) {
        row[`detector_${k}`] = v.value;
        row[`detector_${k}Sigma`] = v.sigma;
      }
      for (const [k, v] of Object.entries(r.instrument)) {
        row[`instrument_${k}`] = v.value;
        row[`instrument_${k}Sigma`] = v.sigma;
      }
      row.matrixMassFraction = r.matrixMassFraction.value;
      for (const e of r.elements) {
        row[`massFraction_${e.element}`] = e.massFraction;
        row[`massFractionSigma_${e.element}`] = e.sigma;
      }
      return row;
    });
    return resultsToCsv(table);
  }
  const out: string[] = [formatTable(rows).trimEnd(), ''];
  rows.forEach(({ file }, i) => {
    const r = refined[i];
    out.push(
      `${file}  refined (FP fit): ${r.fitDescribesData ? 'fit describes the data' : 'FIT DOES NOT DESCRIBE THE DATA'}` +
        `, deviance/expected ${r.fit.devianceRatio.toFixed(2)}, ${r.convergence.iterations} iterations`,
    );
    out.push(`  density ${pm(r.densityGPerCm3, 3)} g/cm³   surface ${pm(r.surfaceUm, 2)} µm`);
    const d = r.detector;
    out.push(
      `  detector: calibration offset ${pm(d.offsetKeV, 1, 1000)} eV, gain ${pm(d.gainRelative, 3, 100)} %, ` +
        `FWHM at Mn Kα ${pm(d.fwhmAtMnKaEv, 1)} eV`,
    );
    const ins = r.instrument;
    out.push(
      `  instrument: excitation optic centre ${pm(ins.opticCentreKeV, 2)} keV, width ` +
        `${pm(ins.opticWidthKeV, 2)} keV, pulse-pair resolution ${pm(ins.pulsePairResolutionUs, 3)} µs`,
    );
    out.push(
      `  ${'element'.padEnd(8)}${'wt%'.padStart(12)}${'± 1σ'.padStart(12)}${'network'.padStart(12)}`,
    );
    for (const e of [...r.elements].sort((a, b) => b.massFraction - a.massFraction))
      out.push(
        `  ${e.element.padEnd(8)}${(e.massFraction * 100).toFixed(4).padStart(12)}` +
          `${(e.sigma * 100).toFixed(4).padStart(12)}${(e.start * 100).toFixed(4).padStart(12)}`,
      );
    out.push(`  light matrix ${pm(r.matrixMassFraction, 2, 100)} wt%`);
    for (const w of r.warnings) out.push(`  warning ${w.code}: ${w.message}`);
    out.push('');
  });
  return out.join('\n');
}
