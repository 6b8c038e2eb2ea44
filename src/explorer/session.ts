// The explorer's live state: the kubeconfig's contexts that are shown, one InformerSet per context started
// when the user first expands it, and the tree model of each, rebuilt on every (coalesced) change.
// No vscode import: the provider, the status bar and the integration tests all read it the same way.
import type { KubeConfig } from '@kubernetes/client-node';
import { InformerSet, type ConnectionState, type InformerSetOptions } from '../kube/informers';
import { WATCHED_KINDS, type KubeObject, type ObjectsByKind, type WatchedKind } from '../kube/kinds';
import { contextFingerprint, contextKubeConfig, listContexts, type ContextSummary } from '../kube/kubeconfig';
import { listWatchFactory, type InformerFactory } from '../kube/listWatch';
import { snapshot } from './model';
import { ModelCache } from './modelCache';
import type { ContextModel, KindProblem } from './modelTypes';

export interface SessionDeps {
  /** Reads and merges the kubeconfig files; undefined when there are none; throws when one is invalid. */
  readonly loadKubeConfig: () => KubeConfig | undefined;
  /** Contexts to show; empty means every context of the kubeconfig. */
  readonly shownContexts: () => readonly string[];
  readonly informerFactory?: (kc: KubeConfig) => InformerFactory;
  readonly informerOptions?: InformerSetOptions;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

export type KubeconfigState =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'loaded'; readonly contexts: readonly ContextSummary[] };

export interface ContextView {
  readonly summary: ContextSummary;
  /** 'idle' until the context is expanded for the first time. */
  readonly state: ConnectionState | 'idle';
  readonly reason: string | undefined;
  readonly model: ContextModel | undefined;
}

interface Connection {
  readonly kc: KubeConfig;
  readonly fingerprint: string;
  readonly informers: InformerSet;
  readonly cache: ModelCache;
  model: ContextModel | undefined;
  /** The connection state the model was built in: the live one runs ahead of a coalesced model. */
  modelState: ConnectionState | undefined;
}

const PROBLEM_STATES = new Set(['forbidden', 'notInstalled', 'unauthorized', 'error']);

export class ExplorerSession {
  private kubeconfig: KubeconfigState = { kind: 'none' };
  private kc: KubeConfig | undefined;
  private readonly connections = new Map<string, Connection>();
  private readonly listeners = new Set<(context: string | undefined) => void>();

  constructor(private readonly deps: SessionDeps) {
    this.reload();
  }

  /** Reads the kubeconfig again; connections whose context vanished or changed are closed. */
  reload(): void {
    try {
      this.kc = this.deps.loadKubeConfig();
      this.kubeconfig = this.kc ? { kind: 'loaded', contexts: this.pickShown(listContexts(this.kc)) } : { kind: 'none' };
    } catch (error) {
      this.kc = undefined;
      this.kubeconfig = { kind: 'invalid', message: error instanceof Error ? error.message : String(error) };
    }
    const shown = new Set(this.kubeconfig.kind === 'loaded' ? this.kubeconfig.contexts.map((c) => c.name) : []);
    for (const [name, connection] of this.connections) {
      if (!shown.has(name) || !this.kc || contextFingerprint(this.kc, name) !== connection.fingerprint) this.close(name);
    }
    this.fire(undefined);
  }

  get state(): KubeconfigState {
    return this.kubeconfig;
  }

  /** Every context in the kubeconfig (for the Select Contexts picker), shown or not. */
  allContexts(): ContextSummary[] {
    return this.kc ? listContexts(this.kc) : [];
  }

  onDidChange(listener: (context: string | undefined) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts watching a context if it is not watched yet (the first expand does this). */
  connect(name: string): void {
    if (this.connections.has(name) || !this.kc) return;
    const kc = contextKubeConfig(this.kc, name);
    const factory = (this.deps.informerFactory ?? listWatchFactory)(kc);
    const log = this.deps.log;
    const informers = new InformerSet(factory, {
      ...this.deps.informerOptions,
      log: log ? (level, message) => { log(level, `[${name}] ${message}`); } : undefined,
    });
    const connection: Connection = { kc, fingerprint: contextFingerprint(this.kc, name), informers, cache: new ModelCache(), model: undefined, modelState: undefined };
    this.connections.set(name, connection);
    informers.onDidChange(() => {
      if (this.connections.get(name) !== connection) return;
      connection.model = snapshot(informers.objects(), problemsOf(informers), connection.cache);
      connection.modelState = informers.state;
      this.fire(name);
    });
    log?.('info', `[${name}] watching ${WATCHED_KINDS.join(', ')}`);
    informers.start();
  }

  view(name: string): ContextView | undefined {
    const summary = this.kubeconfig.kind === 'loaded' ? this.kubeconfig.contexts.find((c) => c.name === name) : undefined;
    if (!summary) return undefined;
    const connection = this.connections.get(name);
    if (!connection) return { summary, state: 'idle', reason: undefined, model: undefined };
    // Until the first model, the live state says whether it is still connecting.
    return { summary, state: connection.modelState ?? connection.informers.state, reason: connection.informers.unreachableReason, model: connection.model };
  }

  /** Contexts being watched now, with their models. */
  connectedContexts(): string[] {
    return [...this.connections.keys()];
  }

  /** Lists everything again: one context, or all of them after re-reading the kubeconfig. */
  refresh(name?: string): void {
    if (name === undefined) {
      this.reload();
      for (const connection of this.connections.values()) connection.informers.restart();
      return;
    }
    this.connections.get(name)?.informers.restart();
  }

  /** The live object from the informer cache. */
  object(context: string, kind: WatchedKind, namespace: string, name: string): KubeObject | undefined {
    const connection = this.connections.get(context);
    return connection?.informers.objects()[kind].find((o) => o.metadata?.name === name && (o.metadata.namespace ?? '') === namespace);
  }

  /** Every cached object of a watched context, by kind. */
  objects(context: string): ObjectsByKind | undefined {
    return this.connections.get(context)?.informers.objects();
  }

  /** The KubeConfig of a watched context, for commands that read more than the cache holds. */
  kubeConfig(context: string): KubeConfig | undefined {
    return this.connections.get(context)?.kc;
  }

  dispose(): void {
    for (const name of [...this.connections.keys()]) this.close(name);
    this.listeners.clear();
  }

  private close(name: string): void {
    const connection = this.connections.get(name);
    if (!connection) return;
    this.connections.delete(name);
    connection.informers.dispose();
    this.deps.log?.('info', `[${name}] stopped watching`);
  }

  private pickShown(all: readonly ContextSummary[]): ContextSummary[] {
    const wanted = this.deps.shownContexts();
    if (wanted.length === 0) return [...all];
    const shown = all.filter((c) => wanted.includes(c.name));
    // A setting that names no existing context would hide everything; show all instead.
    return shown.length > 0 ? shown : [...all];
  }

  private fire(context: string | undefined): void {
    for (const listener of [...this.listeners]) listener(context);
  }
}

function problemsOf(informers: InformerSet): Partial<Record<WatchedKind, KindProblem>> {
  const problems: Partial<Record<WatchedKind, KindProblem>> = {};
  for (const kind of WATCHED_KINDS) {
    const status = informers.status(kind);
    if (PROBLEM_STATES.has(status.state)) {
      problems[kind] = { state: status.state as KindProblem['state'], message: status.message ?? status.state };
    }
  }
  return problems;
}
