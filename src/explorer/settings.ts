// Typed getters over the explorer's settings (capi-dcs.explorer.*) and the kubeconfig setting it follows.
import * as vscode from 'vscode';
import { Settings } from '../shared/ids';

const DEFAULT_STUCK_MINUTES = 15;

export class ExplorerSettings {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('capi-dcs');
  }

  /** Contexts to show; empty: every context of the kubeconfig. */
  get contexts(): string[] {
    const value = this.section.get<unknown>(Settings.explorerContexts, []);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
  }

  async setContexts(names: readonly string[]): Promise<void> {
    await this.section.update(Settings.explorerContexts, [...names], vscode.ConfigurationTarget.Global);
  }

  get rolloutStuckMs(): number {
    const minutes = this.section.get<number>(Settings.explorerRolloutStuckMinutes, DEFAULT_STUCK_MINUTES);
    return (Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_STUCK_MINUTES) * 60_000;
  }

  affectsContexts(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(`capi-dcs.${Settings.explorerContexts}`) || e.affectsConfiguration(`capi-dcs.${Settings.kubeconfig}`);
  }

  affectsRollouts(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(`capi-dcs.${Settings.explorerRolloutStuckMinutes}`);
  }
}
