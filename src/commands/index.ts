import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ClusterExplorer } from '../explorer/provider';
import { commandId, type CommandName } from '../shared/ids';
import { newClusterManifest } from './newClusterManifest';

export interface Features {
  readonly explorer: ClusterExplorer;
}

type CommandFactory = (ctx: Ctx, features: Features) => (...args: unknown[]) => unknown;

const commandTable = {
  showLog: (ctx) => () => {
    ctx.log.show();
  },
  refreshExplorer: (_ctx, features) => () => {
    features.explorer.refresh();
  },
  newClusterManifest: (ctx) => () => newClusterManifest(ctx),
} satisfies Record<CommandName, CommandFactory>;

export function registerCommands(ctx: Ctx, features: Features): void {
  for (const [name, factory] of Object.entries(commandTable) as [CommandName, CommandFactory][]) {
    ctx.own(vscode.commands.registerCommand(commandId(name), factory(ctx, features)));
  }
}
