// Every manifest object of the workspace, keyed by group/kind/namespace/name, updated one file at a time.
import { parseApiVersion } from '../../src/shared/gvk';
import { parseManifest, type ChunkCache, type ManifestDoc, type ParsedChunk, type ParsedManifest } from './manifest';
import { refsOf, type ObjectRef } from './objects';

export interface IndexedObject {
  readonly uri: string;
  readonly doc: ManifestDoc;
  readonly object: Record<string, unknown>;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export interface ParsedFile {
  readonly uri: string;
  readonly text: string;
  readonly manifest: ParsedManifest;
  readonly objects: readonly IndexedObject[];
}

export function objectKey(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

export function keyOf(o: Pick<IndexedObject, 'group' | 'kind' | 'namespace' | 'name'>): string {
  return objectKey(o.group, o.kind, o.namespace, o.name);
}

/** Kinds without a namespace: their namespace is '' whatever the manifest says. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

export function parseFile(uri: string, text: string, cache?: ChunkCache): ParsedFile {
  const manifest = parseManifest(text, cache);
  const objects: IndexedObject[] = [];
  for (const doc of manifest.docs) {
    if (!doc.object || !doc.apiVersion || !doc.kind || !doc.name) continue;
    const { group, version } = parseApiVersion(doc.apiVersion);
    objects.push({ uri, doc, object: doc.object, group, version, kind: doc.kind, name: doc.name, namespace: CLUSTER_SCOPED.has(doc.kind) ? '' : (doc.namespace ?? 'default') });
  }
  return { uri, text, manifest, objects };
}

export class WorkspaceIndex {
  private readonly files = new Map<string, ParsedFile>();
  /** Parsed chunks of each file's current text, so an edit re-parses only what changed. */
  private readonly chunks = new Map<string, ChunkCache>();
  private readonly byKey = new Map<string, IndexedObject[]>();
  /** Referenced key -> the objects that reference it. */
  private readonly referrers = new Map<string, { from: IndexedObject; ref: ObjectRef }[]>();
  /** Values computed from the whole index (see derived()), dropped whenever a file changes. */
  private readonly memo = new Map<string, unknown>();
  /** The objects of each file as last committed or first read: what "an edit" is measured against. */
  private readonly baselines = new Map<string, { text: string; objects: Map<string, IndexedObject> }>();

  /** Parses and indexes a file, replacing what the index had for it. */
  set(uri: string, text: string): ParsedFile {
    const previous = this.files.get(uri);
    if (previous?.text === text) return previous;
    this.memo.clear();
    const cache = this.chunks.get(uri) ?? new Map<string, ParsedChunk>();
    this.remove(uri);
    this.chunks.set(uri, cache);
    const file = parseFile(uri, text, cache);
    this.files.set(uri, file);
    for (const o of file.objects) {
      push(this.byKey, keyOf(o), o);
      for (const ref of refsOf(o.object)) push(this.referrers, objectKey(ref.group, ref.kind, ref.namespace, ref.name), { from: o, ref });
    }
    return file;
  }

  remove(uri: string): void {
    const file = this.files.get(uri);
    this.chunks.delete(uri);
    if (!file) return;
    this.memo.clear();
    this.files.delete(uri);
    for (const o of file.objects) {
      prune(this.byKey, keyOf(o), (x) => x.uri === uri);
      for (const ref of refsOf(o.object)) prune(this.referrers, objectKey(ref.group, ref.kind, ref.namespace, ref.name), (x) => x.from.uri === uri);
    }
  }

  setBaseline(uri: string, text: string): void {
    this.baselines.set(uri, { text, objects: new Map(parseFile(uri, text).objects.map((o) => [keyOf(o), o])) });
  }

  baselineOf(o: IndexedObject): IndexedObject | undefined {
    return this.baselines.get(o.uri)?.objects.get(keyOf(o));
  }

  /** The text of an object's document as it was in the baseline. */
  baselineText(o: IndexedObject): string | undefined {
    const baseline = this.baselines.get(o.uri);
    const before = baseline?.objects.get(keyOf(o));
    return baseline && before ? baseline.text.slice(before.doc.start, before.doc.end) : undefined;
  }

  /**
   * A value computed once from the whole index and reused until a file changes: rules that compare
   * every object with every other one build their lookup table here instead of scanning per object.
   */
  derived<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  file(uri: string): ParsedFile | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  find(group: string, kind: string, namespace: string, name: string): readonly IndexedObject[] {
    return this.byKey.get(objectKey(group, kind, namespace, name)) ?? [];
  }

  /** Objects with this name in this namespace, of any kind: to explain a reference to the wrong kind. */
  findByName(namespace: string, name: string): readonly IndexedObject[] {
    return this.all().filter((o) => o.namespace === namespace && o.name === name);
  }

  referencesTo(target: Pick<IndexedObject, 'group' | 'kind' | 'namespace' | 'name'>): readonly { from: IndexedObject; ref: ObjectRef }[] {
    return this.referrers.get(keyOf(target)) ?? [];
  }

  ofKind(kind: string): readonly IndexedObject[] {
    return this.derived(`kind:${kind}`, () => this.all().filter((o) => o.kind === kind));
  }

  all(): readonly IndexedObject[] {
    return this.derived('all', () => [...this.files.values()].flatMap((f) => f.objects));
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function prune<T>(map: Map<string, T[]>, key: string, drop: (value: T) => boolean): void {
  const kept = (map.get(key) ?? []).filter((v) => !drop(v));
  if (kept.length > 0) map.set(key, kept);
  else map.delete(key);
}
