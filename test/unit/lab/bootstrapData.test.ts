import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { BootstrapDataError, readKubeadmBootstrap } from '../../../src/lab/bootstrapData';

const CLUSTER_CONFIGURATION = `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: lab-b
controlPlaneEndpoint: 127.0.11.5:6443
kubernetesVersion: v1.34.5-3
`;
const INIT = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - {name: provider-id, value: dcs://lab-b-cp-x}
    - {name: node-labels, value: "kube-ovn/role=master,zone=a"}
`;
const JOIN_WORKER = `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: 127.0.11.5:6443
nodeRegistration:
  kubeletExtraArgs:
    provider-id: dcs://lab-b-wk-x
`;

/** Ignition as the kubeadm bootstrap provider renders it: URL-encoded data URLs, one base64 and one gzipped file. */
function ignition(files: Record<string, string>): string {
  const entries = Object.entries(files).map(([path, content], i) => {
    if (i % 3 === 1) return { path, contents: { source: `data:;base64,${Buffer.from(content).toString('base64')}` } };
    if (i % 3 === 2) return { path, contents: { compression: 'gzip', source: `data:;base64,${gzipSync(content).toString('base64')}` } };
    return { path, contents: { source: `data:,${encodeURIComponent(content)}` } };
  });
  return JSON.stringify({ ignition: { version: '2.3.0' }, storage: { files: entries } });
}

describe('bootstrap data as the guest reads it', () => {
  it('Ignition init: the ClusterConfiguration, endpoint, provider ID, node labels and the cluster CA', () => {
    const data = readKubeadmBootstrap(
      ignition({
        '/etc/kubeadm.yml': `---\n${CLUSTER_CONFIGURATION}---\n${INIT}`,
        '/etc/kubernetes/pki/ca.crt': 'CA CERT',
        '/etc/kubernetes/pki/ca.key': 'CA KEY',
        '/etc/kubernetes/pki/sa.pub': 'SA PUB',
      }),
    );
    assert.equal(data.format, 'ignition');
    assert.equal(data.role, 'init');
    assert.equal(data.apiServerEndpoint, '127.0.11.5:6443');
    assert.equal(data.kubernetesVersion, 'v1.34.5-3');
    assert.equal(data.providerId, 'dcs://lab-b-cp-x');
    assert.deepEqual(data.nodeLabels, { 'kube-ovn/role': 'master', zone: 'a' });
    assert.deepEqual(data.pki, { caCert: 'CA CERT', caKey: 'CA KEY', saKey: undefined, saPub: 'SA PUB' });
    assert.match(data.clusterConfiguration ?? '', /^apiVersion: kubeadm\.k8s\.io\/v1beta4\nkind: ClusterConfiguration\n/);
    assert.doesNotMatch(data.clusterConfiguration ?? '', /InitConfiguration/);
  });

  it('cloud-config worker join (kubeadm v1beta3 map arguments, a base64 file)', () => {
    const text = `#cloud-config\nwrite_files:\n-   path: /run/kubeadm/kubeadm-join-config.yaml\n    encoding: b64\n    content: ${Buffer.from(JOIN_WORKER).toString('base64')}\n`;
    const data = readKubeadmBootstrap(text);
    assert.equal(data.format, 'cloud-config');
    assert.equal(data.role, 'join-worker');
    assert.equal(data.apiServerEndpoint, '127.0.11.5:6443');
    assert.equal(data.providerId, 'dcs://lab-b-wk-x');
    assert.equal(data.pki, undefined);
  });

  it('a control-plane join, and data that is not kubeadm', () => {
    const join = JOIN_WORKER.replace('nodeRegistration:', 'controlPlane: {localAPIEndpoint: {bindPort: 6443}}\nnodeRegistration:');
    assert.equal(readKubeadmBootstrap(ignition({ '/etc/kubeadm.yml': join })).role, 'join-control-plane');
    assert.throws(() => readKubeadmBootstrap(ignition({ '/etc/motd': 'hello' })), BootstrapDataError);
    assert.throws(() => readKubeadmBootstrap('plain text'), BootstrapDataError);
    assert.throws(() => readKubeadmBootstrap(ignition({ '/etc/kubeadm.yml': `${CLUSTER_CONFIGURATION}---\n${INIT}` })), /ca\.crt/);
  });
});
