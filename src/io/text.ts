/**
 * Text decoding and line handling shared by the parsers: UTF-8 BOM, UTF-16 BOMs, the XML
 * `encoding` declaration (Bruker writes WINDOWS-1252), CRLF / CR line ends.
 *
 * @module
 */
import { ParseError } from '../errors';
import type { TextInput } from './types';

/** Default `fileName` of the parsers. */
export const DEFAULT_FILE_NAME = '<input>';

function latin1Head(bytes: Uint8Array, n: number): string {
  let s = '';
  const end = Math.min(n, bytes.length);
  for (let i = 0; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Finds the value of `encoding="…"` in an XML declaration at the start of `head`. */
function xmlDeclaredEncoding(head: string): string | undefined {
  const t = head.trimStart();
  if (!t.startsWith('<?xml')) return undefined;
  const end = t.indexOf('?>');
  const decl = end >= 0 ? t.slice(0, end) : t;
  const at = decl.indexOf('encoding');
  if (at < 0) return undefined;
  let i = at + 'encoding'.length;
  while (decl[i] === ' ' || decl[i] === '=') i++;
  const quote = decl[i];
  if (quote !== '"' && quote !== "'") return undefined;
  const close = decl.indexOf(quote, i + 1);
  return close > i ? decl.slice(i + 1, close) : undefined;
}

/** WINDOWS-1252 code points of bytes 0x80–0x9F (the rest equals ISO-8859-1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Labels that the WHATWG Encoding standard maps to windows-1252. */
const CP1252_LABELS = new Set([
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'iso-8859-1',
  'iso8859-1',
  'latin1',
  'l1',
  'us-ascii',
  'ascii',
  'ansi_x3.4-1968',
  'cp819',
  'ibm819',
  'iso_8859-1',
]);

/** Decodes WINDOWS-1252 without relying on the runtime (some map it to ISO-8859-1). */
function decodeCp1252(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = Array.from(bytes.subarray(i, i + 8192), (b) =>
      b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : b,
    );
    s += String.fromCharCode(...chunk);
  }
  return s;
}

function decodeWith(label: string, bytes: Uint8Array, fileName: string, fatal: boolean): string {
  if (CP1252_LABELS.has(label.trim().toLowerCase())) return decodeCp1252(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal });
  } catch {
    throw new ParseError(
      { file: fileName, line: 1, field: 'encoding' },
      'a text encoding supported by TextDecoder',
      JSON.stringify(label),
    );
  }
  return decoder.decode(bytes);
}

/**
 * Decodes the input to a string without a leading BOM. Strings are returned as they are
 * (BOM removed). Bytes are decoded from their BOM, else from the XML `encoding` declaration,
 * else as UTF-8; bytes that are not valid UTF-8 are read as WINDOWS-1252 (all number
 * fields are ASCII, so only free text such as titles can be affected).
 *
 * @throws {ParseError} if the declared encoding is unknown.
 */
export function decodeText(input: TextInput, fileName: string): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (!(input instanceof Uint8Array)) {
    throw new ParseError({ file: fileName }, 'a string or a Uint8Array', typeof input);
  }
  const b = input;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return decodeWith('utf-8', b.subarray(3), fileName, false);
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
    return decodeWith('utf-16le', b.subarray(2), fileName, false);
  }
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    return decodeWith('utf-16be', b.subarray(2), fileName, false);
  }
  const declared = xmlDeclaredEncoding(latin1Head(b, 256));
  if (declared !== undefined) return decodeWith(declared, b, fileName, false);
  try {
    return decodeWith('utf-8', b, fileName, true);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    return decodeWith('windows-1252', b, fileName, false);
  }
}

/** A short, printable head of the input for sniffing (at most `n` characters). */
export function sniffHead(input: TextInput, n = 4096): string {
  if (typeof input === 'string') {
    const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    return s.slice(0, n);
  }
  if (!(input instanceof Uint8Array)) return '';
  let b = input;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  return latin1Head(b, n);
}

/** Splits text into lines on LF, CRLF or CR. Line `i` of the result is line `i + 1` of the file. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Maps character offsets of a text to 1-based line numbers (CRLF and CR count as one break). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  /** 1-based line number of character `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Quotes a token for an error message, shortened to 60 characters. */
export function quote(token: string): string {
  const t = token.length > 60 ? `${token.slice(0, 57)}...` : token;
  return JSON.stringify(t);
}
