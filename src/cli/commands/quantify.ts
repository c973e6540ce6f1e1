/**
 * `cmxrf quantify <files…>`: reads depth profiles (any format `parseDepthProfileAuto` knows),
 * quantifies them with the network and prints a table, JSON or CSV.
 *
 * @module
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CmxrfError } from '../../errors';
import { parseDepthProfileAuto } from '../../io/auto';
import type { ScanAxis } from '../../io/types';
import type { DepthProfile } from '../../profile';
import { ProfileNotRepresentableError } from '../../model/errors';
import type { QuantifyProgress } from '../../model/quantifier';
import type { CliIo } from '../context';
import { FORMATS, type OutputFormat, formatResults } from '../format';
import { MODEL_OPTION_HELP, loadCliQuantifier } from '../model';
import { formatRefinedResults } from '../refine-output';
import type { CliCommand } from './types';

interface QuantifyCliOptions {
  model?: string;
  format: OutputFormat;
  threshold?: number;
  batchSize: number;
  progress?: boolean;
  scanAxis?: ScanAxis;
  invertAxis?: boolean;
  liveTime?: number;
  refine?: boolean;
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

async function readProfile(io: CliIo, file: string, o: QuantifyCliOptions): Promise<DepthProfile> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CmxrfError(
      'IO_ERROR',
      `${file}: cannot read the file${code === 'ENOENT' ? ': no such file' : `: ${String(e)}`}`,
      { cause: e },
    );
  }
  return parseDepthProfileAuto(bytes, {
    fileName: file,
    scanAxis: o.scanAxis,
    invertAxis: o.invertAxis,
    liveTimeS: o.liveTime,
  });
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
        '--live-time <s>',
        'live time (s) for spectra whose file gives none',
        numberArg(Number.MIN_VALUE, Infinity),
      )
      .option('--refine', 'refine by a fundamental-parameter fit: values ± 1σ and a fit flag')
      .addHelpText(
        'after',
        [
          '',
          'Mass fractions are 0..1 in JSON and CSV; the table shows them in wt% for reading only.',
          'An element is detected when its presence probability is ≥ the threshold; its gated mass',
          'fraction is 0 otherwise (JSON/CSV also give the ungated massFractionRaw).',
          '',
          'Examples:',
          '  $ cmxrf quantify scan.csv',
          '  $ cmxrf quantify --format csv --threshold 0.8 data/*.msa > results.csv',
          '  $ cmxrf quantify --model models/cmxrf-default.json --format json scan.xml',
        ].join('\n'),
      )
      .action(async (files: string[], o: QuantifyCliOptions) => {
        const quantifier = await loadCliQuantifier(o.model);
        try {
          const profiles: DepthProfile[] = [];
          for (const f of files) profiles.push(await readProfile(io, f, o));
          const results = await quantifier
            .quantify(profiles, {
              threshold: o.threshold,
              batchSize: o.batchSize,
              onProgress: progressReporter(io, o.progress === true || io.stderrIsTTY),
            })
            .catch((e: unknown) => {
              // Name the file: the profile's own `source` may be a header field.
              if (e instanceof ProfileNotRepresentableError && e.profileIndex !== undefined)
                throw new CmxrfError(e.code, `${files[e.profileIndex]}: ${e.message}`, {
                  cause: e,
                });
              throw e;
            });
          const rows = results.map((result, i) => ({ file: files[i], result }));
          io.stdout(
            o.refine
              ? formatRefinedResults(rows, profiles, o.format)
              : formatResults(rows, o.format),
          );
        } finally {
          await quantifier.release();
        }
      });
  },
};
