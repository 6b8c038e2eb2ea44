// A light position map of one YAML document, built in one linear scan of its lines, so placing a problem
// does not need the `yaml` package's node tree. It understands plain block YAML only: block maps and
// sequences, one-line plain and quoted scalars. A value it does not read (block scalar, flow collection,
// anchor, alias, tag, multi-line scalar) is opaque: a path through it is answered from the node tree.
// Anything else it does not understand (tabs, CR, a byte order mark, directives, explicit keys, odd
// indentation) and it gives no map at all. test/unit/engine/positions.test.ts holds it to the node tree's
// ranges on every path.

export interface PositionScalar {
  readonly kind: 'scalar';
  readonly start: number;
  /** The end of the value itself (quotes included, trailing comment and spaces not). */
  readonly end: number;
}

export interface PositionEntry {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: PositionNode;
}

export interface PositionMap {
  readonly kind: 'map';
  readonly start: number;
  /** Where the collection's first line ends (the newline), or -1 when no newline follows. */
  readonly lineEnd: number;
  readonly entries: ReadonlyMap<string, PositionEntry>;
  /** False when a key is not a plain string (a number, null, escapes): a missing key proves nothing. */
  readonly complete: boolean;
}

export interface PositionSeq {
  readonly kind: 'seq';
  readonly start: number;
  readonly lineEnd: number;
  readonly items: readonly PositionNode[];
}

export interface PositionOpaque {
  readonly kind: 'opaque';
}

export type PositionNode = PositionScalar | PositionMap | PositionSeq | PositionOpaque;

const OPAQUE: PositionOpaque = { kind: 'opaque' };

/** Thrown inside the scanner for input it does not understand; scanPositions returns undefined. */
class Unsupported extends Error {}

