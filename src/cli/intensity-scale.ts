/**
 * The intensity-scale file of `cmxrf calibrate -o scale.json`, and the `--intensity-scale
 * <k|scale.json>` argument of `cmxrf quantify`.
 *
 * @module
 */
import { CmxrfError, ParseError } from '../errors';
import { checkIntensityScale } from '../model/intensityScale';
import type { ModelCard } from '../model/card';
import type { CliIo } from './context';

/** Name of the format in the `format` field of a scale file. */
export const INTENSITY_SCALE_FORMAT = 'cmxrf-intensity-scale';

/** What `--intensity-scale` resolved to. */
export interface IntensityScaleArg {
  /** The scale k. */
  intensityScale: number;
  /** The file it was read from, where it came from one. */
  file?: string;
  /** Name of the instrument the file's scale refers to, where the file states one. */
  modelInstrument?: string;
}

/**
 * Resolves `--intensity-scale`: a number (k > 0), or a file written by `cmxrf calibrate -o`
 * whose `intensityScale` field holds k.
 * @throws {CmxrfError} naming the file and the field for an unreadable or invalid file.
 */
export async function readIntensityScaleArg(io: CliIo, arg: string): Promise<IntensityScaleArg> {
  const t = arg.trim();
  if (t !== '' && /^[-+0-9.]/.test(t) && Number.isFinite(Number(t)))
    return { intensityScale: checkIntensityScale(Number(t), '--intensity-scale') };
  let text: string;
  try {
    text = new TextDecoder().decode(await io.readFile(arg));
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CmxrfError(
      'IO_ERROR',
      `--intensity-scale ${arg}: neither a number nor a readable file (${code === 'ENOENT' ? 'no such file' : String((e as Error).message ?? e)}).`,
      { cause: e },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ParseError({ file: arg }, 'JSON written by cmxrf calibrate -o', (e as Error).message);
  }
  const o = json as { intensityScale?: unknown; modelInstrument?: unknown };
  if (typeof o !== 'object' || o === null || !('intensityScale' in o))
    throw new ParseError({ file: arg, field: 'intensityScale' }, 'a number > 0', 'no such field');
  const k = o.intensityScale;
  if (typeof k !== 'number' || !Number.isFinite(k) || !(k > 0))
    throw new ParseError({ file: arg, field: 'intensityScale' }, 'a number > 0', String(k));
  const out: IntensityScaleArg = { intensityScale: k, file: arg };
  if (typeof o.modelInstrument === 'string') out.modelInstrument = o.modelInstrument;
  return out;
}

/** Warns on stderr when a scale file refers to an instrument other than the model card's. */
export function warnOtherInstrument(
  io: CliIo,
  scale: IntensityScaleArg,
  card: Pick<ModelCard, 'instrument'>,
): void {
  const trainedFor = card.instrument?.name;
  if (
    scale.modelInstrument !== undefined &&
    trainedFor !== undefined &&
    scale.modelInstrument !== trainedFor
  )
    io.stderr(
      `cmxrf: warning: ${scale.file}: the scale refers to the instrument "${scale.modelInstrument}", the model's is "${trainedFor}"; calibrate against this model's instrument.\n`,
    );
}
