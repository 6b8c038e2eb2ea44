// Every manifest object of the workspace, keyed by group/kind/namespace/name, updated one file at a time.
import { parseApiVersion } from '../../src/shared/gvk';
import { parseManifest, type ChunkCache, type ManifestDoc, type ParsedChunk, type ParsedManifest } from './manifest';
import { ANY, ChangeLog } from './changeLog';
import { get, refsOf, type ObjectRef } from './objects';
import { renderedObject } from './placeholders';
import type { Variables } from '../../src/shared/schema/clusterctlTemplate';

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

/**
 * Keys by the parsed object or reference they name. An edit keeps the objects (and their references) of the
 * documents it does not touch, so their keys stay the same strings: a Map hashes a string once, while a key
 * built again is flattened and hashed at every lookup.
 */
const objectKeys = new WeakMap<object, string>();
const refKeys = new WeakMap<ObjectRef, string>();

function storedKey(o: IndexedObject): string {
  let key = objectKeys.get(o.object);
  if (key === undefined) objectKeys.set(o.object, (key = keyOf(o)));
  return key;
}

function refKey(ref: ObjectRef): string {
  let key = refKeys.get(ref);
  if (key === undefined) refKeys.set(ref, (key = objectKey(ref.group, ref.kind, ref.namespace, ref.name)));
  return key;
}

/** Kinds without a namespace: their namespace is '' whatever the manifest says. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

/** How a document's object is seen: as written, or rendered with clusterctl variable values. */
export type ObjectView = (doc: ManifestDoc) => Record<string, unknown> | undefined;

function text(object: Record<string, unknown>, ...path: string[]): string | undefined {
  const value = get(object, path);
  return typeof value === 'string' ? value : undefined;
}

export function parseFile(uri: string, text_: string, cache?: ChunkCache, view: ObjectView = (doc) => doc.object): ParsedFile {
  const manifest = parseManifest(text_, cache);
  const objects: IndexedObject[] = [];
  for (const doc of manifest.docs) {
    const object = view(doc);
    if (!object) continue;
    const [apiVersion, kind, name] = [text(object, 'apiVersion'), text(object, 'kind'), text(object, 'metadata', 'name')];
    if (!apiVersion || !kind || !name) continue;
    const { group, version } = parseApiVersion(apiVersion);
    objects.push({ uri, doc, object, group, version, kind, name, namespace: CLUSTER_SCOPED.has(kind) ? '' : (text(object, 'metadata', 'namespace') ?? 'default') });
  }
  return { uri, text: text_, manifest, objects };
}

const NOTHING: ReadonlySet<string> = new Set();

/** A rule's findings for one object, as of change `seq`, and the facts the rule read. */
interface Checked {
  seq: number;
  readonly read: ReadonlySet<string>;
  readonly value: unknown;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, ParsedFile>();
  /** Parsed chunks of each file's current text, so an edit re-parses only what changed. */
  private readonly chunks = new Map<string, ChunkCache>();
  private readonly byKey = new Map<string, IndexedObject[]>();
  /** Referenced key -> the objects that reference it. */
  private readonly referrers = new Map<string, { from: IndexedObject; ref: ObjectRef }[]>();
  /** Values computed from the whole index (see derived()), dropped whenever a file changes; with the facts they read. */
  private readonly memo = new Map<string, { value: unknown; read: ReadonlySet<string> }>();
  /** The objects of each file as last committed or first read: what "an edit" is measured against. */
  private readonly baselines = new Map<string, { text: string; objects: Map<string, IndexedObject> }>();
  /** Which facts each change touched (see changeLog.ts), and the facts being read while `reading` is set. */
  private readonly log = new ChangeLog();
  private reading: { read: Set<string> | undefined } | undefined;
  /** Per parsed object and rule: what the rule found, and the facts it read. An edit keeps the objects it does not touch. */
  private readonly results = new WeakMap<object, Map<string, Checked>>();
  /** Objects parsed from identical text twice in a file: one object for two documents, so never cached. */
  private readonly shared = new WeakSet();

  /**
   * `incremental: false` for a one-shot run (the lint command): every rule runs once anyway, so keeping
   * its findings and the facts it read for the next edit would only cost memory and time.
   */
  /** clusterctl variable values the objects are rendered with (see setVariables). */
  private vars: Variables | undefined;
  /** Rendered objects by the parsed object they come from: an unchanged document keeps its rendered object. */
  private renderings = new WeakMap<object, Record<string, unknown>>();

