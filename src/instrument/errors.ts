/**
 * Errors of instrument descriptions and randomization ranges.
 *
 * @module
 */
import { CmxrfError } from '../errors.js';

/** One problem of a description: the field path, what was expected and what was found. */
export interface InstrumentProblem {
  /** Dotted field path, e.g. `detector.fwhmAtMnKaEv`. */
  path: string;
  /** The expectation, e.g. `100..250 eV`. */
  expected: string;
  /** The value found, as JSON text (`nothing` when missing). */
  got: string;
}

/**
 * An instrument description or a ranges file is invalid. The message names the source and every
 * field at fault: `my.json: detector.fwhmAtMnKaEv: expected 100..250 eV, got 1200`.
 */
export class InstrumentDescriptionError extends CmxrfError {
  /** File name or description of the source. */
  readonly source: string;
  /** Every problem found. */
  readonly problems: readonly InstrumentProblem[];
  constructor(source: string, problems: readonly InstrumentProblem[]) {
    super(
      'INVALID_ARGUMENT',
      problems.map((p) => `${source}: ${p.path}: expected ${p.expected}, got ${p.got}`).join('\n'),
    );
    this.name = 'InstrumentDescriptionError';
    this.source = source;
    this.problems = problems;
  }
}
