/**
 * `cmxrf info`: summary of a model card (provenance, grid, normalisation, metrics, elements).
 *
 * @module
 */
import { type Command, Option } from 'commander';
import type { ModelCard } from '../../model/card';
import { resultsToJson } from '../../io/results';
import type { CliIo } from '../context';
import { MODEL_OPTION_HELP, loadCliQuantifier } from '../model';
import type { CliCommand } from './types';

/** Text summary of a model card. */
export function formatCardSummary(card: ModelCard, id: string): string {
  const g = card.input.grid;
  const n = card.input.normalization;
  const t = card.training ?? {};
  const lines = [
    `model        ${id}`,
    `created      ${card.createdUtc ?? 'unknown'}`,
    `onnx         ${card.onnx.file} (${card.onnx.sizeBytes} bytes, opset ${card.onnx.opset})`,
    `sha256       ${card.onnx.sha256}`,
    `parameters   ${card.architecture?.parameters ?? 'unknown'}`,
    `input        ${card.input.name} float32 [batch, ${g.nDepth}, ${g.nChannels}]`,
    `depth grid   ${g.nDepth} steps × ${g.depthStepUm} µm (${(g.nDepth - 1) * g.depthStepUm} µm)`,
    ...(card.input.depthMask
      ? [
          `depth mask   ${card.input.depthMask.name} float32 [batch, ${g.nDepth}]: scans from ` +
            `${card.input.depthMask.minSteps} steps, ≥ ${card.input.depthMask.minMaterialUm} µm ` +
            'behind the surface',
        ]
      : []),
    `energy grid  ${g.nChannels} bins × ${g.binWidthKeV} keV from ${g.startKeV} keV ` +
      `(to ${+(g.startKeV + g.nChannels * g.binWidthKeV).toFixed(6)} keV)`,
    `normalise    ln(1 + rateCps · ${n.referenceLiveTimeS} s) / ${n.scale}`,
    `training     ${t.steps ?? '?'} steps on ${t.profiles ?? '?'} profiles (seed ${t.seed ?? '?'})`,
  ];
  if (card.instrument) {
    const p = card.instrumentRanges?.parameters;
    const n = p && typeof p === 'object' ? Object.keys(p).length : 0;
    lines.push(
      `instrument   ${card.instrument.name}${n > 0 ? ` (trained over ${n} randomized parameters)` : ' (nominal only)'}`,
    );
  }
  const m = card.heldOutMetrics;
  if (m) {
    lines.push('held-out metrics');
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'number') lines.push(`  ${k.padEnd(40)} ${+v.toPrecision(4)}`);
    }
  } else lines.push('held-out     no metrics in the card');
  lines.push(`elements (${card.elements.length}, output order)`);
  for (let i = 0; i < card.elements.length; i += 16)
    lines.push('  ' + card.elements.slice(i, i + 16).join(' '));
  return lines.join('\n') + '\n';
}

/** The `info` command. */
export const infoCommand: CliCommand = {
  name: 'info',
  register(program: Command, io: CliIo): void {
    program
      .command('info')
      .description('show the model card: provenance, input grid, normalisation, metrics, elements')
      .option('-m, --model <path>', MODEL_OPTION_HELP)
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['text', 'json'])
          .default('text'),
      )
      .addHelpText(
        'after',
        '\nExamples:\n  $ cmxrf info\n  $ cmxrf info --model models/cmxrf-default.json --format json',
      )
      .action(async (o: { model?: string; format: 'text' | 'json' }) => {
        const q = await loadCliQuantifier(o.model);
        try {
          io.stdout(
            o.format === 'json'
              ? resultsToJson({ modelId: q.modelId, card: q.card }) + '\n'
              : formatCardSummary(q.card, q.modelId),
          );
        } finally {
          await q.release();
        }
      });
  },
};
