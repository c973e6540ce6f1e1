/**
 * `cmxrf quantify <files…>`: reads depth profiles (any format `parseDepthProfileAuto` knows),
 * quantifies them with the network and prints a table, JSON or CSV.
 *
 * @module
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CmxrfError, ParseError } from '../../errors';
import { ProfileNotRepresentableError } from '../../model/errors';
import {
  type ParseDepthProfileAutoOptions,
  parseDepthProfileAuto,
  sniffDepthProfileFormat,
} from '../../io/auto';
import { type BrukerStageUnit, parseBrukerSpxAll } from '../../io/bruker-spx';
import { parseEmsaAll } from '../../io/emsa';
import type { ScanAxis } from '../../io/types';
import type { DepthProfile } from '../../profile';
import type { IntensityConvention } from '../../model/depthResample';
import { DEFAULT_MAX_STEPS } from '../../model/guards';
import { normalizedExposureProfile } from '../../model/intensityScale';
import type { QuantifyProgress } from '../../model/quantifier';
import { type CliIo, CliExit, EXIT, describeSystemError } from '../context';
import { FORMATS, type FileResult, type OutputFormat, formatResults } from '../format';
import {
  MODEL_OPTION_HELP,
  cardInstrument,
  cardSimulatorPhysics,
  loadCliQuantifier,
} from '../model';
import { readIntensityScaleArg, warnOtherInstrument } from '../intensity-scale';
import { formatRefinedResults } from '../refine-output';
import { writeQuantifyReport } from '../report';
import { isDirectory, readStackProfile } from '../stack';
import type { CliCommand } from './types';

interface QuantifyCliOptions {
  model?: string;
  format: OutputFormat;
  threshold?: number;
  batchSize: number;
  workers?: number;
  progress?: boolean;
  scanAxis?: ScanAxis;
  invertAxis?: boolean;
  liveTimeS?: number;
  liveTime?: number;
  depthStepUm?: number;
  stageUnit?: BrukerStageUnit;
  intensityConvention: IntensityConvention;
  maxSteps: number;
  maxFileMib: number;
  series?: boolean;
  stack?: boolean;
  report?: string;
  refine?: boolean;
  refineHoldInstrument?: boolean;
  intensityScale?: string;
  tubeCurrentNormalization: boolean;
}

/** Argument parser: a number in [min, max] (integers only when `integer`). */
export function numberArg(min: number, max: number, integer = false): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (
      v.trim() === '' ||
      !Number.isFinite(x) ||
      x < min ||
      x > max ||
      (integer && !Number.isInteger(x))
    )
      throw new InvalidArgumentError(
        `Expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(v)}.`,
      );
    return x;
  };
}

/** Hint naming the CLI flag that supplies what an error says is missing. */
function flagHint(e: CmxrfError): string {
  if (e instanceof ProfileNotRepresentableError)
    return e.problem === 'live-time' ? 'give it with --live-time-s <s>.' : '';
  const text = e instanceof ParseError ? `${e.field ?? ''} ${e.expected}` : e.message;
  if (/live ?time|LIVETIME|LifeTime/i.test(text)) return 'give it with --live-time-s <s>.';
  if (/POSITION|stage position|depthsUm|TRTSEMStageData/.test(text))
    return 'give the scan step with --depth-step-um <µm> (or the stage axis with --scan-axis).';
  return '';
}

/** `e` as a one-line error of `file` (prefixed with the file name unless it starts with it). */
function fileError(file: string, e: unknown): string {
  let message = e instanceof CmxrfError ? e.message : describeSystemError(e);
  const hint = e instanceof CmxrfError ? flagHint(e) : '';
  if (message !== undefined && hint)
    message = /[.!]$/.test(message)
      ? `${message} ${hint[0].toUpperCase()}${hint.slice(1)}`
      : `${message}; ${hint}`;
  if (message === undefined) throw e;
  return message.startsWith(file) ? message : `${file}: ${message}`;
}

/** Number of line breaks in `bytes` (a cheap row count before parsing a CSV). */
function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

const MIB = 1024 * 1024;

/**
 * Reads and parses one depth-profile file with the CLI's options: size limits before reading
 * and parsing, `--depth-step-um` (positions `i · step`, replacing the file's), `--stage-unit`
 * (for stage positions stored without a unit) and `--live-time-s`.
 */
