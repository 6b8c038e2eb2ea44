// TreeItems for the explorer's elements: theme icons coloured by state, descriptions, Markdown tooltips,
// and the contextValues the package.json menus match.
import * as vscode from 'vscode';
import { ExplorerItems } from '../shared/ids';
import { clusterContextValue } from './contextValues';
import { conditionHealth } from './health';
import * as L from './labels';
import type { Health, ReplicatedModel } from './modelTypes';
import type { ContextView } from './session';
import { elementId, type Element, type MessageTone } from './tree';

const COLORS: Record<Health, string | undefined> = {
  ok: 'testing.iconPassed',
  progressing: 'charts.blue',
  warning: 'problemsWarningIcon.foreground',
  error: 'errorForeground',
  paused: 'disabledForeground',
  deleting: 'charts.orange',
  unknown: undefined,
};

function icon(id: string, health: Health): vscode.ThemeIcon {
  const color = COLORS[health];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

const TONES: Record<MessageTone, vscode.ThemeIcon> = {
  info: new vscode.ThemeIcon('info'),
  loading: new vscode.ThemeIcon('loading~spin'),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

const { None, Collapsed, Expanded } = vscode.TreeItemCollapsibleState;

function markdown(text: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(text);
  m.supportThemeIcons = true;
  return m;
}

export interface ItemContext {
  readonly view: (context: string) => ContextView | undefined;
  readonly stuck: (key: string) => boolean;
  readonly now: number;
}

export function treeItem(e: Element, c: ItemContext): vscode.TreeItem {
  const item = build(e, c);
  item.id = elementId(e);
  return item;
}

/** The rollout tracker's key for a control plane or deployment. */
export const rolloutKey = (context: string, owner: ReplicatedModel): string => `${context}|${owner.id}`;

function build(e: Element, c: ItemContext): vscode.TreeItem {
  switch (e.type) {
    case 'context':
      return contextItem(e.context, c.view(e.context));
    case 'message': {
      const item = new vscode.TreeItem(e.label, None);
      item.description = e.detail;
      item.tooltip = e.tooltip;
      item.iconPath = TONES[e.tone];
      item.contextValue = 'message';
      return item;
    }
    case 'cluster': {
      const item = live(e.cluster.name, Collapsed, clusterContextValue(e.cluster.paused));
      item.description = L.clusterDescription(e.cluster);
      item.tooltip = markdown(L.clusterTooltip(e.cluster, e.context));
      item.iconPath = icon('cloud', e.cluster.health);
      return item;
    }
    case 'controlPlane':
    case 'deployment': {
      const stuck = c.stuck(rolloutKey(e.context, e.owner));
      const label = e.type === 'controlPlane' ? 'Control plane' : e.owner.name;
      // The type word lets menus tell a control plane from a deployment (Roll Back is for deployments only).
      const kindWord = e.type === 'controlPlane' ? 'controlPlane' : 'machineDeployment';
      const item = live(label, e.owner.rollout.active ? Expanded : Collapsed, `${ExplorerItems.liveObject} replicated ${kindWord}`);
      item.description = L.replicatedDescription(e.owner, stuck);
      item.tooltip = markdown(L.replicatedTooltip(e.owner, stuck));
      item.iconPath = e.owner.rollout.active
        ? icon(stuck ? 'warning' : 'sync~spin', stuck ? 'warning' : 'progressing')
        : icon(e.type === 'controlPlane' ? 'server-process' : 'layers', e.owner.health);
      return item;
    }
    case 'rollout': {
      const stuck = c.stuck(rolloutKey(e.context, e.owner));
      const row = L.rolloutRow(e.owner);
      const item = new vscode.TreeItem(row.label, None);
      item.description = row.description;
      item.tooltip = markdown(L.replicatedTooltip(e.owner, stuck));
      item.iconPath = icon(stuck ? 'warning' : 'pulse', stuck ? 'warning' : 'progressing');
      item.contextValue = 'rollout';
      return item;
    }
    case 'deployments':
      return group('Machine deployments', `${e.cluster.deployments.length}`, 'layers', Collapsed);
    case 'machines':
      return group('Other machines', `${e.cluster.otherMachines.length}`, 'vm', Collapsed);
    case 'infrastructure':
      return group('Infrastructure', e.cluster.infrastructure.cluster?.endpoint, 'globe', Collapsed);
    case 'machine': {
      const m = e.machine;
      const item = live(m.name, Collapsed, `${ExplorerItems.liveObject} machine`);
      item.description = L.machineDescription(m, c.now, e.inRollout);
      item.tooltip = markdown(L.machineTooltip(m));
      item.iconPath = icon(m.available ? 'vm-running' : 'vm', m.health);
      return item;
    }
    case 'dcsMachine': {
      const item = live(e.dcs.name, Collapsed, `${ExplorerItems.liveObject} dcsMachine`);
      item.description = L.dcsMachineDescription(e.dcs);
      item.tooltip = markdown(L.dcsMachineTooltip(e.dcs));
      item.iconPath = icon('circuit-board', e.dcs.health);
      return item;
    }
    case 'disk': {
      const item = new vscode.TreeItem(e.label, None);
      item.iconPath = new vscode.ThemeIcon('database');
      return item;
    }
    case 'conditions': {
      const bad = e.conditions.filter((x) => conditionHealth(x) !== 'ok').length;
      return group('Conditions', bad === 0 ? `${e.conditions.length}` : `${bad} of ${e.conditions.length} not ok`, 'checklist', Collapsed);
    }
    case 'condition': {
      const health = conditionHealth(e.condition);
      const item = new vscode.TreeItem(e.condition.type, None);
      item.description = L.conditionDescription(e.condition);
      item.tooltip = markdown(L.conditionsTable([e.condition]));
      item.iconPath = icon(health === 'ok' ? 'pass' : health === 'error' ? 'error' : health === 'warning' ? 'warning' : 'circle-outline', health);
      return item;
    }
    case 'dcsCluster': {
      const item = live(e.dcs.name, e.dcs.conditions.length > 0 ? Collapsed : None, ExplorerItems.liveObject);
      item.description = L.dcsClusterDescription(e.dcs);
      item.tooltip = markdown(L.dcsClusterTooltip(e.dcs));
      item.iconPath = icon('globe', e.dcs.health);
      return item;
    }
    case 'pool': {
      const item = live(e.pool.name, e.pool.slots.length > 0 ? Collapsed : None, ExplorerItems.liveObject);
      item.description = L.poolDescription(e.pool);
      item.iconPath = icon('symbol-array', e.pool.health);
      return item;
    }
    case 'slot': {
      const item = new vscode.TreeItem(e.slot.ip, None);
      item.description = [e.slot.hostname, e.slot.holder ? `held by ${e.slot.machine ?? e.slot.holder}` : 'free'].filter(Boolean).join(' · ');
      item.iconPath = icon(e.slot.holder ? 'circle-filled' : 'circle-outline', e.slot.holder ? 'ok' : 'unknown');
      return item;
    }
  }
}

function live(label: string, state: vscode.TreeItemCollapsibleState, contextValue: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, state);
  item.contextValue = contextValue;
  return item;
}

function group(label: string, description: string | undefined, iconId: string, state: vscode.TreeItemCollapsibleState): vscode.TreeItem {
  const item = new vscode.TreeItem(label, state);
  item.description = description;
  item.iconPath = new vscode.ThemeIcon(iconId);
  item.contextValue = 'group';
  return item;
}

function contextItem(name: string, view: ContextView | undefined): vscode.TreeItem {
  const summary = view?.summary;
  const item = new vscode.TreeItem(name, summary?.isCurrent ? Expanded : Collapsed);
  const state = view?.state ?? 'idle';
  const clusters = view?.model?.clusters.length;
  item.description = [summary?.server ?? summary?.cluster, state === 'unreachable' ? 'unreachable' : undefined, clusters === undefined ? undefined : `${clusters} ${clusters === 1 ? 'cluster' : 'clusters'}`]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = markdown(
    `**${L.md(name)}**${summary?.isCurrent ? ' (current context)' : ''}\n\ncluster \`${summary?.cluster ?? ''}\` · server \`${summary?.server ?? 'unknown'}\`\n\nstate: ${state}${view?.reason ? ` (${L.md(view.reason)})` : ''}`,
  );
  const health: Health = state === 'unreachable' ? 'error' : state === 'connecting' ? 'progressing' : state === 'ready' ? 'ok' : 'unknown';
  item.iconPath = icon(summary?.isCurrent ? 'server-environment' : 'server', health);
  item.contextValue = ExplorerItems.context;
  return item;
}
