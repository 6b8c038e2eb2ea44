// clusterctl template variables: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`, `${VAR/p/r}` ...
// clusterctl substitutes them in the raw text (drone/envsubst); here a value holding one is a typed hole:
// it gets no type errors, and with known values it is substituted the way clusterctl would.
import { parse as parseYamlScalar } from 'yaml';
import { isRecord } from './manifest';

export interface Placeholder {
  readonly name: string;
  /** Offsets of the whole `${...}` in the string it was found in. */
  readonly start: number;
  readonly end: number;
  /** The default of `${VAR:=d}`, `${VAR=d}`, `${VAR:-d}`, `${VAR-d}`; undefined otherwise. */
  readonly defaultValue: string | undefined;
  /** Anything else after the name (`/p/r`, `^^`, `:1:2` ...), kept as written. */
  readonly modifier: string | undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Every placeholder in `text`, skipping the `$${VAR}` escape (a literal `${VAR}`). */
export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  let i = text.indexOf('${');
  while (i >= 0) {
    const escaped = i > 0 && text[i - 1] === '$';
    const close = matchingBrace(text, i + 1);
    if (close < 0) break;
    if (!escaped) {
      const inner = text.slice(i + 2, close).trim();
      const name = NAME.exec(inner)?.[0];
      if (name) found.push({ name, start: i, end: close + 1, ...splitRest(inner.slice(name.length)) });
    }
    i = text.indexOf('${', close + 1);
  }
  return found;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function splitRest(rest: string): { defaultValue: string | undefined; modifier: string | undefined } {
  const match = /^(:=|:-|=|-)([\s\S]*)$/.exec(rest);
  if (match) return { defaultValue: match[2] ?? '', modifier: undefined };
  return { defaultValue: undefined, modifier: rest === '' ? undefined : rest };
}

export function hasPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && findPlaceholders(value).length > 0;
}

export type Variables = Readonly<Record<string, string>>;

/**
 * Substitutes the placeholders of one string. A placeholder without a value and without a default, or
 * with a modifier we do not evaluate, stays as written (it remains a hole).
 */
export function substituteString(value: string, vars: Variables): string {
  let out = '';
  let last = 0;
  for (const p of findPlaceholders(value)) {
    const known = vars[p.name];
    let replacement: string | undefined;
    if (p.modifier === undefined) {
      // clusterctl treats unset and empty alike for every default form.
      replacement = known !== undefined && known !== '' ? known : p.defaultValue !== undefined ? substituteString(p.defaultValue, vars) : known;
    }
    out += value.slice(last, p.start) + (replacement ?? value.slice(p.start, p.end));
    last = p.end;
  }
  return out + value.slice(last);
}

/** Substitutes through a whole object. A string that was one placeholder takes the type its text has in YAML. */
export function substituteObject(value: unknown, vars: Variables): unknown {
  if (typeof value === 'string') {
    if (findPlaceholders(value).length === 0) return value;
    const replaced = substituteString(value, vars);
    const whole = findPlaceholders(value);
    const onePlaceholder = whole.length === 1 && whole[0]?.start === 0 && whole[0].end === value.length;
    if (!onePlaceholder || hasPlaceholder(replaced)) return replaced;
    try {
      const typed: unknown = parseYamlScalar(replaced);
      return typeof typed === 'number' || typeof typed === 'boolean' ? typed : replaced;
    } catch {
      return replaced;
    }
  }
  if (Array.isArray(value)) return value.map((item) => substituteObject(item, vars));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteObject(v, vars)]));
  return value;
}
