// "Point a Cluster at the DCS Simulator": the DCS provider finds DCS through the credentials Secret that
// DCSCluster.spec.credentialSecretRef names (endpoint, authUser, authKey, site). This writes that Secret for
// the simulator started from VS Code — its URL and the lab user of its built-in inventory — after the user
// picked the DCSCluster and confirmed, and aligns spec.site with the simulator's site when it differs
// (the controller prefers spec.site over the Secret's).
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import * as vscode from 'vscode';
import { DEFAULT_INVENTORY_YAML } from '../simulator/defaultInventory';
import { parseInventory } from '../simulator/inventory';

const FIELD_MANAGER = 'capi-dcs';
const DCS_API = 'infrastructure.cluster.x-k8s.io/v1beta1';

export interface RunningSimulator {
  readonly url: string;
  readonly site: string;
}

interface DcsClusterObject extends KubernetesObject {
  spec?: { credentialSecretRef?: { name?: string }; site?: string };
}

/** The Secret keys for the simulator (reference §3), with the first user of the built-in inventory. */
export function simulatorSecretData(sim: RunningSimulator): Record<string, string> {
  const user = parseInventory(DEFAULT_INVENTORY_YAML, 'built-in inventory').users[0];
  if (!user) throw new Error('the built-in simulator inventory has no user');
  const plain = { endpoint: sim.url, authUser: user.name, authKey: user.key, site: sim.site };
  return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}

/** Returns a one-line summary of what changed, or undefined when the user cancelled. */
export async function pointClusterAtSimulator(kc: KubeConfig, context: string, sim: RunningSimulator): Promise<string | undefined> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const clusters = (await api.list<DcsClusterObject>(DCS_API, 'DCSCluster')).items;
  if (clusters.length === 0) {
    void vscode.window.showWarningMessage(`CAPI DCS: ${context} has no DCSCluster to point at the simulator. Apply a cluster first.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    clusters.map((c) => ({
      label: c.metadata?.name ?? '',
      description: `${c.metadata?.namespace ?? ''} · Secret ${c.spec?.credentialSecretRef?.name ?? '(none)'}`,
      cluster: c,
    })),
    { title: 'Point which DCSCluster at the DCS simulator?', placeHolder: 'DCSCluster' },
  );
  if (!picked) return undefined;
  const { cluster } = picked;
  const namespace = cluster.metadata?.namespace ?? 'default';
  const name = cluster.metadata?.name ?? '';
  const secretName = cluster.spec?.credentialSecretRef?.name;
  if (!secretName) throw new Error(`DCSCluster ${namespace}/${name} names no credentialSecretRef`);
  const siteChange = cluster.spec?.site !== undefined && cluster.spec.site !== sim.site;
  const detail =
    `Writes Secret ${namespace}/${secretName} (endpoint ${sim.url}, the simulator's lab user, site ${sim.site}), replacing the DCS credentials it holds.` +
    (siteChange ? ` Also changes the DCSCluster's spec.site from ${cluster.spec?.site ?? ''} to ${sim.site}.` : '');
  const answer = await vscode.window.showWarningMessage(`Point DCSCluster ${namespace}/${name} at the DCS simulator?`, { modal: true, detail }, 'Point at Simulator');
  if (answer !== 'Point at Simulator') return undefined;

  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace }, type: 'Opaque', data: simulatorSecretData(sim) };
  await api.patch(secret, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  if (siteChange) {
    await api.patch({ apiVersion: DCS_API, kind: 'DCSCluster', metadata: { name, namespace }, spec: { site: sim.site } }, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch);
  }
  return `DCSCluster ${namespace}/${name} now uses the DCS simulator at ${sim.url} (Secret ${namespace}/${secretName}${siteChange ? `, site ${sim.site}` : ''}).`;
}