  /**
   * `incremental: false` for a one-shot run (the lint command): every rule runs once anyway, so keeping
   * its findings and the facts it read for the next edit would only cost memory and time.
   * `variables`: render the objects with these values, so that the rules see what clusterctl would generate.
   */
  constructor(private readonly options: { readonly incremental?: boolean; readonly variables?: Variables } = {}) {
    this.vars = options.variables && Object.keys(options.variables).length > 0 ? options.variables : undefined;
  }

  /** Whether the objects are rendered with variable values (then `object` is the rendered object). */
  get rendered(): boolean {
    return this.vars !== undefined;
  }

  /** Renders the objects with other values (none: as written); every file is indexed again. */
  setVariables(values: Variables | undefined): void {
    const variables = values && Object.keys(values).length > 0 ? values : undefined;
    if (JSON.stringify(variables) === JSON.stringify(this.vars)) return;
    this.vars = variables;
    this.renderings = new WeakMap();
    for (const file of [...this.files.values()]) this.set(file.uri, file.text, true);
    for (const [uri, baseline] of [...this.baselines]) this.setBaseline(uri, baseline.text);
  }

  private readonly view: ObjectView = (doc) => {
    const vars = this.vars;
    if (!vars || !doc.object) return doc.object;
    let rendered = this.renderings.get(doc.object);
    if (!rendered) this.renderings.set(doc.object, (rendered = renderedObject(doc, vars) ?? doc.object));
    return rendered;
  };

  private get incremental(): boolean {
    return this.options.incremental ?? true;
  }

  /** Parses and indexes a file, replacing what the index had for it (`again`: even when its text is the same). */
  set(uri: string, text: string, again = false): ParsedFile {
    const previous = this.files.get(uri);
    if (previous?.text === text && !again) return previous;
    this.memo.clear();
    const cache = this.chunks.get(uri) ?? new Map<string, ParsedChunk>();
    if (previous) this.drop(previous);
    const file = parseFile(uri, text, cache, this.view);
    this.chunks.set(uri, cache);
    this.files.set(uri, file);
    const seen = new Set<object>();
    for (const o of file.objects) {
      if (seen.has(o.object)) this.shared.add(o.object);
      seen.add(o.object);
      push(this.byKey, storedKey(o), o);
      for (const ref of refsOf(o.object)) push(this.referrers, refKey(ref), { from: o, ref });
    }
    if (!this.incremental) return file;
    // The documents whose text did not change keep their objects: only the others changed. When documents
    // moved (one added or removed above them), what names their position changed too.
    const before = new Map(previous?.objects.map((o) => [o.object, o.doc.index]));
    const changed = [...(previous?.objects ?? []).filter((o) => !seen.has(o.object)), ...file.objects.filter((o) => !before.has(o.object))];
    const moved = file.objects.some((o) => before.has(o.object) && before.get(o.object) !== o.doc.index);
    this.log.record([...changed.flatMap(facts), ...(moved ? [`layout:${uri}`] : [])]);
    return file;
  }

  remove(uri: string): void {
    const file = this.files.get(uri);
    this.chunks.delete(uri);
    if (!file) return;
    this.memo.clear();
    this.files.delete(uri);
    this.drop(file);
    if (this.incremental) this.log.record(file.objects.flatMap(facts));
  }

  private drop(file: ParsedFile): void {
    for (const o of file.objects) {
      prune(this.byKey, storedKey(o), (x) => x.uri === file.uri);
      for (const ref of refsOf(o.object)) prune(this.referrers, refKey(ref), (x) => x.from.uri === file.uri);
    }
  }

  /**
   * What `compute` (a rule) finds for an object, reused while no change touches a fact it read through this
   * index: after an edit, rules run again only for the objects the edit can affect. Calls may nest (the
   * findings of all the rules for an object): the outer one reads what the inner ones read.
   */
  checked<T>(o: IndexedObject, ruleId: string, compute: () => T): T {
    if (!this.incremental || this.shared.has(o.object)) return compute();
    let byRule = this.results.get(o.object);
    if (!byRule) this.results.set(o.object, (byRule = new Map<string, Checked>()));
    const cached = byRule.get(ruleId);
    if (cached && !this.log.touched(cached.seq, cached.read)) {
      cached.seq = this.log.now;
      this.readAll(cached.read);
      return cached.value as T;
    }
    const { value, read } = this.reads(compute);
    byRule.set(ruleId, { seq: this.log.now, read, value });
    this.readAll(read);
    return value;
  }