export async function readProfile(
  io: CliIo,
  file: string,
  o: QuantifyCliOptions,
): Promise<DepthProfile> {
  if (await isDirectory(file)) return readSeries([file], o);
  const size = io.fileSize ? await io.fileSize(file).catch(() => undefined) : undefined;
  if (size !== undefined && size > o.maxFileMib * MIB)
    throw new CmxrfError(
      'IO_ERROR',
      `${file}: the file is ${(size / MIB).toFixed(1)} MiB, more than the limit of ${o.maxFileMib} MiB ` +
        '(--max-file-mib): a confocal depth scan is a few MiB; is this a line or area scan?',
    );
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CmxrfError(
      'IO_ERROR',
      `${file}: cannot read the file: ${
        code === 'ENOENT' ? 'no such file' : (describeSystemError(e) ?? String(e))
      }`,
      { cause: e },
    );
  }
  const format = sniffDepthProfileFormat(bytes);
  if (format === 'csv') {
    const rows = countLines(bytes);
    if (rows > o.maxSteps + 64)
      throw new CmxrfError(
        'INVALID_ARGUMENT',
        `${file}: the CSV has about ${rows} rows, more than the limit of ${o.maxSteps} steps ` +
          '(--max-steps): a confocal depth scan has a few hundred at most; is this a line or area scan?',
      );
  }
  const liveTimeS = o.liveTimeS ?? o.liveTime;
  const base: ParseDepthProfileAutoOptions = {
    fileName: file,
    scanAxis: o.scanAxis,
    invertAxis: o.invertAxis,
    liveTimeS,
  };
  if (o.stageUnit !== undefined) base.stageUnit = o.stageUnit;
  if (o.depthStepUm !== undefined) {
    const step = o.depthStepUm;
    if (format === 'emsa' || format === 'bruker-spx') {
      const n =
        format === 'emsa'
          ? parseEmsaAll(bytes, { fileName: file, liveTimeS }).length
          : parseBrukerSpxAll(bytes, { fileName: file, liveTimeS }).length;
      return parseDepthProfileAuto(bytes, {
        ...base,
        depthsUm: Float64Array.from({ length: n }, (_, i) => i * step),
      });
    }
    const p = parseDepthProfileAuto(bytes, base);
    const x0 = p.depthsUm[0];
    return { ...p, depthsUm: Float64Array.from({ length: p.nSteps }, (_, i) => x0 + i * step) };
  }
  const p = parseDepthProfileAuto(bytes, base);
  if (format === 'emsa' && o.stageUnit === 'um') {
    // EMSA positions are in mm by the standard. Where the parser does not take a stage unit,
    // positions written in µm come back 1000 × too large: convert them here.
    const asMm = parseDepthProfileAuto(bytes, { ...base, stageUnit: 'mm' });
    if (asMm.depthsUm[0] === p.depthsUm[0] && asMm.depthsUm[1] === p.depthsUm[1])
      return { ...p, depthsUm: p.depthsUm.map((d) => d / 1000) };
  }
  return p;
}

/**
 * `--series` (alias `--stack`), or a folder argument: the files are the spectra of one depth
 * scan, one spectrum per file (e.g. the `.spx` files of a Bruker M4 scan); arguments may be
 * files, folders or globs. Positions come from `--depth-step-um` (in the order given), else from
 * each spectrum's stage position on `--scan-axis`; the files are ordered by position and checked
 * for equal calibration (see `readDepthProfileFromPaths`).
 */
export async function readSeries(
  files: readonly string[],
  o: QuantifyCliOptions,
): Promise<DepthProfile> {
  const step = o.depthStepUm;
  return readStackProfile(files, {
    ...o,
    depthsUm:
      step !== undefined && files.length > 1
        ? Float64Array.from(files, (_, i) => i * step)
        : undefined,
    source: files.length > 1 ? seriesLabel(files) : files[0],
  });
}

/** Name of a `--series` scan in messages and results. */
function seriesLabel(files: readonly string[]): string {
  return `${files[0]} … ${files[files.length - 1]} (${files.length} files)`;
}

