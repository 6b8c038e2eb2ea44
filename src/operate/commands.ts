// The operate commands (apply, upgrade, scale, restart, pause/resume, delete machine, roll back), registered
// on the extension's Ctx. Each works from the palette (quick picks) and from the explorer's context menu
// (the tree element is its argument); failures and cancellations end at OperateServices.run.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Explorer } from '../explorer/explorer';
import { deleteMachine, pauseCluster, restartRollout, rollback, scale } from './actionCommands';
import { applyFolder, applyManifest, applySelection } from './applyCommands';
import { operateCommandId, type OperateCommandName } from './ids';
import { OperateServices } from './operateServices';
import { upgradeCluster } from './upgradeCommand';

export interface OperateDeps {
  /** The cluster explorer: its elements are the commands' arguments, its connections are reused. */
  readonly explorer: Explorer;
}

type Handler = (services: OperateServices, arg: unknown) => Promise<void>;

/** Command name -> [title for messages, handler]. */
const handlers: Record<OperateCommandName, readonly [string, Handler]> = {
  applyManifest: ['Apply', applyManifest],
  applySelection: ['Apply Selection', (s) => applySelection(s)],
  applyFolder: ['Apply Folder', applyFolder],
  upgradeCluster: ['Upgrade Cluster', upgradeCluster],
  scale: ['Scale', scale],
  restartRollout: ['Restart Rollout', restartRollout],
  pauseCluster: ['Pause Cluster', (s, arg) => pauseCluster(s, arg, true)],
  resumeCluster: ['Resume Cluster', (s, arg) => pauseCluster(s, arg, false)],
  deleteMachine: ['Delete Machine', deleteMachine],
  rollbackMachineDeployment: ['Roll Back Machine Deployment', rollback],
};

/** Registers the commands; returns their services for the features that run the same code paths (the dashboard). */
export function registerOperateCommands(ctx: Ctx, deps: OperateDeps): OperateServices {
  const services = ctx.own(new OperateServices(ctx, deps.explorer));
  for (const [name, [title, handler]] of Object.entries(handlers) as [OperateCommandName, readonly [string, Handler]][]) {
    ctx.own(vscode.commands.registerCommand(operateCommandId(name), (arg: unknown) => services.run(title, () => handler(services, arg))));
  }
  return services;
}