  /** Runs `compute`, collecting the facts it reads (most rules return at once for most kinds: no set for them). */
  private reads<T>(compute: () => T): { value: T; read: ReadonlySet<string> } {
    const outer = this.reading;
    const frame: { read: Set<string> | undefined } = { read: undefined };
    this.reading = frame;
    try {
      const value = compute();
      return { value, read: frame.read ?? NOTHING };
    } finally {
      this.reading = outer;
    }
  }

  private read(fact: string): void {
    if (this.reading) (this.reading.read ??= new Set()).add(fact);
  }

  private readAll(facts: ReadonlySet<string>): void {
    if (this.reading) for (const fact of facts) this.read(fact);
  }

  setBaseline(uri: string, text: string): void {
    // Documents the baseline shares with the indexed text are not parsed again (a copy: the index's cache
    // keeps only the current text's chunks). Shared documents are then the same objects, which makes
    // comparing them with their baseline instant.
    const parsed = parseFile(uri, text, new Map(this.chunks.get(uri)), this.view);
    this.baselines.set(uri, { text, objects: new Map(parsed.objects.map((o) => [keyOf(o), o])) });
    this.log.record([`baseline:${uri}`]);
  }

  baselineOf(o: IndexedObject): IndexedObject | undefined {
    this.read(`baseline:${o.uri}`);
    return this.baselines.get(o.uri)?.objects.get(keyOf(o));
  }

  /** The text of an object's document as it was in the baseline. */
  baselineText(o: IndexedObject): string | undefined {
    this.read(`baseline:${o.uri}`);
    const baseline = this.baselines.get(o.uri);
    const before = baseline?.objects.get(keyOf(o));
    return baseline && before ? baseline.text.slice(before.doc.start, before.doc.end) : undefined;
  }

  /**
   * A value computed once from the whole index and reused until a file changes: rules that compare
   * every object with every other one build their lookup table here instead of scanning per object.
   */
  derived<T>(key: string, compute: () => T): T {
    let found = this.memo.get(key);
    if (!found) this.memo.set(key, (found = this.reads(compute)));
    // Whoever uses the value read what computing it read.
    for (const fact of found.read) this.read(fact);
    return found.value as T;
  }

  file(uri: string): ParsedFile | undefined {
    this.read(ANY);
    return this.files.get(uri);
  }

  uris(): string[] {
    this.read(ANY);
    return [...this.files.keys()];
  }

  find(group: string, kind: string, namespace: string, name: string): readonly IndexedObject[] {
    const key = objectKey(group, kind, namespace, name);
    this.read(`obj:${key}`);
    const found = this.byKey.get(key) ?? [];
    // Their positions (document N of a file) are part of what a rule may say about them.
    if (this.reading) for (const o of found) this.read(`layout:${o.uri}`);
    return found;
  }

  /** Objects with this name in this namespace, of any kind: to explain a reference to the wrong kind. */
  findByName(namespace: string, name: string): readonly IndexedObject[] {
    this.read(`name:${namespace}/${name}`);
    return this.everything().filter((o) => o.namespace === namespace && o.name === name);
  }

  referencesTo(target: Pick<IndexedObject, 'group' | 'kind' | 'namespace' | 'name'>): readonly { from: IndexedObject; ref: ObjectRef }[] {
    const key = keyOf(target);
    this.read(`ref:${key}`);
    return this.referrers.get(key) ?? [];
  }

  ofKind(kind: string): readonly IndexedObject[] {
    this.read(`kind:${kind}`);
    return this.derived(`kind:${kind}`, () => this.everything().filter((o) => o.kind === kind));
  }

  all(): readonly IndexedObject[] {
    this.read(ANY);
    return this.everything();
  }

  /** Every object, without reading ANY: for queries that read narrower facts. */
  private everything(): readonly IndexedObject[] {
    const found = this.memo.get('all');
    if (found) return found.value as readonly IndexedObject[];
    const value = [...this.files.values()].flatMap((f) => f.objects);
    this.memo.set('all', { value, read: new Set([ANY]) });
    return value;
  }
}

/**
 * The facts an indexed object decides, as the queries above read them: the objects with its key, who
 * references what it references, the objects with its name, and those of its kind.
 */
function facts(o: IndexedObject): string[] {
  const refs = refsOf(o.object).map((r) => `ref:${refKey(r)}`);
  return [`obj:${storedKey(o)}`, `name:${o.namespace}/${o.name}`, `kind:${o.kind}`, ...refs];
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
