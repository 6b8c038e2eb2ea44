// The tree's context menu as package.json declares it, evaluated against the contextValues the rows carry:
// a cluster row offers Pause or Resume as its state allows, and keeps its other actions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clusterContextValue } from '../../src/explorer/contextValues';

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
}

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuEntry[]> } };
const itemMenu = pkg.contributes.menus['view/item/context'] ?? [];

/** The `when` clauses these menus use: `view == x`, `viewItem == x` and `viewItem =~ /re/`, joined by &&. */
function shows(when: string | undefined, viewItem: string): boolean {
  return (when ?? 'true').split('&&').every((raw) => {
    const clause = raw.trim();
    const regex = /^viewItem =~ \/(.*)\/$/.exec(clause);
    if (regex) return new RegExp(regex[1] ?? '').test(viewItem);
    const equal = /^viewItem == (\S+)$/.exec(clause);
    if (equal) return equal[1] === viewItem;
    if (clause === 'view == capi-dcs.clusters') return true;
    throw new Error(`a when clause this test does not read: ${clause}`);
  });
}

const commandsFor = (viewItem: string): string[] => [...new Set(itemMenu.filter((m) => shows(m.when, viewItem)).map((m) => m.command.replace('capi-dcs.', '')))].sort();

describe('explorer context menu', () => {
  const common = ['copyName', 'describeCluster', 'openDashboard', 'openLiveObject', 'revealInWorkspace', 'upgradeCluster'];

  it('offers Pause on a running cluster and Resume on a paused one, never both', () => {
    assert.deepEqual(commandsFor(clusterContextValue(false)), [...common, 'pauseCluster'].sort());
    assert.deepEqual(commandsFor(clusterContextValue(true)), [...common, 'resumeCluster'].sort());
  });

  it('keeps the other rows\' menus: control plane, deployment, machine, management cluster', () => {
    assert.deepEqual(commandsFor('liveObject replicated controlPlane'), ['copyName', 'openLiveObject', 'restartRollout', 'revealInWorkspace', 'scale']);
    assert.deepEqual(commandsFor('liveObject replicated machineDeployment'), ['copyName', 'openLiveObject', 'restartRollout', 'revealInWorkspace', 'rollbackMachineDeployment', 'scale']);
    assert.deepEqual(commandsFor('liveObject machine'), ['copyName', 'deleteMachine', 'openLiveObject', 'revealInWorkspace']);
    assert.deepEqual(commandsFor('managementCluster'), ['refreshExplorer']);
  });
});