/** Plain keys that the YAML 1.2 core schema reads as something else than that same string. */
const NOT_A_STRING_KEY = /^(?:[-+]?[0-9.]|~$|(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$)/;
/** Characters a plain scalar cannot start with. */
const INDICATOR = '[]{},#&*!|>\'"%@`';

interface Key {
  readonly start: number;
  readonly end: number;
  /** The key as a string; undefined when it is not a plain string key. */
  readonly text: string | undefined;
  /** Just after the colon. */
  readonly after: number;
}

class Scanner {
  /** Offsets where each line starts, and where its content (first non-space) starts. */
  private readonly starts: number[] = [];
  private line = 0;

  constructor(private readonly text: string) {
    for (let at = 0; at <= text.length; ) {
      this.starts.push(at);
      const nl = text.indexOf('\n', at);
      if (nl < 0) break;
      at = nl + 1;
    }
  }

  private lineEnd(line: number): number {
    const next = this.starts[line + 1];
    return next === undefined ? this.text.length : next - 1;
  }

  private indent(line: number): number {
    const start = this.starts[line] ?? 0;
    let at = start;
    while (this.text.charCodeAt(at) === 32) at++;
    return at - start;
  }

  /** A line that holds nothing but spaces or a comment. */
  private blank(line: number): boolean {
    const at = (this.starts[line] ?? 0) + this.indent(line);
    return at >= this.lineEnd(line) || this.text[at] === '#';
  }

  /** Moves to the next line with content; false at the end of the text. */
  private skipBlank(): boolean {
    while (this.line < this.starts.length && this.blank(this.line)) this.line++;
    return this.line < this.starts.length;
  }

  /** Skips the lines that belong to a value indented more than `parent` (opaque content), blank ones too. */
  private skipDeeper(parent: number): void {
    while (this.line < this.starts.length) {
      const start = this.starts[this.line] ?? 0;
      const content = start + this.indent(this.line);
      if (content < this.lineEnd(this.line) && content - start <= parent) return;
      this.line++;
    }
  }

  private newlineAfter(at: number): number {
    return this.text.indexOf('\n', at);
  }

  document(): PositionMap {
    if (/[\t\r\uFEFF]/.test(this.text)) throw new Unsupported();
    // The chunk's own document marker: nothing but a comment may follow it on its line.
    if (this.text.startsWith('---')) {
      const rest = this.text.slice(3, this.lineEnd(0)).trim();
      if (rest !== '' && !rest.startsWith('#')) throw new Unsupported();
      this.line = 1;
    }
    if (!this.skipBlank()) throw new Unsupported();
    const first = this.starts[this.line] ?? 0;
    const indent = this.indent(this.line);
    const root = this.map(first + indent, indent);
    if (this.skipBlank()) throw new Unsupported();
    return root;
  }

  /** A block map whose first key starts at `at` (on the current line), its keys at column `indent`. */
  private map(at: number, indent: number): PositionMap {
    const entries = new Map<string, PositionEntry>();
    let complete = true;
    let keyAt = at;
    for (;;) {
      const key = this.key(keyAt);
      if (!key) throw new Unsupported();
      const value = this.value(key.after, indent, true);
      if (key.text === undefined) complete = false;
      else if (!entries.has(key.text)) entries.set(key.text, { keyStart: key.start, keyEnd: key.end, value });
      if (!this.skipBlank()) break;
      const next = this.indent(this.line);
      if (next < indent) break;
      if (next > indent) throw new Unsupported();
      keyAt = (this.starts[this.line] ?? 0) + next;
    }
    return { kind: 'map', start: at, lineEnd: this.newlineAfter(at), entries, complete };
  }

  /** A block sequence whose first dash is at `at` (on the current line), its dashes at column `indent`. */
  private seq(at: number, indent: number): PositionSeq {
    const items: PositionNode[] = [];
    let dash = at;
    for (;;) {
      if (!this.isDash(dash)) throw new Unsupported();
      items.push(this.item(dash + 1, indent));
      if (!this.skipBlank()) break;
      const next = this.indent(this.line);
      const nextAt = (this.starts[this.line] ?? 0) + next;
      if (next < indent || (next === indent && !this.isDash(nextAt))) break;
      if (next > indent) throw new Unsupported();
      dash = nextAt;
    }
    return { kind: 'seq', start: at, lineEnd: this.newlineAfter(at), items };
  }

  private isDash(at: number): boolean {
    const next = this.text[at + 1];
    return this.text[at] === '-' && (next === undefined || next === ' ' || next === '\n');
  }

  /** A sequence item after its dash: a map starting on the dash's line, or any value. */
  private item(after: number, dashColumn: number): PositionNode {
    let at = after;
    while (this.text[at] === ' ') at++;
    if (this.isDash(at)) throw new Unsupported();
    if (this.key(at)) return this.map(at, at - (this.starts[this.line] ?? 0));
    return this.value(after, dashColumn, false);
  }

  /**
   * The value after a key's colon or an item's dash, on the current line or in the lines below it.
   * `parent` is the column of that key or dash; a map's key may hold a sequence at its own column.
   */
  private value(after: number, parent: number, ofKey: boolean): PositionNode {
    let at = after;
    while (this.text[at] === ' ') at++;
    const c = this.text[at];
    const line = this.line;
    this.line++;
    if (c === undefined || c === '\n' || c === '#') {
      // Nothing on this line: a collection below, or null (placed where the spaces after the indicator end).
      if (this.skipBlank()) {
        const next = this.indent(this.line);
        const nextAt = (this.starts[this.line] ?? 0) + next;
        if (next > parent || (ofKey && next === parent && this.isDash(nextAt))) return this.block(nextAt, next, parent);
      }
      this.line = line + 1;
      return { kind: 'scalar', start: at, end: at };
    }
    const end = this.lineEnd(line);
    if (c === '"' || c === "'") {
      const close = this.closingQuote(at, c);
      if (close < 0) throw new Unsupported();
      if (close >= end) {
        // A quoted scalar over several lines.
        this.line = line;
        while (this.lineEnd(this.line) < close) this.line++;
        this.line++;
        this.skipDeeper(parent);
        return OPAQUE;
      }
      const rest = this.text.slice(close + 1, end).trimStart();
      if (rest !== '' && !rest.startsWith('#')) throw new Unsupported();
      return this.single({ kind: 'scalar', start: at, end: close + 1 }, parent);
    }
    if ('&*!{[|>'.includes(c)) {
      this.skipDeeper(parent);
      return OPAQUE;
    }
    if (INDICATOR.includes(c) || ('-?:'.includes(c) && ' \n'.includes(this.text[at + 1] ?? '\n'))) throw new Unsupported();
    const rest = this.text.slice(at, end);
    const comment = rest.indexOf(' #');
    const value = (comment >= 0 ? rest.slice(0, comment) : rest).trimEnd();
    if (value.includes(': ') || value.endsWith(':')) throw new Unsupported();
    return this.single({ kind: 'scalar', start: at, end: at + value.length }, parent);
  }

  /** A one-line scalar, unless lines indented deeper follow: then it goes on over them (opaque). */
  private single(scalar: PositionScalar, parent: number): PositionNode {
    const line = this.line;
    if (this.skipBlank() && this.indent(this.line) > parent) {
      this.skipDeeper(parent);
      return OPAQUE;
    }
    this.line = line;
    return scalar;
  }

  /** A block collection starting at `at`, at column `indent`, below the line of its key or dash. */
  private block(at: number, indent: number, parent: number): PositionNode {
    if (this.isDash(at)) return this.seq(at, indent);
    if (this.key(at)) return this.map(at, indent);
    // A scalar on the lines below its key: rare in manifests, leave it to the node tree.
    this.skipDeeper(parent);
    return OPAQUE;
  }

  /** Where the quoted scalar opening at `at` closes, or -1. */
  private closingQuote(at: number, quote: string): number {
    for (let i = at + 1; i < this.text.length; i++) {
      const ch = this.text[i];
      if (quote === '"' && ch === '\\') i++;
      else if (ch === quote) {
        if (quote === "'" && this.text[i + 1] === "'") i++;
        else return i;
      }
    }
    return -1;
  }

  /** The key starting at `at`, when the line holds `key:` there; undefined when it is not a key. */
  private key(at: number): Key | undefined {
    const end = this.lineEnd(this.line);
    const c = this.text[at];
    if (c === undefined) return undefined;
    if (c === '"' || c === "'") {
      const close = this.closingQuote(at, c);
      if (close < 0 || close >= end) return undefined;
      let colon = close + 1;
      while (this.text[colon] === ' ') colon++;
      if (!this.isColon(colon)) return undefined;
      const inner = this.text.slice(at + 1, close);
      const plain = !inner.includes(c) && !inner.includes('\\');
      return { start: at, end: close + 1, text: plain ? inner : undefined, after: colon + 1 };
    }
    if (INDICATOR.includes(c) || ('-?:'.includes(c) && ' \n'.includes(this.text[at + 1] ?? '\n'))) return undefined;
    let colon = at;
    while (colon < end && !this.isColon(colon)) {
      if (this.text[colon] === '#' && this.text[colon - 1] === ' ') return undefined;
      colon++;
    }
    if (colon >= end) return undefined;
    const text = this.text.slice(at, colon).trimEnd();
    return { start: at, end: at + text.length, text: NOT_A_STRING_KEY.test(text) ? undefined : text, after: colon + 1 };
  }

  private isColon(at: number): boolean {
    const next = this.text[at + 1];
    return this.text[at] === ':' && (next === undefined || next === ' ' || next === '\n');
  }
}

/** The position map of one document's text (a chunk), or undefined when it is not plain block YAML. */
export function scanPositions(text: string): PositionMap | undefined {
  try {
    return new Scanner(text).document();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
