// The example DCS cluster of the demo: schemas/examples/dcs-cluster-v1beta2.yaml pointed at the local DCS
// simulator, applied to a management cluster with server-side apply, in dependency order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { loadKubeConfig } from '../shared/kubeconfig';
import { projectRoot } from './projectPaths';

export const EXAMPLE_FILE = join('schemas', 'examples', 'dcs-cluster-v1beta2.yaml');
const FIELD_MANAGER = 'capi-dcs-demo';

/** The simulator's default inventory: site, user and switch (src/simulator/defaultInventory.ts). */
export const SIMULATOR_SITE = 'SIM0001A';
export const SIMULATOR_USER = { name: 'capi-sim', key: 'sim-Passw0rd!' };
/** The simulator's distributed virtual switch with port group pg-k8s (the example names its lab's "dvs-lab"). */
export const SIMULATOR_DVS = 'dvs-prod';

/** The example's text with the credentials and site of the simulator listening at `simulatorUrl`. */
export function exampleForSimulator(simulatorUrl: string): string {
  return readFileSync(join(projectRoot(), EXAMPLE_FILE), 'utf8')
    .replaceAll('https://127.0.0.1:7443', simulatorUrl)
    .replaceAll('4D9A2C11', SIMULATOR_SITE)
    .replaceAll('dvSwitchName: dvs-lab', `dvSwitchName: ${SIMULATOR_DVS}`)
    .replaceAll('authUser: capi-lab', `authUser: ${SIMULATOR_USER.name}`)
    .replaceAll('authKey: "Chang3-Me!"', `authKey: "${SIMULATOR_USER.key}"`);
}

/**
 * The files the example's kubeadm configs read with `contentFrom` (a platform provides this Secret; the lab
 * makes a stand-in). Without it the kubeadm bootstrap provider cannot render any machine's bootstrap data.
 */
export function kubeadmFilesSecret(namespace: string): string {
  return `apiVersion: v1
kind: Secret
metadata: {name: dcs-kubernetes-1.34-files, namespace: ${namespace}}
stringData:
  psa-config.yaml: "apiVersion: apiserver.config.k8s.io/v1\\nkind: AdmissionConfiguration\\nplugins: []\\n"
  control-plane-kubelet-patch.json: '{"serializeImagePulls": false}'
  worker-kubelet-patch.json: '{"serializeImagePulls": false}'
`;
}

/** Namespaces and Secrets first, then pools and templates, then what points to them. */
const ORDER = ['Namespace', 'Secret', 'ConfigMap', 'DCSIpHostnamePool', 'DCSMachineTemplate', 'KubeadmConfigTemplate', 'DCSCluster', 'KubeadmControlPlane', 'Cluster', 'MachineDeployment'];

export function manifestObjects(text: string): KubernetesObject[] {
  const objects = loadAll(text).filter((o): o is KubernetesObject => typeof o === 'object' && o !== null && 'kind' in o);
  const rank = (o: KubernetesObject) => {
    const i = ORDER.indexOf(o.kind ?? '');
    return i < 0 ? ORDER.length : i;
  };
  return objects.sort((a, b) => rank(a) - rank(b));
}

export async function applyObjects(kubeconfigPath: string, context: string | undefined, objects: readonly KubernetesObject[], log: (line: string) => void): Promise<void> {
  const kc = loadKubeConfig(kubeconfigPath);
  if (!kc) throw new Error(`no kubeconfig at ${kubeconfigPath}`);
  if (context) kc.setCurrentContext(context);
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    await api.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    log(`[demo] applied ${object.kind ?? ''}/${object.metadata?.name ?? ''}`);
  }
}
