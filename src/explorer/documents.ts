// Read-only virtual documents that follow the live state: the describe view of a Cluster
// (capi-dcs-describe:) and the YAML of a live object (capi-dcs-live:). Both re-render on every change.
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { WATCHED_KINDS, type WatchedKind } from '../kube/kinds';
import { Schemes } from '../shared/ids';
import { describeCluster } from './describe';
import type { ExplorerSession } from './session';
import type { ClusterTarget, LiveTarget } from './targets';

/** The URI of a live object's YAML: the name shows in the tab, the rest in the query. */
export function liveUri(t: LiveTarget): vscode.Uri {
  return vscode.Uri.from({ scheme: Schemes.live, path: `/${t.kind}/${t.name}.yaml`, query: new URLSearchParams({ context: t.context, kind: t.kind, namespace: t.namespace, name: t.name }).toString() });
}

export function describeUri(t: ClusterTarget): vscode.Uri {
  return vscode.Uri.from({ scheme: Schemes.describe, path: `/${t.name} (describe)`, query: new URLSearchParams({ context: t.context, namespace: t.namespace, name: t.name }).toString() });
}

function targetOf(uri: vscode.Uri): LiveTarget | undefined {
  const q = new URLSearchParams(uri.query);
  const kind = q.get('kind') ?? 'Cluster';
  const context = q.get('context');
  const name = q.get('name');
  if (context === null || name === null || !(WATCHED_KINDS as readonly string[]).includes(kind)) return undefined;
  return { context, kind: kind as WatchedKind, namespace: q.get('namespace') ?? '', name };
}

abstract class LiveDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(
    protected readonly session: ExplorerSession,
    private readonly scheme: string,
  ) {
    this.subscription = session.onDidChange((context) => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme !== this.scheme || doc.isClosed) continue;
        if (context === undefined || targetOf(doc.uri)?.context === context) this.changed.fire(doc.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const target = targetOf(uri);
    if (!target) return `# Not an address this view understands: ${uri.toString()}\n`;
    this.session.connect(target.context);
    return this.render(target);
  }

  protected abstract render(target: LiveTarget): string;

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export class DescribeDocuments extends LiveDocuments {
  constructor(session: ExplorerSession) {
    super(session, Schemes.describe);
  }

  protected render(t: LiveTarget): string {
    const view = this.session.view(t.context);
    const cluster = view?.model?.clusters.find((c) => c.name === t.name && c.ref.namespace === t.namespace);
    if (!cluster) {
      const why = view?.state === 'unreachable' ? `the management cluster is unreachable (${view.reason ?? 'no answer'})` : view?.state === 'connecting' ? 'still loading' : 'no such Cluster';
      return `Cluster ${t.namespace}/${t.name} in ${t.context}: ${why}.\n`;
    }
    const stale = view?.state === 'unreachable' ? `\n(last known state: the management cluster is unreachable: ${view.reason ?? 'no answer'})\n` : '';
    return describeCluster(cluster, t.context, Date.now()) + stale;
  }
}

export class LiveObjectDocuments extends LiveDocuments {
  constructor(session: ExplorerSession) {
    super(session, Schemes.live);
  }

  protected render(t: LiveTarget): string {
    const object = this.session.object(t.context, t.kind, t.namespace, t.name);
    const header = `# ${t.kind} ${t.namespace}/${t.name} in ${t.context}: live and read-only (managedFields omitted); it updates as the object changes.\n`;
    if (!object) return `${header}# The object is gone or not loaded yet.\n`;
    return header + stringify(object, { lineWidth: 0 });
  }
}
