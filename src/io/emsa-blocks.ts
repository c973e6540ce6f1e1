/**
 * Lexical layer of the EMSA/MSA reader: splits the text into spectrum blocks
 * (`#FORMAT` … `#SPECTRUM` data … `#ENDOFDATA`) and keyword lines.
 *
 * @module
 */
import { ParseError } from '../errors';
import { quote, splitLines } from './text';

/** One `#KEYWORD -units: value` line. */
export interface EmsaKeyword {
  /** Upper-case keyword without `#` (custom `##` keywords keep no prefix either). */
  name: string;
  /** Unit suffix of the keyword field (`-s`, `mm`, `eV` …) without the dash; may be empty. */
  units: string;
  /** Value text after the first `:`, trimmed. */
  value: string;
  /** 1-based line. */
  line: number;
  /** True for user-defined `##` keywords. */
  custom: boolean;
}

/** One spectrum block. */
export interface EmsaBlock {
  /**
   * Keywords by name: the first occurrence; the values of a repeated `#COMMENT` or `#TITLE`
   * (a multi-line title, ISO 22029:2022) are joined with a newline.
   */
  keywords: Map<string, EmsaKeyword>;
  /** Later occurrences of every other repeated keyword, by name (not joined). */
  repeats: Map<string, EmsaKeyword[]>;
  /** Line of `#FORMAT`. */
  formatLine: number;
  /** Line of `#SPECTRUM`. */
  spectrumLine: number;
  /** Line of `#ENDOFDATA`, or the last line of the file when it is missing. */
  endLine: number;
  /** Non-blank data lines. */
  data: { line: number; text: string }[];
}

/** Keywords whose repetitions continue one value (joined with a newline). */
const JOINED = new Set(['COMMENT', 'TITLE']);

/** Keywords that carry no value and whose colon real files often omit (`#SPECTRUM`). */
const VALUELESS = new Set(['SPECTRUM', 'ENDOFDATA']);

/** Parses one keyword line (`t` is trimmed and starts with `#`). */
export function parseKeywordLine(t: string, line: number, fileName: string): EmsaKeyword {
  let s = t.slice(1);
  const custom = s.startsWith('#');
  if (custom) s = s.slice(1);
  const colon = s.indexOf(':');
  if (colon < 0) {
    // `#SPECTRUM`, `#ENDOFDATA     end of spectrum data` (PIXL): the rest is a free comment.
    const bare = s.trim().split(/\s+/, 1)[0].toUpperCase();
    if (!custom && VALUELESS.has(bare)) {
      return { name: bare, units: '', value: s.trim().slice(bare.length).trim(), line, custom };
    }
    throw new ParseError({ file: fileName, line }, '"#KEYWORD : value"', quote(t));
  }
  const keyPart = s.slice(0, colon).trim();
  let end = 0;
  while (end < keyPart.length && !/[\s-]/.test(keyPart[end])) end++;
  const name = keyPart.slice(0, end).toUpperCase();
  if (name === '') {
    throw new ParseError({ file: fileName, line }, 'a keyword name after "#"', quote(t));
  }
  const units = keyPart.slice(end).trim().replace(/^-\s*/, '').trim();
  return { name, units, value: s.slice(colon + 1).trim(), line, custom };
}

/**
 * Splits an EMSA/MSA text (BOM already removed) into blocks.
 *
 * @throws {ParseError} for a line outside the grammar, a block without `#SPECTRUM`, or text
 *   after `#ENDOFDATA` that does not start a new block. Repeated keywords are kept (see
 *   {@link EmsaBlock}); the interpreter decides what they mean.
 */
export function splitEmsaBlocks(text: string, fileName: string): EmsaBlock[] {
  const lines = splitLines(text);
  const blocks: EmsaBlock[] = [];
  let state: 'start' | 'header' | 'data' | 'after' = 'start';
  let block: EmsaBlock | undefined;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const t = lines[i].trim();
    if (t === '') continue;
    if (state === 'data' && block) {
      if (!t.startsWith('#')) {
        block.data.push({ line: lineNo, text: t });
        continue;
      }
      const kw = parseKeywordLine(t, lineNo, fileName);
      if (kw.name !== 'ENDOFDATA') {
        throw new ParseError(
          { file: fileName, line: lineNo, field: kw.name },
          'a data line or #ENDOFDATA',
          quote(t),
        );
      }
      block.endLine = lineNo;
      state = 'after';
      continue;
    }
    if (!t.startsWith('#')) {
      throw new ParseError(
        { file: fileName, line: lineNo },
        state === 'after'
          ? '#FORMAT of a next spectrum or the end of the file'
          : 'a "#KEYWORD : value" line',
        quote(t),
      );
    }
    const kw = parseKeywordLine(t, lineNo, fileName);
    if (kw.name === 'FORMAT' && !kw.custom) {
      if (state === 'header') {
        throw new ParseError(
          { file: fileName, line: lineNo, field: 'SPECTRUM' },
          '#SPECTRUM before the next #FORMAT',
          quote(t),
        );
      }
      block = {
        keywords: new Map(),
        repeats: new Map(),
        formatLine: lineNo,
        spectrumLine: 0,
        endLine: 0,
        data: [],
      };
      block.keywords.set('FORMAT', kw);
      blocks.push(block);
      state = 'header';
      continue;
    }
    if (state === 'start' || !block) {
      throw new ParseError(
        { file: fileName, line: lineNo, field: 'FORMAT' },
        '#FORMAT as the first keyword',
        quote(t),
      );
    }
    if (state === 'after') {
      throw new ParseError(
        { file: fileName, line: lineNo },
        '#FORMAT of a next spectrum or the end of the file',
        quote(t),
      );
    }
    if (kw.name === 'SPECTRUM' && !kw.custom) {
      block.spectrumLine = lineNo;
      state = 'data';
      continue;
    }
    if (kw.name === 'ENDOFDATA' && !kw.custom) {
      throw new ParseError(
        { file: fileName, line: lineNo, field: 'SPECTRUM' },
        '#SPECTRUM before #ENDOFDATA',
        quote(t),
      );
    }
    const key = kw.custom ? `#${kw.name}` : kw.name;
    const previous = block.keywords.get(key);
    if (previous) {
      if (JOINED.has(key)) previous.value = `${previous.value}\n${kw.value}`;
      else {
        const list = block.repeats.get(key);
        if (list) list.push(kw);
        else block.repeats.set(key, [kw]);
      }
      continue;
    }
    block.keywords.set(key, kw);
  }
  if (state === 'start') {
    throw new ParseError(
      { file: fileName, line: 1, field: 'FORMAT' },
      'an EMSA/MSA header starting with #FORMAT',
      'no #FORMAT keyword',
    );
  }
  if (state === 'header' && block) {
    throw new ParseError(
      { file: fileName, line: lines.length, field: 'SPECTRUM' },
      'a #SPECTRUM keyword followed by the data',
      'end of file',
    );
  }
  if (state === 'data' && block) block.endLine = lines.length;
  return blocks;
}
