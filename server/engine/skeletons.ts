// The smallest valid-looking object of each kind a reference can point to, for "create the missing object".
import type { CapiVersion } from '../../src/shared/gvk';

const DCS = 'infrastructure.cluster.x-k8s.io/v1beta1';

export function skeletonFor(kind: string, name: string, namespace: string, capiVersion: CapiVersion = 'v1beta2'): string | undefined {
  const meta = `metadata:\n  name: ${name}\n  namespace: ${namespace}\n`;
  switch (kind) {
    case 'DCSMachineTemplate':
      return `apiVersion: ${DCS}\nkind: DCSMachineTemplate\n${meta}spec:\n  template:\n    spec:\n      vmTemplateName: VM-TEMPLATE-NAME\n      ipHostPoolRef: {name: POOL-NAME}\n      vmConfig:\n        dcsMachineCpuSpec: {quantity: 4}\n        dcsMachineMemorySpec: {quantity: 8192}\n        dcsMachineDiskSpec:\n        - {systemVolume: true, quantity: 0, datastoreClusterName: DATASTORE-CLUSTER}\n        - {path: /var/lib/kubelet, quantity: 100, format: xfs, datastoreClusterName: DATASTORE-CLUSTER}\n        - {path: /var/lib/containerd, quantity: 100, format: xfs, datastoreClusterName: DATASTORE-CLUSTER}\n`;
    case 'DCSIpHostnamePool':
      return `apiVersion: ${DCS}\nkind: DCSIpHostnamePool\n${meta}spec:\n  pool:\n  - {ip: "IP", mask: "24", gateway: "GATEWAY", hostname: ${name}-1, machineName: ${name}-1}\n`;
    case 'DCSCluster':
      return `apiVersion: ${DCS}\nkind: DCSCluster\n${meta}spec:\n  site: SITE-ID\n  networkType: kube-ovn\n  credentialSecretRef: {name: CREDENTIALS-SECRET}\n  controlPlaneLoadBalancer: {type: external, host: LB-ADDRESS, port: 6443}\n  controlPlaneEndpoint: {host: LB-ADDRESS, port: 6443}\n`;
    case 'Secret':
      return `apiVersion: v1\nkind: Secret\n${meta}type: Opaque\nstringData:\n  authUser: USER\n  authKey: PASSWORD\n  endpoint: https://VRM-ADDRESS:7443\n  site: SITE-ID\n`;
    case 'KubeadmConfigTemplate':
      return `apiVersion: bootstrap.cluster.x-k8s.io/${capiVersion}\nkind: KubeadmConfigTemplate\n${meta}spec:\n  template:\n    spec:\n      joinConfiguration:\n        nodeRegistration: {}\n`;
    case 'KubeadmControlPlane':
      return `apiVersion: controlplane.cluster.x-k8s.io/${capiVersion}\nkind: KubeadmControlPlane\n${meta}spec:\n  replicas: 3\n  version: v1.34.2\n${
        capiVersion === 'v1beta1'
          ? '  machineTemplate:\n    infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta1, kind: DCSMachineTemplate, name: TEMPLATE}\n'
          : '  machineTemplate:\n    spec:\n      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DCSMachineTemplate, name: TEMPLATE}\n'
      }  kubeadmConfigSpec: {}\n`;
    default:
      return undefined;
  }
}
