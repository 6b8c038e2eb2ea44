// DCS resource names. URNs look like `urn:sites:<site>:<kind>:<id>` and URIs like
// `/service/sites/<site>/<kind>/<id>` (reference §8). Port groups live under their DVS, so
// their URN and URI carry both ids: `urn:sites:<site>:dvswitchs:<dvs>:portgroups:<pg>`.

export const DcsKinds = [
  'clusters',
  'hosts',
  'folders',
  'datastores',
  'datastoreclusters', // the reference is silent on datastore clusters; this kind name is ours
  'dvswitchs',
  'vms',
  'volumes',
  'tasks',
] as const;
export type DcsKind = (typeof DcsKinds)[number];

export interface DcsRef {
  readonly site: string;
  readonly kind: DcsKind | 'portgroups';
  readonly id: string;
  /** Only for port groups: the id of the DVS that holds them. */
  readonly dvsId?: string;
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

export function dcsUrn(site: string, kind: DcsKind, id: string): string {
  return `urn:sites:${site}:${kind}:${id}`;
}

export function dcsUri(site: string, kind: DcsKind, id: string): string {
  return `/service/sites/${site}/${kind}/${id}`;
}

export function portGroupUrn(site: string, dvsId: string, pgId: string): string {
  return `urn:sites:${site}:dvswitchs:${dvsId}:portgroups:${pgId}`;
}

export function portGroupUri(site: string, dvsId: string, pgId: string): string {
  return `/service/sites/${site}/dvswitchs/${dvsId}/portgroups/${pgId}`;
}

export function siteUri(site: string): string {
  return `/service/sites/${site}`;
}

function isKind(value: string): value is DcsKind {
  return (DcsKinds as readonly string[]).includes(value);
}

/** Parses a URN; undefined when it is not one of ours (wrong shape, unknown kind, odd characters). */
export function parseDcsUrn(urn: string): DcsRef | undefined {
  const parts = urn.split(':');
  if (parts[0] !== 'urn' || parts[1] !== 'sites' || !parts.every((p, i) => i < 2 || SEGMENT.test(p))) return undefined;
  const [, , site, kind, id, sub, subId] = parts;
  if (site === undefined || kind === undefined || id === undefined) return undefined;
  if (parts.length === 5 && isKind(kind)) return { site, kind, id };
  if (parts.length === 7 && kind === 'dvswitchs' && sub === 'portgroups' && subId !== undefined) {
    return { site, kind: 'portgroups', id: subId, dvsId: id };
  }
  return undefined;
}

/** The URI of the resource a URN names; throws on a malformed URN (a programming error). */
export function uriOfUrn(urn: string): string {
  const ref = parseDcsUrn(urn);
  if (!ref) throw new Error(`not a DCS URN: ${urn}`);
  if (ref.kind === 'portgroups') return portGroupUri(ref.site, ref.dvsId ?? '', ref.id);
  return dcsUri(ref.site, ref.kind, ref.id);
}

/** The URN for a URI of the shapes above; undefined when the URI is not one. */
export function urnOfUri(uri: string): string | undefined {
  const m = /^\/service\/sites\/([^/]+)\/([^/]+)\/([^/]+)(?:\/portgroups\/([^/]+))?$/.exec(uri);
  if (!m) return undefined;
  const [, site = '', kind = '', id = '', pg] = m;
  const urn = pg === undefined ? `urn:sites:${site}:${kind}:${id}` : portGroupUrn(site, id, pg);
  return parseDcsUrn(urn) ? urn : undefined;
}
