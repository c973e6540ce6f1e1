/**
 * Typed errors of the quantification model: invalid model cards, integrity (SHA-256) failures,
 * a missing model file, failures of the ONNX runtime, and depth profiles the model cannot
 * represent.
 *
 * @module
 */
import { CmxrfError, describeValue } from '../errors';

/** One problem found in a model card. */
export interface ModelCardProblem {
  /** Dotted path of the field, e.g. `input.grid.nDepth`. */
  field: string;
  /** What the field must be. */
  expected: string;
  /** What the card holds (formatted). */
  got: string;
}

/**
 * A model card is missing fields or holds invalid values. Every problem is listed (field,
 * expectation, value), not only the first one.
 */
export class ModelCardError extends CmxrfError {
  /** Name of the card (`card.name`) or `'<card>'` where it has none. */
  readonly cardName: string;
  /** All problems found. */
  readonly problems: readonly ModelCardProblem[];
  constructor(cardName: string, problems: readonly ModelCardProblem[]) {
    super(
      'MODEL_ERROR',
      `Invalid model card ${cardName}: ` +
        problems.map((p) => `${p.field}: expected ${p.expected}, got ${p.got}`).join('; '),
    );
    this.name = 'ModelCardError';
    this.cardName = cardName;
    this.problems = problems;
  }
}

/** The ONNX bytes do not have the SHA-256 that the model card states. */
export class ModelIntegrityError extends CmxrfError {
  /** The ONNX file (or `'<bytes>'`). */
  readonly file: string;
  /** SHA-256 stated by the card (lower-case hex). */
  readonly expectedSha256: string;
  /** SHA-256 of the bytes (lower-case hex). */
  readonly actualSha256: string;
  constructor(file: string, expectedSha256: string, actualSha256: string) {
    super(
      'MODEL_ERROR',
      `${file}: SHA-256 mismatch: the model card states ${expectedSha256}, the ONNX bytes hash to ` +
        `${actualSha256}. The model file is corrupt or belongs to another card.`,
    );
    this.name = 'ModelIntegrityError';
    this.file = file;
    this.expectedSha256 = expectedSha256;
    this.actualSha256 = actualSha256;
  }
}

/** A model file (ONNX or card) or the ONNX runtime package could not be found or loaded. */
export class ModelNotAvailableError extends CmxrfError {
  /** The path (or package name) that was looked for. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('MODEL_ERROR', message, options);
    this.name = 'ModelNotAvailableError';
    this.path = path;
  }
}

/** The ONNX runtime failed (session creation or inference), or returned unexpected outputs. */
export class ModelRuntimeError extends CmxrfError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_ERROR', message, options);
    this.name = 'ModelRuntimeError';
  }
}

/** Why a depth profile cannot be represented on the model grid. */
export type ProfileProblem =
  /** Array lengths disagree with `nSteps` / `nChannels`. */
  | 'shape'
  /** The energy calibration does not cover the model's energy range (or its gain is ≤ 0). */
  | 'energy-range'
  /** The scan positions are not finite and strictly increasing, or the window leaves the scan. */
  | 'depth-coverage'
  /**
   * The scan spans fewer µm (steps) than the model window needs; for a model with a depth mask,
   * fewer than its `minSteps` measured steps.
   */
  | 'short-scan'
  /** More steps than the limit (`maxSteps`). */
  | 'too-many-steps'
  /** The scan step is implausible for a confocal depth scan (a unit mistake). */
  | 'implausible-step'
  /** No counts in the model's energy range. */
  | 'no-signal'
  /** The scan does not contain the surface (no rising edge of the count rate). */
  | 'no-surface'
  /**
   * Too little scan behind the surface for the model window (for a model with a depth mask,
   * less than its `minMaterialUm`).
   */
  | 'insufficient-depth'
  /** A count is NaN or ±Infinity. */
  | 'non-finite-counts'
  /** A count is negative. */
  | 'negative-counts'
  /** A live time is not finite and > 0. */
  | 'live-time';

/** Where and what, for {@link ProfileNotRepresentableError}. */
export interface ProfileProblemDetail {
  /** The problem class. */
  problem: ProfileProblem;
  /** Human-readable description (expectation and value). */
  detail: string;
  /** `profile.source`, where set. */
  source?: string;
  /** Index of the profile in the batch given to `quantify`. */
  profileIndex?: number;
  /** 0-based depth step, where relevant. */
  step?: number;
  /** 0-based channel, where relevant. */
  channel?: number;
  /** The offending value, where there is one. */
  value?: number;
}

/**
 * A depth profile cannot be represented on the model's grid (energy range or depth range not
 * covered, NaN or negative counts, bad live times, inconsistent shape). Nothing is guessed.
 */
export class ProfileNotRepresentableError extends CmxrfError {
  readonly problem: ProfileProblem;
  readonly source: string | undefined;
  readonly profileIndex: number | undefined;
  readonly step: number | undefined;
  readonly channel: number | undefined;
  readonly value: number | undefined;
  constructor(d: ProfileProblemDetail) {
    const where = [
      d.source ?? (d.profileIndex !== undefined ? `profile #${d.profileIndex}` : 'profile'),
      d.step !== undefined ? `step ${d.step}` : undefined,
      d.channel !== undefined ? `channel ${d.channel}` : undefined,
    ]
      .filter((s) => s !== undefined)
      .join(', ');
    super(
      'INVALID_ARGUMENT',
      `${where}: cannot be represented on the model grid (${d.problem}): ${d.detail}` +
        (d.value !== undefined ? ` Value: \`${describeValue(d.value)}\`.` : ''),
    );
    this.name = 'ProfileNotRepresentableError';
    this.problem = d.problem;
    this.source = d.source;
    this.profileIndex = d.profileIndex;
    this.step = d.step;
    this.channel = d.channel;
    this.value = d.value;
  }
}
