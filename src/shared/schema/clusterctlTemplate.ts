// clusterctl template variables: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`, `${VAR/p/r}` ...
// clusterctl substitutes them in the raw text (drone/envsubst). This is the one reading of them, for the
// language server (a value holding one is a typed hole), the lint command and the schema catalog.

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

export type Variables = Readonly<Record<string, string>>;

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

/**
 * Substitutes the placeholders of one string. A placeholder without a value and without a default, or
 * with a modifier we do not evaluate, stays as written (it remains a hole).
 */
export function substituteString(value: string, vars: Variables): string {
  return replacePlaceholders(value, vars, (p) => value.slice(p.start, p.end));
}

function replacePlaceholders(text: string, vars: Variables, unresolved: (p: Placeholder) => string): string {
  let out = '';
  let last = 0;
  for (const p of findPlaceholders(text)) {
    const known = vars[p.name];
    let replacement: string | undefined;
    if (p.modifier === undefined) {
      // envsubst treats unset and empty alike for every default form.
      replacement = known !== undefined && known !== '' ? known : p.defaultValue !== undefined ? replacePlaceholders(p.defaultValue, vars, unresolved) : known;
    }
    out += text.slice(last, p.start) + (replacement ?? unresolved(p));
    last = p.end;
  }
  return out + text.slice(last);
}

export interface UnsetVariable {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Placeholders that clusterctl could not render. As in clusterctl, a variable is required when its
 * first occurrence has no default; later occurrences of a required variable are reported too.
 */
export function unsetVariables(text: string, vars: Variables): UnsetVariable[] {
  const optional = new Map<string, boolean>();
  const unset: UnsetVariable[] = [];
  for (const p of findPlaceholders(text)) {
    if (!optional.has(p.name)) optional.set(p.name, p.defaultValue !== undefined || p.modifier !== undefined);
    const value = vars[p.name];
    if ((value === undefined || value === '') && optional.get(p.name) === false) unset.push({ name: p.name, start: p.start, end: p.end });
  }
  return unset;
}

export interface TemplateVariable {
  readonly name: string;
  /** The default written in the template, if any. */
  readonly defaultValue?: string;
}

/** The variables a template uses, each once, in order of first use. */
export function templateVariables(text: string): TemplateVariable[] {
  const found = new Map<string, TemplateVariable>();
  for (const { name, defaultValue } of findPlaceholders(text)) {
    const known = found.get(name);
    if (!known || (known.defaultValue === undefined && defaultValue !== undefined)) {
      found.set(name, defaultValue === undefined ? { name } : { name, defaultValue });
    }
  }
  return [...found.values()];
}

export interface Substitution {
  readonly text: string;
  /** Variables without a value and without a default (clusterctl refuses to render these). */
  readonly missing: string[];
}

/** Renders a whole template as `clusterctl generate cluster` would; a variable it would refuse renders empty. */
export function substituteVariables(text: string, values: Variables): Substitution {
  const missing = [...new Set(unsetVariables(text, values).map((u) => u.name))];
  return { text: replacePlaceholders(text, values, () => ''), missing };
}
