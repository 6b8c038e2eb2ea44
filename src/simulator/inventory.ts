// The seed inventory: a small YAML file describing one DCS site (clusters, hosts, datastores,
// DVS/port groups, folders, VM templates), the API users, task latency and initial faults.
// Addresses must be loopback (127.0.0.0/8): the lab never names a real network.

import { parse as parseYaml } from 'yaml';
import { mergeFaults, defaultFaults } from './faults';
import { asArray, asObject, optBoolean, optNumber, optString, reqString, ShapeError, stringList, type Json } from './json';
import { TaskKinds, type Faults, type TaskKind } from './model';

export interface SimUser {
  readonly name: string;
  readonly key: string;
  readonly type: 'interconnect' | 'domain';
  /** DCS policy "change password on first login": login fails (documented failure). */
  readonly mustChangePassword: boolean;
}

export interface TemplateSpec {
  readonly name: string;
  readonly cluster: string;
  readonly cpu: number;
  readonly memoryMB: number;
  readonly guestTools: boolean;
  readonly disks: readonly { readonly sizeGB: number; readonly datastore: string }[];
  readonly nics: readonly { readonly dvSwitch: string; readonly portGroup: string }[];
}

export interface Inventory {
  readonly site: { readonly id: string; readonly name: string };
  readonly users: readonly SimUser[];
  readonly auth: { readonly tokenIdleSeconds: number; readonly maxFailedLogins: number; readonly lockoutSeconds: number };
  readonly tasks: { readonly latencyMs: number | undefined; readonly perKindMs: Partial<Record<TaskKind, number>> };
  readonly clusters: readonly {
    readonly name: string;
    readonly drsEnabled: boolean;
    readonly hosts: readonly { readonly name: string; readonly ip: string; readonly status: string }[];
  }[];
  readonly datastores: readonly {
    readonly name: string;
    readonly capacityGB: number;
    readonly usedGB: number;
    readonly storageType: string;
    /** Host names that see it; empty = every host. */
    readonly hosts: readonly string[];
  }[];
  readonly datastoreClusters: readonly { readonly name: string; readonly datastores: readonly string[] }[];
  readonly dvSwitches: readonly { readonly name: string; readonly portGroups: readonly { readonly name: string; readonly vlanId: number }[] }[];
  readonly folders: readonly string[];
  readonly templates: readonly TemplateSpec[];
  readonly faults: Faults;
}

