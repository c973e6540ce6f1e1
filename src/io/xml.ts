/**
 * A small, typed element tree over fast-xml-parser, with the 1-based line of every element so
 * that the XML parsers can report where a value is wrong.
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError } from '../errors';
import { parseDecimal } from './numbers';
import { LineIndex, quote } from './text';

/** One XML element. */
export interface XmlElement {
  /** Tag name. */
  name: string;
  /** Attributes (entity-decoded). */
  attrs: Record<string, string>;
  /** Concatenated text content of the element itself (not of its descendants), untrimmed. */
  text: string;
  /** Child elements in document order. */
  children: XmlElement[];
  /** 1-based line of the start tag. */
  line: number;
  /** Character offset of the start tag. */
  offset: number;
}

type OrderedNode = Record<string, unknown>;

const META = XMLParser.getMetaDataSymbol() as unknown as string;

function convert(nodes: OrderedNode[], lines: LineIndex): { children: XmlElement[]; text: string } {
  const children: XmlElement[] = [];
  let text = '';
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined) continue;
    if (name === '#text') {
      text += String(node[name]);
      continue;
    }
    const meta = (node as Record<string, unknown>)[META] as { startIndex?: number } | undefined;
    const offset = meta?.startIndex ?? 0;
    const inner = convert((node[name] as OrderedNode[]) ?? [], lines);
    const attrs: Record<string, string> = {};
    const rawAttrs = node[':@'] as Record<string, unknown> | undefined;
    if (rawAttrs) for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v);
    children.push({
      name,
      attrs,
      text: inner.text,
      children: inner.children,
      line: lines.lineOf(offset),
      offset,
    });
  }
  return { children, text };
}

/**
 * Validates and parses an XML document (without a BOM) into its root element.
 *
 * @throws {ParseError} for malformed XML, naming the line of the first error.
 */
export function parseXml(text: string, fileName: string): XmlElement {
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, msg } = validation.err;
    throw new ParseError(
      { file: fileName, line: typeof line === 'number' && line > 0 ? line : undefined },
      'well-formed XML',
      msg,
    );
  }
  let ordered: OrderedNode[];
  try {
    const parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      captureMetaData: true,
      processEntities: true,
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
    });
    ordered = parser.parse(text) as OrderedNode[];
  } catch (e) {
    throw new ParseError({ file: fileName }, 'well-formed XML', (e as Error).message);
  }
  const { children } = convert(ordered, new LineIndex(text));
  if (children.length !== 1) {
    throw new ParseError(
      { file: fileName },
      'exactly one root element',
      `${children.length} root elements`,
    );
  }
  return children[0];
}

/** Direct children of `el` named `name`. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The first direct child named `name`. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** All descendants (depth-first, document order) for which `match` is true. */
export function descendants(el: XmlElement, match: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (match(c)) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

/** A `<ClassInstance Type="…">` matcher (Bruker). */
export function isClassInstance(type: string): (e: XmlElement) => boolean {
  return (e) => e.name === 'ClassInstance' && e.attrs.Type === type;
}

/**
 * Reads a numeric child element: returns `undefined` when absent, throws when present but not
 * a finite number.
 *
 * @throws {ParseError} naming the element's line and field.
 */
export function optionalNumber(
  parent: XmlElement,
  name: string,
  fileName: string,
  commaDecimal = true,
): number | undefined {
  const el = child(parent, name);
  if (el === undefined) return undefined;
  const value = parseDecimal(el.text, commaDecimal);
  if (value === undefined) {
    throw new ParseError(
      { file: fileName, line: el.line, field: name },
      'a finite number',
      quote(el.text.trim()),
    );
  }
  return value;
}

/**
 * Reads a required numeric child element.
 *
 * @throws {ParseError} when absent or not a finite number.
 */
export function requiredNumber(
  parent: XmlElement,
  name: string,
  fileName: string,
  commaDecimal = true,
): number {
  const value = optionalNumber(parent, name, fileName, commaDecimal);
  if (value === undefined) {
    throw new ParseError(
      { file: fileName, line: parent.line, field: name },
      `a <${name}> element in <${parent.name}>`,
      'none',
    );
  }
  return value;
}
