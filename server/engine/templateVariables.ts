// When a template is rendered with known values (the lint command's --var/--env-file, the editor's
// capi-dcs.variables), clusterctl fails on a variable that has neither a value nor a default.
import { findPlaceholders, type Variables } from './placeholders';

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
