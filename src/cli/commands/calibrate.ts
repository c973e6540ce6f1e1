/**
 * `cmxrf calibrate <files…> --composition Cu=1 --density-g-per-cm3 8.96 [-o scale.json]`: the
 * intensity scale k of the measuring unit relative to the model's instrument, from one depth
 * scan of a reference material (see `calibrateIntensityScale`). `cmxrf quantify
 * --intensity-scale <k|scale.json>` then divides measured rates by k.
 *
 * @module
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { calibrateIntensityScale } from '../../refine/calibrate';
import { type CliIo } from '../context';
import { writeOutputFile } from '../output-file';
import { INTENSITY_SCALE_FORMAT } from '../intensity-scale';
import {
  MODEL_OPTION_HELP,
  cardInstrument,
  cardSimulatorPhysics,
  loadCliQuantifier,
} from '../model';
import { numberArg, readProfile, readSeries } from './quantify';
import type { CliCommand } from './types';

interface CalibrateCliOptions {
  composition: Record<string, number>;
  densityGPerCm3: number;
  name?: string;
  output?: string;
  format: 'table' | 'json';
  model?: string;
  tubeCurrentNormalization: boolean;
  freeBandPass?: boolean;
  scanAxis?: 'x' | 'y' | 'z';
  invertAxis?: boolean;
  liveTimeS?: number;
  depthStepUm?: number;
  stageUnit?: 'mm' | 'um';
  maxFileMib: number;
  series?: boolean;
}

/** `--composition Cu=1` / `Fe=0.7,Cr=0.18,Ni=0.1` (repeatable): element (or formula) = mass fraction. */
function compositionArg(v: string, previous: Record<string, number> = {}): Record<string, number> {
  const out = { ...previous };
  for (const part of v.split(',')) {
    const m = /^\s*([A-Za-z][A-Za-z0-9()·.]*)\s*=\s*([^=]+?)\s*$/.exec(part);
    const w = m ? Number(m[2]) : NaN;
    if (!m || m[2].trim() === '' || !Number.isFinite(w))
      throw new InvalidArgumentError(
        `Expected element=massFraction pairs such as Cu=1 or Fe=0.7,Cr=0.18, got ${JSON.stringify(part)}.`,
      );
    out[m[1]] = (out[m[1]] ?? 0) + w;
  }
  return out;
}

const fmt = (v: number, d = 4): string => String(+v.toPrecision(d));