function progressReporter(
  io: CliIo,
  enabled: boolean,
): ((p: QuantifyProgress) => void) | undefined {
  if (!enabled) return undefined;
  const tty = io.stderrIsTTY;
  return (p) => {
    if (p.status === 'batch') {
      const line = `quantified ${p.profilesDone}/${p.profilesTotal} profiles`;
      io.stderr(tty ? `\r${line}` : `${line}\n`);
    } else if (tty) io.stderr('\n');
  };
}

/** The `quantify` command. */
export const quantifyCommand: CliCommand = {
  name: 'quantify',
  register(program: Command, io: CliIo): void {
    program
      .command('quantify')
      .description(
        'quantify depth profiles (CSV/TSV, EMSA/MSA series, Bruker XML) with the network',
      )
      .argument('<files...>', 'depth-profile files')
      .option('-m, --model <path>', MODEL_OPTION_HELP)
      .addOption(
        new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'),
      )
      .option(
        '-t, --threshold <p>',
        "detection threshold on the presence probability (0..1); default: the model card's (else 0.5)",
        numberArg(0, 1),
      )
      .option('--batch-size <n>', 'profiles per inference call', numberArg(1, 4096, true), 64)
      .option(
        '--workers <n>',
        'worker threads for many files, each with its own session (0: none; same results)',
        numberArg(0, 256, true),
        0,
      )
      .option('--progress', 'report progress on stderr even when it is not a terminal')
      .addOption(
        new Option('--scan-axis <axis>', 'stage axis of the depth scan (EMSA, Bruker)').choices([
          'x',
          'y',
          'z',
        ]),
      )
      .option('--invert-axis', 'negate stage positions (stage axis pointing out of the sample)')
      .option(
        '--live-time-s <s>',
        'live time (s) per step for spectra whose file gives none',
        numberArg(Number.MIN_VALUE, Infinity),
      )
      .addOption(
        new Option('--live-time <s>', 'same as --live-time-s')
          .argParser(numberArg(Number.MIN_VALUE, Infinity))
          .hideHelp(),
      )
      .option(
        '--depth-step-um <um>',
        "scan step (µm): positions 0, step, 2·step, … in file order, replacing the file's",
        numberArg(Number.MIN_VALUE, Infinity),
      )
      .addOption(
        new Option(
          '--stage-unit <unit>',
          'unit of stage positions stored without one (Bruker; EMSA files written in µm)',
        ).choices(['mm', 'um']),
      )
      .addOption(
        new Option(
          '--intensity-convention <c>',
          'per-step: counts of a step grow with the step length (as cmxrf transform writes them); per-position: a rate per position whatever the step',
        )
          .choices(['per-step', 'per-position'])
          .default('per-step'),
      )
      .option(
        '--series',
        'the arguments (files, folders, globs) are one depth scan, one spectrum per file, ordered by stage position (.spx, EMSA, .xmso, .spe); a folder argument is always read so',
      )
      .addOption(new Option('--stack', 'same as --series').hideHelp())
      .option('--report <file>', 'also write an HTML report with plots (all files on one page)')
      .option('--refine', 'refine by a fundamental-parameter fit: values ± 1σ and a fit flag')
      .option(
        '--refine-hold-instrument',
        "with --refine: hold the excitation optic's band-pass and the pulse-pair resolution at the instrument's values instead of fitting them",
      )
      .option(
        '--intensity-scale <k|file>',
        "this instrument's intensity scale relative to the model's: a number, or the JSON of cmxrf calibrate -o; rates are divided by it",
      )
      .option(
        '--no-tube-current-normalization',
        "use the rates as measured, not scaled by the model instrument's tube current over the one the files state",
      )
      .option(
        '--max-steps <n>',
        'largest number of scan positions per profile',
        numberArg(2, 1e7, true),
        DEFAULT_MAX_STEPS,
      )
      .option(
        '--max-file-mib <n>',
        'largest input file (MiB), checked before reading',
        numberArg(Number.MIN_VALUE, 1e6),
        64,
      )
      .addHelpText(
        'after',
        [
          '',
          'Mass fractions are 0..1 in JSON and CSV; the table shows them in wt% for reading only.',
          'Warnings ({code, message}) come with every result: in the table, in JSON, in the CSV',
          'columns warnings/warningMessages, and on stderr for JSON and CSV.',
          'A file that cannot be read or quantified is reported on stderr; the others are still',
          'quantified, and the exit code is 1.',
          'An element is detected when its presence probability is ≥ the threshold; its gated mass',
          'fraction is 0 otherwise (JSON/CSV also give the ungated massFractionRaw).',
          '',
          'Examples:',
          '  $ cmxrf quantify scan.csv',
          '  $ cmxrf quantify --format csv --threshold 0.8 data/*.msa > results.csv',
          '  $ cmxrf quantify --model models/cmxrf-default.json --format json scan.xml',
          '  $ cmxrf quantify --series --depth-step-um 5 scan/z*.spx',
        ].join('\n'),
      )
      .action(async (files: string[], o: QuantifyCliOptions) => {
        const scale =
          o.intensityScale === undefined
            ? undefined
            : await readIntensityScaleArg(io, o.intensityScale);
        const quantifier = await loadCliQuantifier(o.model, { workers: o.workers });
        if (scale) warnOtherInstrument(io, scale, quantifier.card);
        let failed = 0;
        const fail = (file: string, e: unknown): void => {
          failed++;
          io.stderr(`cmxrf: error: ${fileError(file, e)}\n`);
        };
        try {
          const profiles: DepthProfile[] = [];
          const names: string[] = [];
          if (o.series || o.stack) {
            const label = seriesLabel(files);
            try {
              profiles.push(await readSeries(files, o));
              names.push(label);
            } catch (e) {
              fail(label, e);
            }
          } else
            for (const f of files) {
              try {
                profiles.push(await readProfile(io, f, o));
                names.push(f);
              } catch (e) {
                fail(f, e);
              }
            }
          const settled = await quantifier.quantifySettled(profiles, {
            threshold: o.threshold,
            batchSize: o.batchSize,
            intensityConvention: o.intensityConvention,
            maxSteps: o.maxSteps,
            intensityScale: scale?.intensityScale,
            tubeCurrentNormalization: o.tubeCurrentNormalization,
            onProgress: progressReporter(io, o.progress === true || io.stderrIsTTY),
          });
          const rows: FileResult[] = [];
          settled.forEach((s, i) => {
            if (s.status === 'rejected') fail(names[i], s.reason);
            else rows.push({ file: names[i], result: s.value });
          });
          if (o.format !== 'table')
            for (const { file, result } of rows)
              for (const w of result.warnings)
                io.stderr(`cmxrf: warning: ${file}: [${w.code}] ${w.message}\n`);
          const profileOf = new Map(names.map((n, i) => [n, profiles[i]]));
          if (o.refine && rows.length > 0) {
            const ci = cardInstrument(quantifier.card);
            const refineInstrument = ci.instrument;
            if (!ci.named)
              io.stderr(
                `cmxrf: warning: the model card ${quantifier.card.name} names no instrument; --refine uses the default instrument as the forward model.\n`,
              );
            try {
              io.stdout(
                formatRefinedResults(
                  rows,
                  // The same exposure as the network saw: the refined tA is on its scale.
                  rows.map(({ file, result }) =>
                    normalizedExposureProfile(
                      profileOf.get(file)!,
                      result.intensityNormalization?.rateFactor ?? 1,
                    ),
                  ),
                  o.format,
                  {
                    // The forward model is the instrument and physics the model was trained for.
                    instrument: refineInstrument,
                    simulatorOptions: cardSimulatorPhysics(quantifier.card),
                    free: o.refineHoldInstrument === true ? { instrument: false } : undefined,
                  },
                ),
              );
            } catch (e) {
              fail('--refine', e);
            }
          } else if (rows.length > 0 || o.format === 'json')
            io.stdout(formatResults(rows, o.format));
          if (o.report !== undefined && rows.length > 0) {
            await writeQuantifyReport(
              o.report,
              rows.map(({ file, result }) => ({ file, result, profile: profileOf.get(file)! })),
            );
          }
        } finally {
          await quantifier.release();
        }
        const inputs = o.series || o.stack ? 1 : files.length;
        if (failed > 0) {
          if (inputs > 1)
            io.stderr(
              `cmxrf: ${failed} of ${inputs} file(s) failed${inputs > failed ? '; results for the others above' : ''}.\n`,
            );
          throw new CliExit(EXIT.runtime);
        }
      });
  },
};
