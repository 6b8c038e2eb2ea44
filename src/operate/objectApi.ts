// Generic object access for any kind the API server serves: discovery maps apiVersion + kind to the resource
// (plural, namespaced), then get, list, server-side apply, merge patch, create and delete, with dry runs.
import { ApiFailure } from './apiErrors';
import { sendJson, type KubeClient } from './kubeClient';

export type KubeObject = Record<string, unknown> & { readonly apiVersion: string; readonly kind: string; readonly metadata: ObjectMeta };

export interface ObjectMeta extends Record<string, unknown> {
  readonly name: string;
  readonly namespace?: string;
  readonly resourceVersion?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Ignored for cluster-scoped kinds; defaults to the client's namespace for namespaced ones. */
  readonly namespace?: string;
}

export interface Resource {
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly fieldManager: string;
}

export class ObjectApi {
  private readonly discovery = new Map<string, Promise<Map<string, Resource>>>();

  constructor(
    readonly client: KubeClient,
    /** Namespace for namespaced objects that name none (the context's namespace, as kubectl does). */
    readonly defaultNamespace = 'default',
  ) {}

  async resource(apiVersion: string, kind: string, signal?: AbortSignal): Promise<Resource> {
    let found = this.discovery.get(apiVersion);
    if (!found) {
      found = this.discover(apiVersion, signal);
      this.discovery.set(apiVersion, found);
      found.catch(() => this.discovery.delete(apiVersion));
    }
    const resource = (await found).get(kind);
    if (!resource) throw new UnknownKindError(`the API server does not serve ${kind} in ${apiVersion} (is its CRD installed?)`);
    return resource;
  }

  async path(ref: ObjectRef, signal?: AbortSignal): Promise<string> {
    const resource = await this.resource(ref.apiVersion, ref.kind, signal);
    const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
    const namespace = resource.namespaced ? `/namespaces/${encodeURIComponent(this.namespaceOf(ref))}` : '';
    return `${base}${namespace}/${resource.plural}/${encodeURIComponent(ref.name)}`;
  }

  namespaceOf(ref: Pick<ObjectRef, 'namespace'>): string {
    return ref.namespace ?? this.defaultNamespace;
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return (await sendJson(this.client, { method: 'GET', path: await this.path(ref, signal), signal })) as KubeObject;
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Objects of a kind in one namespace, or in every namespace when `namespace` is undefined. */
  async list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string, signal?: AbortSignal): Promise<KubeObject[]> {
    const resource = await this.resource(apiVersion, kind, signal);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const scope = resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const path = `${base}${scope}/${resource.plural}`;
    const list = (await sendJson(this.client, { method: 'GET', path, query: { labelSelector }, signal })) as { items?: KubeObject[] };
    return (list.items ?? []).map((o) => ({ ...o, apiVersion, kind }));
  }

  /** Server-side apply with strict field validation; `force` takes fields other managers own. */
  async apply(object: KubeObject, options: WriteOptions & { readonly force?: boolean; readonly subresource?: 'status' }): Promise<KubeObject> {
    const path = `${await this.path(refOf(object), options.signal)}${options.subresource ? `/${options.subresource}` : ''}`;
    return (await sendJson(this.client, {
      method: 'PATCH',
      path,
      query: { fieldManager: options.fieldManager, fieldValidation: 'Strict', force: options.force ? 'true' : undefined, dryRun: options.dryRun ? 'All' : undefined },
      // JSON is YAML: the apply-patch content type takes either.
      body: JSON.stringify(object),
      contentType: 'application/apply-patch+yaml',
      signal: options.signal,
    })) as KubeObject;
  }

  async mergePatch(ref: ObjectRef, patch: Record<string, unknown>, options: WriteOptions): Promise<KubeObject> {
    return (await sendJson(this.client, {
      method: 'PATCH',
      path: await this.path(ref, options.signal),
      query: { fieldManager: options.fieldManager, fieldValidation: 'Strict', dryRun: options.dryRun ? 'All' : undefined },
      body: JSON.stringify(patch),
      contentType: 'application/merge-patch+json',
      signal: options.signal,
    })) as KubeObject;
  }

  /** Creates the object; fails with reason 'alreadyExists' when the name is taken (never overwrites). */
  async create(object: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const itemPath = await this.path(refOf(object), options.signal);
    return (await sendJson(this.client, {
      method: 'POST',
      path: itemPath.slice(0, itemPath.lastIndexOf('/')),
      query: { fieldManager: options.fieldManager, fieldValidation: 'Strict', dryRun: options.dryRun ? 'All' : undefined },
      body: JSON.stringify(object),
      contentType: 'application/json',
      signal: options.signal,
    })) as KubeObject;
  }

  async delete(ref: ObjectRef, options: Omit<WriteOptions, 'fieldManager'>): Promise<void> {
    await sendJson(this.client, {
      method: 'DELETE',
      path: await this.path(ref, options.signal),
      query: { dryRun: options.dryRun ? 'All' : undefined },
      signal: options.signal,
    });
  }

  private async discover(apiVersion: string, signal?: AbortSignal): Promise<Map<string, Resource>> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let list: { resources?: { name: string; kind: string; namespaced: boolean }[] };
    try {
      list = (await sendJson(this.client, { method: 'GET', path, signal })) as typeof list;
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 404) return new Map();
      throw error;
    }
    const out = new Map<string, Resource>();
    for (const r of list.resources ?? []) if (!r.name.includes('/')) out.set(r.kind, { plural: r.name, namespaced: r.namespaced });
    return out;
  }
}

/** The server serves no such apiVersion and kind (a typo, or a CRD that is not installed). */
export class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';
}

export function refOf(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace };
}

/** "KubeadmControlPlane cpaas-system/lab-b-kcp" for messages. */
export function describeRef(ref: Pick<ObjectRef, 'kind' | 'name' | 'namespace'>): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