/** The `calibrate` command. */
export const calibrateCommand: CliCommand = {
  name: 'calibrate',
  register(program: Command, io: CliIo): void {
    program
      .command('calibrate')
      .description(
        "intensity scale of this instrument relative to the model's, from one depth scan of a reference of known composition",
      )
      .argument(
        '<files...>',
        'the reference scan: one depth-profile file, or one spectrum per file (files, folders, globs)',
      )
      .requiredOption(
        '--composition <el=w,...>',
        'reference mass fractions 0..1, e.g. Cu=1 or Fe=0.7,Cr=0.18,Ni=0.1,Mn=0.02 (repeatable)',
        compositionArg,
      )
      .requiredOption('--density-g-per-cm3 <rho>', 'reference density (g/cm³)', numberArg(0.05, 25))
      .option('--name <name>', 'name of the reference, recorded in the output')
      .option('-o, --output <file>', 'write the scale as JSON (for quantify --intensity-scale)')
      .addOption(
        new Option('-f, --format <format>', 'stdout format')
          .choices(['table', 'json'])
          .default('table'),
      )
      .option(
        '--series',
        'read the arguments as one scan of one-spectrum files (a glob or folder included); several arguments always are',
      )
      .option('-m, --model <path>', `${MODEL_OPTION_HELP} (its instrument is the forward model's)`)
      .option(
        '--no-tube-current-normalization',
        "do not scale by the model instrument's tube current over the one the files state",
      )
      .option(
        '--free-band-pass',
        'also fit the band-pass centre and width (references with lines over a wide energy range)',
      )
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
          'Scan a thick, homogeneous reference (e.g. a Cu or steel sheet of ≥ 50 µm) from air into',
          'the material, as for a sample. The scale k (measured ≈ k × simulated) refers to the',
          "model instrument's tube current; the files' own current is divided out when they state",
          'one. Then: cmxrf quantify --intensity-scale scale.json <files…>',
          '',
          'Examples:',
          '  $ cmxrf calibrate --series cu/*.spx --composition Cu=1 --density-g-per-cm3 8.96 -o scale.json',
          '  $ cmxrf calibrate steel.csv --composition Fe=0.7,Cr=0.18,Ni=0.1,Mn=0.02 --density-g-per-cm3 7.9',
        ].join('\n'),
      )
      .action(async (files: string[], o: CalibrateCliOptions) => {
        const cliOptions = {
          ...o,
          format: 'table' as const,
          batchSize: 1,
          intensityConvention: 'per-step' as const,
          maxSteps: 4096,
        };
        const label =
          files.length > 1
            ? `${files[0]} … ${files[files.length - 1]} (${files.length} files)`
            : files[0];
        const profile =
          files.length > 1 || o.series === true
            ? await readSeries(files, cliOptions)
            : await readProfile(io, files[0], cliOptions);
        const quantifier = await loadCliQuantifier(o.model);
        const card = quantifier.card;
        await quantifier.release();
        const { instrument, name: instrumentName, named } = cardInstrument(card);
        if (!named)
          io.stderr(
            `cmxrf: warning: the model card ${card.name} names no instrument; the default instrument is the forward model.\n`,
          );
        const cal = calibrateIntensityScale(
          profile,
          { composition: o.composition, densityGPerCm3: o.densityGPerCm3, name: o.name },
          {
            instrument,
            simulatorOptions: cardSimulatorPhysics(card),
            tubeCurrentNormalization: o.tubeCurrentNormalization,
            freeBandPass: o.freeBandPass === true,
          },
        );
        const record = {
          format: INTENSITY_SCALE_FORMAT,
          formatVersion: 1,
          intensityScale: cal.intensityScale,
          intensityScaleSigma: cal.intensityScaleSigma,
          intensityScaleSigmaStatistical: cal.intensityScaleSigmaStatistical,
          modelInstrument: instrumentName,
          model: quantifier.modelId,
          modelCurrentMA: cal.modelCurrentMA,
          ...(cal.fileCurrentMA !== undefined ? { fileCurrentMA: cal.fileCurrentMA } : {}),
          tubeCurrentNormalization: o.tubeCurrentNormalization,
          reference: cal.reference,
          scan: label,
          x0Um: cal.x0Um,
          x0SigmaUm: cal.x0SigmaUm,
          setup: cal.setup,
          reducedDeviance: cal.reducedDeviance,
          devianceRatio: cal.devianceRatio,
          fitDescribesData: cal.fitDescribesData,
          warnings: cal.warnings,
        };
        const json = `${JSON.stringify(record, null, 2)}\n`;
        if (o.output !== undefined) {
          await writeOutputFile(o.output, json, 'the intensity scale');
        }
        if (o.format === 'json') {
          io.stdout(json);
          for (const w of cal.warnings) io.stderr(`cmxrf: warning: [${w.code}] ${w.message}\n`);
          return;
        }
        const comp = Object.entries(cal.reference.composition)
          .map(([el, w]) => `${el} ${fmt(w)}`)
          .join(', ');
        io.stdout(
          [
            `scan               ${label}`,
            `reference          ${o.name ? `${o.name}: ` : ''}${comp}; ${fmt(o.densityGPerCm3)} g/cm³`,
            `model instrument   ${instrumentName} (${fmt(cal.modelCurrentMA)} mA)`,
            `tube current       ${cal.fileCurrentMA !== undefined ? `${fmt(cal.fileCurrentMA)} mA in the files; rates × ${fmt(cal.tubeCurrentRatio)}` : 'not stated in the files'}`,
            `intensity scale k  ${fmt(cal.intensityScale)} ± ${fmt(cal.intensityScaleSigma, 2)} (1σ; counting statistics alone ± ${fmt(cal.intensityScaleSigmaStatistical, 2)})`,
            `surface x0         ${fmt(cal.x0Um, 8)} ± ${fmt(cal.x0SigmaUm, 2)} µm`,
            `fit                deviance ${fmt(cal.devianceRatio, 3)} × the expected; ${cal.fitDescribesData ? 'describes the scan within noise' : 'does NOT describe the scan within noise (σ inflated)'}`,
            ...cal.warnings.map((w) => `warning [${w.code}]: ${w.message}`),
            o.output !== undefined
              ? `written            ${o.output} (cmxrf quantify --intensity-scale ${o.output} …)`
              : `use                cmxrf quantify --intensity-scale ${fmt(cal.intensityScale, 6)} …`,
            '',
          ].join('\n'),
        );
      });
  },
};
