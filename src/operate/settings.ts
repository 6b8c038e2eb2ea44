// Typed getters over the operate settings (capi-dcs.upgrade.*).
import * as vscode from 'vscode';
import { OperateSettings } from './ids';

const DEFAULT_TIMEOUT_MINUTES = 60;

export class OperateConfig {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('capi-dcs');
  }

  get waitForControlPlane(): boolean {
    return this.section.get<boolean>(OperateSettings.upgradeWaitForControlPlane, true);
  }

  get controlPlaneTimeoutMs(): number {
    const minutes = this.section.get<number>(OperateSettings.upgradeControlPlaneTimeoutMinutes, DEFAULT_TIMEOUT_MINUTES);
    return (Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_TIMEOUT_MINUTES) * 60_000;
  }

  get writeBack(): 'ask' | 'never' {
    return this.section.get<string>(OperateSettings.upgradeWriteBack, 'ask') === 'never' ? 'never' : 'ask';
  }
}
