// clusterctl template variables: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`, `${VAR=default}` and
// `${VAR-default}`, substituted in the text before YAML parsing, as clusterctl generate cluster does.

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([=-])([^}]*))?\}/g;

export interface TemplateVariable {
  readonly name: string;
  /** The default written in the template, if any. */
  readonly defaultValue?: string;
}

/** The variables a template uses, each once, in order of first use. */
export function templateVariables(text: string): TemplateVariable[] {
  const found = new Map<string, TemplateVariable>();
  for (const m of text.matchAll(VARIABLE)) {
    const name = m[1] ?? '';
    const defaultValue = m[3] === undefined ? undefined : m[4];
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

export function substituteVariables(text: string, values: Readonly<Record<string, string>>): Substitution {
  const missing = new Set<string>();
  const rendered = text.replace(VARIABLE, (_all, name: string, colon: string | undefined, op: string | undefined, fallback: string | undefined) => {
    const value = values[name];
    if (op !== undefined) {
      const useDefault = colon ? value === undefined || value === '' : value === undefined;
      return useDefault ? (fallback ?? '') : (value ?? '');
    }
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
  return { text: rendered, missing: [...missing] };
}
