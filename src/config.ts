import * as vscode from 'vscode';
import { Settings } from './shared/ids';

/** Typed getters over the `capi-dcs.*` settings; nothing else reads the configuration. */
export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('capi-dcs');
  }

  /** An explicit kubeconfig path, or undefined for the standard places ($KUBECONFIG, ~/.kube/config). */
  get kubeconfig(): string | undefined {
    const value = this.section.get<string>(Settings.kubeconfig, '').trim();
    return value === '' ? undefined : value;
  }

  get validationEnabled(): boolean {
    return this.section.get<boolean>(Settings.validationEnable, true);
  }

  affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
    return event.affectsConfiguration(`capi-dcs.${key}`);
  }
}
