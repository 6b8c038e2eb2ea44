// The rules Ajv cannot check, gathered once per schema into a tree that holds only the branches
// with rules: x-kubernetes-validations (through their TypeScript twins) and the uniqueness of
// list-type map keys and set items. Walks run on create, and with the stored object on update.
import { findCelCheck, type CrdValidationRule } from './celLookup';
import { isObject, jsonEqual, show, type CelCheck, type PathSegment } from './celRule';
import type { JsonSchema } from './convert';

export interface RuleProblem {
  readonly ruleId: string;
  readonly segments: PathSegment[];
  readonly message: string;
  readonly value?: unknown;
}

export const ListRuleIds = { duplicateKey: 'schema-duplicate-key', duplicateItem: 'schema-duplicate-item' } as const;

export interface RuleNode {
  readonly checks: readonly CelCheck[];
  readonly properties?: ReadonlyMap<string, RuleNode>;
  readonly items?: RuleNode;
  readonly additional?: RuleNode;
  readonly listMapKeys?: readonly string[];
  readonly listSet?: boolean;
}

export interface RuleTreeStats {
  /** CEL rules with a TypeScript twin. */
  checked: number;
  /** CEL rules left to the API server. */
  unchecked: number;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return isObject(value) ? value : undefined;
}

/** Builds the tree; undefined when the schema has no rules at all. */
export function buildRuleTree(schema: JsonSchema, stats: RuleTreeStats = { checked: 0, unchecked: 0 }): RuleNode | undefined {
  const checks: CelCheck[] = [];
  for (const validation of (schema['x-kubernetes-validations'] as CrdValidationRule[] | undefined) ?? []) {
    const check = findCelCheck(validation);
    if (check) checks.push(check);
    stats[check ? 'checked' : 'unchecked']++;
  }
  const properties = new Map<string, RuleNode>();
  for (const [name, child] of Object.entries(asSchema(schema.properties) ?? {})) {
    const node = asSchema(child) && buildRuleTree(child as JsonSchema, stats);
    if (node) properties.set(name, node);
  }
  const itemsSchema = asSchema(schema.items);
  const items = itemsSchema && buildRuleTree(itemsSchema, stats);
  const additionalSchema = asSchema(schema.additionalProperties);
  const additional = additionalSchema && buildRuleTree(additionalSchema, stats);
  const listType = schema['x-kubernetes-list-type'];
  const listMapKeys = listType === 'map' ? (schema['x-kubernetes-list-map-keys'] as string[] | undefined) : undefined;
  const listSet = listType === 'set';
  if (!checks.length && !properties.size && !items && !additional && !listMapKeys && !listSet) return undefined;
  return {
    checks,
    ...(properties.size ? { properties } : {}),
    ...(items ? { items } : {}),
    ...(additional ? { additional } : {}),
    ...(listMapKeys ? { listMapKeys } : {}),
    ...(listSet ? { listSet } : {}),
  };
}

function runChecks(node: RuleNode, value: unknown, oldValue: unknown, transition: boolean, at: PathSegment[], out: RuleProblem[]): void {
  for (const check of node.checks) {
    if (check.transition !== transition) continue;
    for (const v of check.check(value, oldValue)) {
      out.push({ ruleId: check.id, segments: [...at, ...v.at], message: v.message, value: v.value });
    }
  }
}

function keyOf(item: unknown, keys: readonly string[]): unknown[] | undefined {
  if (!isObject(item)) return undefined;
  const values = keys.map((k) => item[k]);
  return values.some((v) => v === undefined) ? undefined : values;
}

function checkListUniqueness(node: RuleNode, list: readonly unknown[], at: PathSegment[], out: RuleProblem[]): void {
  const keys = node.listMapKeys;
  const seen: unknown[] = [];
  list.forEach((item, i) => {
    const identity = keys ? keyOf(item, keys) : item;
    if (identity === undefined) return;
    const first = seen.findIndex((s) => jsonEqual(s, identity));
    seen.push(identity);
    if (first < 0) return;
    const what = keys ? keys.map((k, j) => `${k} ${show((identity as unknown[])[j])}`).join(', ') : show(item);
    out.push({
      ruleId: keys ? ListRuleIds.duplicateKey : ListRuleIds.duplicateItem,
      segments: [...at, i],
      message: `duplicate entry: ${what} is already at [${String(first)}]`,
      value: keys ? (identity as unknown[])[0] : item,
    });
  });
}

/** Create-time rules: every CEL rule without oldSelf, and list uniqueness. */
export function walkCreate(node: RuleNode, value: unknown, at: PathSegment[], out: RuleProblem[]): void {
  if (value === undefined || value === null) return;
  runChecks(node, value, undefined, false, at, out);
  if (Array.isArray(value)) {
    if (node.listMapKeys || node.listSet) checkListUniqueness(node, value, at, out);
    const items = node.items;
    if (items) value.forEach((item: unknown, i) => walkCreate(items, item, [...at, i], out));
  } else if (isObject(value)) {
    for (const [name, child] of node.properties ?? []) walkCreate(child, value[name], [...at, name], out);
    const additional = node.additional;
    if (additional) {
      for (const [key, child] of Object.entries(value)) if (!node.properties?.has(key)) walkCreate(additional, child, [...at, key], out);
    }
  }
}

/**
 * Update-time rules: CEL rules with oldSelf, where the old and new values correlate as the API server
 * correlates them (same field, same map key, same list-type map key; never items of other lists).
 */
export function walkUpdate(node: RuleNode, value: unknown, oldValue: unknown, at: PathSegment[], out: RuleProblem[]): void {
  if (value === undefined || value === null || oldValue === undefined || oldValue === null) return;
  runChecks(node, value, oldValue, true, at, out);
  if (Array.isArray(value) && Array.isArray(oldValue)) {
    const keys = node.listMapKeys;
    const items = node.items;
    if (!keys || !items) return;
    value.forEach((item: unknown, i) => {
      const identity = keyOf(item, keys);
      const old: unknown = identity && oldValue.find((o: unknown) => jsonEqual(keyOf(o, keys), identity));
      walkUpdate(items, item, old, [...at, i], out);
    });
  } else if (isObject(value) && isObject(oldValue)) {
    for (const [name, child] of node.properties ?? []) walkUpdate(child, value[name], oldValue[name], [...at, name], out);
    const additional = node.additional;
    if (additional) {
      for (const [key, child] of Object.entries(value)) {
        if (!node.properties?.has(key)) walkUpdate(additional, child, oldValue[key], [...at, key], out);
      }
    }
  }
}
