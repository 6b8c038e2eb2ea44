import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Explorer } from '../explorer/explorer';
import { commandId, type CommandName } from '../shared/ids';
import { copyName, describeCluster, openLiveObject, revealObject, selectContexts } from './explorer';
import { newClusterManifest } from './newClusterManifest';

export interface Features {
  readonly explorer: Explorer;
}

type CommandFactory = (ctx: Ctx, features: Features) => (...args: unknown[]) => unknown;

const commandTable = {
  showLog: (ctx) => () => {
    ctx.log.show();
  },
  refreshExplorer: (_ctx, { explorer }) => (arg: unknown) => {
    explorer.refresh(arg);
  },
  newClusterManifest: (ctx) => () => newClusterManifest(ctx),
  selectContexts: (_ctx, { explorer }) => () => selectContexts(explorer),
  openLiveObject: (_ctx, { explorer }) => (arg: unknown) => openLiveObject(explorer, arg),
  revealInWorkspace: (ctx, { explorer }) => (arg: unknown) => revealObject(ctx, explorer, arg),
  copyName: (_ctx, { explorer }) => (arg: unknown) => copyName(explorer, arg),
  describeCluster: (_ctx, { explorer }) => (arg: unknown) => describeCluster(explorer, arg),
} satisfies Record<CommandName, CommandFactory>;

export function registerCommands(ctx: Ctx, features: Features): void {
  for (const [name, factory] of Object.entries(commandTable) as [CommandName, CommandFactory][]) {
    ctx.own(vscode.commands.registerCommand(commandId(name), factory(ctx, features)));
  }
}
