// What the operate commands share while the extension runs: kube access per context (the explorer's
// connection when there is one), the diff documents, the apply diagnostics, the settings, and the boundary
// where failures become one sentence for people and the details go to the log.
import type { KubeConfig } from '@kubernetes/client-node';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Explorer } from '../explorer/explorer';
import { isElement } from '../explorer/targets';
import type { Element } from '../explorer/tree';
import { contextKubeConfig, loadKubeConfig } from '../kube/kubeconfig';
import { Views } from '../shared/ids';
import { describeFailure } from './apiErrors';
import { isAbort } from './applyRun';
import { DiffDocuments } from './diffView';
import { kubeClient } from './kubeClient';
import { ObjectApi } from './objectApi';
import { OperateConfig } from './settings';

export class UserCancelled extends Error {
  override readonly name = 'UserCancelled';
}

export class OperateServices implements vscode.Disposable {
  readonly diff = new DiffDocuments();
  readonly diagnostics = vscode.languages.createDiagnosticCollection('capi-dcs-apply');
  readonly config = new OperateConfig();

  constructor(
    readonly ctx: Ctx,
    readonly explorer: Explorer,
  ) {}

  /** The explorer element a command was started on (palette invocations have none). */
  element(arg: unknown): Element | undefined {
    return isElement(arg) ? arg : undefined;
  }

  kubeConfig(context: string): KubeConfig {
    const connected = this.explorer.session.kubeConfig(context);
    if (connected) return connected;
    const kc = loadKubeConfig(this.ctx.config.kubeconfig);
    if (!kc) throw new Error('No kubeconfig found: set capi-dcs.kubeconfig or $KUBECONFIG.');
    return contextKubeConfig(kc, context);
  }

  objectApi(context: string): ObjectApi {
    const kc = this.kubeConfig(context);
    return new ObjectApi(kubeClient(kc), kc.getContextObject(context)?.namespace ?? 'default');
  }

  /** The management cluster to act on: the only one, or the one picked (current context first). */
  async pickContext(title: string): Promise<string | undefined> {
    const all = this.explorer.session.allContexts();
    if (all.length === 0) throw new Error('No kubeconfig contexts found: set capi-dcs.kubeconfig or $KUBECONFIG.');
    if (all.length === 1) return all[0]?.name;
    const items = [...all].sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent)).map((c) => ({ label: c.name, description: c.server ?? c.cluster, detail: c.isCurrent ? 'current context' : undefined }));
    return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Management cluster (kubeconfig context)' }))?.label;
  }

  /** Shows the cluster in the explorer, which follows its rollouts from there. */
  async followInExplorer(context: string): Promise<void> {
    this.explorer.session.connect(context);
    this.explorer.refresh({ type: 'context', context });
    await vscode.commands.executeCommand(`${Views.clusters}.focus`);
  }

  /** Runs a command body: cancellations end quietly, failures become one sentence plus Open Log. */
  async run(what: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      if (error instanceof UserCancelled || isAbort(error)) {
        this.ctx.log.info(`${what}: cancelled`);
        return;
      }
      this.ctx.log.error(`${what} failed`, error);
      void vscode.window.showErrorMessage(`${what} failed: ${describeFailure(error)}`, 'Open Log').then((choice) => {
        if (choice) this.ctx.log.show();
      });
    }
  }

  dispose(): void {
    this.diff.dispose();
    this.diagnostics.dispose();
  }
}

/** A modal question with one action; anything else (Cancel, Escape) ends the command. */
export async function confirm(message: string, detail: string, action: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  if (choice !== action) throw new UserCancelled();
}

/** A question that leaves the editor usable (to read the diff) until one of its buttons is pressed. */
export async function confirmAfterReview(message: string, action: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(message, action, 'Cancel');
  if (choice !== action) throw new UserCancelled();
}
