// Failure injection. Faults live in the state (so counters survive a restart) and are set from
// the inventory's `faults:` section, CLI flags, or `POST /sim/faults` (a merge patch of Faults).

import { asObject, isObject, optBoolean, optNumber, removeKey, ShapeError, stringList, type Json } from './json';
import { TaskKinds, type Faults, type TaskKind } from './model';

export function defaultFaults(): Faults {
  return {
    failNext: {},
    stickNext: {},
    stuckProgress: 45,
    exhaustedDatastores: [],
    slowHosts: {},
    stuckStoppingVms: [],
    hiddenTemplates: [],
    deleteRequiresStopped: true,
  };
}

function isTaskKind(value: string): value is TaskKind {
  return (TaskKinds as readonly string[]).includes(value);
}

function kindCounts(value: unknown, path: string, current: Partial<Record<TaskKind, number>>): Partial<Record<TaskKind, number>> {
  const result = { ...current };
  for (const [kind, count] of Object.entries(asObject(value, path))) {
    if (!isTaskKind(kind)) throw new ShapeError(`${path}.${kind}: unknown task kind (known: ${TaskKinds.join(', ')})`);
    const n = optNumber({ count }, 'count', `${path}.${kind}`, 0);
    if (!Number.isInteger(n)) throw new ShapeError(`${path}.${kind} must be a whole number`);
    if (n === 0) removeKey(result, kind);
    else result[kind] = n;
  }
  return result;
}

function hostFactors(value: unknown, path: string, current: Record<string, number>): Record<string, number> {
  const result = { ...current };
  for (const [host, factor] of Object.entries(asObject(value, path))) {
    const n = optNumber({ factor }, 'factor', `${path}.${host}`, 1, 0);
    if (n === 1 || n === 0) removeKey(result, host);
    else result[host] = n;
  }
  return result;
}

/**
 * Applies a patch: counters and host factors merge per key (0 or 1 removes an entry); lists
 * and scalars replace. Throws ShapeError naming the bad field.
 */
export function mergeFaults(current: Faults, patch: unknown, path = 'faults'): Faults {
  if (!isObject(patch)) throw new ShapeError(`${path} must be an object`);
  const known = new Set<string>(Object.keys(defaultFaults()));
  const unknown = Object.keys(patch).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new ShapeError(`${path}: unknown fault ${unknown.join(', ')}`);
  const p: Json = patch;
  const stuckProgress = optNumber(p, 'stuckProgress', path, current.stuckProgress);
  if (stuckProgress > 99) throw new ShapeError(`${path}.stuckProgress must be at most 99`);
  return {
    failNext: p.failNext === undefined ? current.failNext : kindCounts(p.failNext, `${path}.failNext`, current.failNext),
    stickNext: p.stickNext === undefined ? current.stickNext : kindCounts(p.stickNext, `${path}.stickNext`, current.stickNext),
    stuckProgress: Math.floor(stuckProgress),
    exhaustedDatastores:
      p.exhaustedDatastores === undefined ? current.exhaustedDatastores : stringList(p.exhaustedDatastores, `${path}.exhaustedDatastores`),
    slowHosts: p.slowHosts === undefined ? current.slowHosts : hostFactors(p.slowHosts, `${path}.slowHosts`, current.slowHosts),
    stuckStoppingVms:
      p.stuckStoppingVms === undefined ? current.stuckStoppingVms : stringList(p.stuckStoppingVms, `${path}.stuckStoppingVms`),
    hiddenTemplates: p.hiddenTemplates === undefined ? current.hiddenTemplates : stringList(p.hiddenTemplates, `${path}.hiddenTemplates`),
    deleteRequiresStopped: optBoolean(p, 'deleteRequiresStopped', path, current.deleteRequiresStopped),
  };
}

/** Consumes one fault for a new task of this kind: a failure wins over a stuck task. */
export function takeTaskFault(faults: Faults, kind: TaskKind): 'fail' | 'stick' | undefined {
  for (const [counters, effect] of [
    [faults.failNext, 'fail'],
    [faults.stickNext, 'stick'],
  ] as const) {
    const left = counters[kind] ?? 0;
    if (left > 0) {
      if (left === 1) removeKey(counters, kind);
      else counters[kind] = left - 1;
      return effect;
    }
  }
  return undefined;
}

export function isDatastoreExhausted(faults: Faults, datastoreName: string): boolean {
  return faults.exhaustedDatastores.includes(datastoreName);
}

export function slowFactor(faults: Faults, hostName: string | undefined): number {
  return hostName === undefined ? 1 : (faults.slowHosts[hostName] ?? 1);
}

/**
 * Parses CLI fault flags into a patch: `--fail-next clone=2`, `--stick-next clone=1`,
 * `--exhaust-datastore ds-gold`, `--slow-host CNA-02=5`. Values may also be comma lists.
 */
export function faultPatchFromFlags(flags: {
  failNext: readonly string[];
  stickNext: readonly string[];
  exhaustDatastore: readonly string[];
  slowHost: readonly string[];
}): Json {
  const pairs = (values: readonly string[], flag: string): Record<string, number> => {
    const result: Record<string, number> = {};
    for (const item of values.flatMap((v) => v.split(',')).filter((v) => v !== '')) {
      const [key = '', value = ''] = item.split('=');
      const n = Number(value);
      if (key === '' || value === '' || !Number.isFinite(n)) throw new ShapeError(`--${flag} expects NAME=NUMBER, got "${item}"`);
      result[key] = n;
    }
    return result;
  };
  const patch: Json = {};
  if (flags.failNext.length > 0) patch.failNext = pairs(flags.failNext, 'fail-next');
  if (flags.stickNext.length > 0) patch.stickNext = pairs(flags.stickNext, 'stick-next');
  if (flags.slowHost.length > 0) patch.slowHosts = pairs(flags.slowHost, 'slow-host');
  if (flags.exhaustDatastore.length > 0) {
    patch.exhaustedDatastores = flags.exhaustDatastore.flatMap((v) => v.split(',')).filter((v) => v !== '');
  }
  return patch;
}