export function isLoopbackIPv4(address: string): boolean {
  const parts = address.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function list<T>(value: unknown, path: string, read: (item: Json, path: string) => T): T[] {
  return asArray(value, path).map((item, i) => read(asObject(item, `${path}[${i}]`), `${path}[${i}]`));
}

function uniqueNames(items: readonly { name: string }[], path: string): Set<string> {
  const seen = new Set<string>();
  for (const { name } of items) {
    if (seen.has(name)) throw new ShapeError(`${path}: duplicate name "${name}"`);
    seen.add(name);
  }
  return seen;
}

function need(set: Set<string>, name: string, path: string, what: string): void {
  if (!set.has(name)) throw new ShapeError(`${path}: unknown ${what} "${name}"`);
}

function readUser(u: Json, path: string): SimUser {
  const type = optString(u, 'type', path, 'interconnect').toLowerCase();
  if (type !== 'interconnect' && type !== 'domain') throw new ShapeError(`${path}.type must be interconnect or domain`);
  return { name: reqString(u, 'name', path), key: reqString(u, 'key', path), type, mustChangePassword: optBoolean(u, 'mustChangePassword', path, false) };
}

function readTasks(t: Json, path: string): Inventory['tasks'] {
  const perKindMs: Partial<Record<TaskKind, number>> = {};
  for (const [kind, ms] of Object.entries(asObject(t.perKindMs, `${path}.perKindMs`))) {
    if (!(TaskKinds as readonly string[]).includes(kind)) throw new ShapeError(`${path}.perKindMs.${kind}: unknown task kind`);
    perKindMs[kind as TaskKind] = optNumber({ ms }, 'ms', `${path}.perKindMs.${kind}`, 0);
  }
  return { latencyMs: t.latencyMs === undefined ? undefined : optNumber(t, 'latencyMs', path, 0), perKindMs };
}

/** Parses and checks an inventory; throws ShapeError naming the first problem. */
export function parseInventory(text: string, source = 'inventory'): Inventory {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err: unknown) {
    throw new ShapeError(`${source}: not valid YAML (${err instanceof Error ? err.message : String(err)})`);
  }
  const root = asObject(doc, source);
  const site = asObject(root.site, `${source}.site`);
  const siteId = reqString(site, 'id', `${source}.site`);
  if (!/^[A-Za-z0-9]{1,32}$/.test(siteId)) throw new ShapeError(`${source}.site.id must be letters and digits`);
  const auth = asObject(root.auth, `${source}.auth`);

  const clusters = list(root.clusters, `${source}.clusters`, (c, p) => ({
    name: reqString(c, 'name', p),
    drsEnabled: optBoolean(c, 'drsEnabled', p, true),
    hosts: list(c.hosts, `${p}.hosts`, (h, hp) => {
      const ip = reqString(h, 'ip', hp);
      if (!isLoopbackIPv4(ip)) throw new ShapeError(`${hp}.ip must be a 127.x.y.z address (loopback-only lab)`);
      return { name: reqString(h, 'name', hp), ip, status: optString(h, 'status', hp, 'normal') };
    }),
  }));
  if (clusters.length === 0) throw new ShapeError(`${source}.clusters must list at least one cluster`);
  uniqueNames(clusters, `${source}.clusters`);
  const hostNames = uniqueNames(clusters.flatMap((c) => c.hosts), `${source}.clusters[].hosts`);
  if (hostNames.size === 0) throw new ShapeError(`${source}.clusters must hold at least one host`);

  const datastores = list(root.datastores, `${source}.datastores`, (d, p) => {
    const hosts = stringList(d.hosts, `${p}.hosts`);
    hosts.forEach((h) => need(hostNames, h, `${p}.hosts`, 'host'));
    return {
      name: reqString(d, 'name', p),
      capacityGB: optNumber(d, 'capacityGB', p, 1000, 1),
      usedGB: optNumber(d, 'usedGB', p, 0),
      storageType: optString(d, 'storageType', p, 'LOCALPOME'),
      hosts,
    };
  });
  const dsNames = uniqueNames(datastores, `${source}.datastores`);
  const datastoreClusters = list(root.datastoreClusters, `${source}.datastoreClusters`, (d, p) => {
    const members = stringList(d.datastores, `${p}.datastores`);
    members.forEach((m) => need(dsNames, m, `${p}.datastores`, 'datastore'));
    return { name: reqString(d, 'name', p), datastores: members };
  });
  uniqueNames(datastoreClusters, `${source}.datastoreClusters`);

  const dvSwitches = list(root.dvSwitches, `${source}.dvSwitches`, (d, p) => ({
    name: reqString(d, 'name', p),
    portGroups: list(d.portGroups, `${p}.portGroups`, (g, gp) => ({ name: reqString(g, 'name', gp), vlanId: optNumber(g, 'vlanId', gp, 0) })),
  }));
  uniqueNames(dvSwitches, `${source}.dvSwitches`);
  dvSwitches.forEach((d, i) => uniqueNames(d.portGroups, `${source}.dvSwitches[${i}].portGroups`));

  const clusterNames = new Set(clusters.map((c) => c.name));
  const templates = list(root.templates, `${source}.templates`, (t, p): TemplateSpec => {
    const cluster = optString(t, 'cluster', p, clusters[0]?.name ?? '');
    need(clusterNames, cluster, `${p}.cluster`, 'cluster');
    const disks = list(t.disks, `${p}.disks`, (d, dp) => {
      const datastore = reqString(d, 'datastore', dp);
      need(dsNames, datastore, `${dp}.datastore`, 'datastore');
      return { sizeGB: optNumber(d, 'sizeGB', dp, 80, 1), datastore };
    });
    if (disks.length === 0) throw new ShapeError(`${p}.disks must hold the system disk`);
    const nics = list(t.nics, `${p}.nics`, (n, np) => {
      const dvs = dvSwitches.find((d) => d.name === reqString(n, 'dvSwitch', np));
      if (!dvs) throw new ShapeError(`${np}.dvSwitch: unknown DVS "${String(n.dvSwitch)}"`);
      need(new Set(dvs.portGroups.map((g) => g.name)), reqString(n, 'portGroup', np), `${np}.portGroup`, 'port group');
      return { dvSwitch: dvs.name, portGroup: reqString(n, 'portGroup', np) };
    });
    return {
      name: reqString(t, 'name', p),
      cluster,
      cpu: optNumber(t, 'cpu', p, 2, 1),
      memoryMB: optNumber(t, 'memoryMB', p, 4096, 1),
      guestTools: optBoolean(t, 'guestTools', p, true),
      disks,
      nics,
    };
  });
  uniqueNames(templates, `${source}.templates`);

  const users = list(root.users, `${source}.users`, readUser);
  uniqueNames(users, `${source}.users`);
  return {
    site: { id: siteId, name: optString(site, 'name', `${source}.site`, siteId) },
    users,
    auth: {
      tokenIdleSeconds: optNumber(auth, 'tokenIdleSeconds', `${source}.auth`, 1800, 1),
      maxFailedLogins: optNumber(auth, 'maxFailedLogins', `${source}.auth`, 5, 1),
      lockoutSeconds: optNumber(auth, 'lockoutSeconds', `${source}.auth`, 300, 1),
    },
    tasks: readTasks(asObject(root.tasks, `${source}.tasks`), `${source}.tasks`),
    clusters,
    datastores,
    datastoreClusters,
    dvSwitches,
    folders: stringList(root.folders, `${source}.folders`),
    templates,
    faults: root.faults === undefined ? defaultFaults() : mergeFaults(defaultFaults(), root.faults, `${source}.faults`),
  };
}
