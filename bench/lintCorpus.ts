// The corpus of bench/lint.ts: 1,000 DCS workload clusters of the full shape of
// schemas/examples/dcs-cluster-v1beta2.yaml, 50 objects each (4 to 9 worker pools, ConfigMaps make up the
// rest), laid out as teams keep them: a folder per cluster (infra, control plane, workers, add-ons) and a
// few big fleet bundles. A sprinkling of mistakes: some only a schema sees, some only a cross-document rule.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OBJECTS_PER_CLUSTER = 50;
/** Clusters from this number on are written into fleet bundles instead of folders. */
const BUNDLED_FROM = 0.9;
const CLUSTERS_PER_BUNDLE = 20;

export interface Corpus {
  readonly files: number;
  readonly resources: number;
  /** Documents a schema rejects (kubeconform reports each as one invalid resource). */
  readonly schemaInvalid: number;
  /** Problems capi-dcs must report, by rule id. */
  readonly expected: Readonly<Record<string, number>>;
}

type Docs = Record<'infra' | 'controlPlane' | 'workers' | 'addons', string[]>;

interface ExampleDocs {
  readonly byName: ReadonlyMap<string, string>;
}

function readExample(root: string): ExampleDocs {
  const text = readFileSync(join(root, 'schemas', 'examples', 'dcs-cluster-v1beta2.yaml'), 'utf8');
  const byName = new Map<string, string>();
  for (const doc of text.split(/^---$/m)) {
    const body = doc.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n').trim();
    const kind = /^kind: (\S+)/m.exec(body)?.[1];
    const name = /^ {2}name: (\S+)/m.exec(body)?.[1];
    if (kind && name) byName.set(`${kind}/${name}`, body);
  }
  return { byName };
}

function exampleDoc(example: ExampleDocs, key: string): string {
  const doc = example.byName.get(key);
  if (doc === undefined) throw new Error(`the v1beta2 example has no ${key}`);
  return doc;
}

function replaceAll(text: string, pairs: readonly (readonly [string, string])[]): string {
  return pairs.reduce((t, [from, to]) => t.replaceAll(from, to), text);
}

/** 127.A.B: a /24 of loopback per cluster, so no two pools share an address. */
function networkOf(i: number): string {
  return `127.${String(1 + Math.floor(i / 250))}.${String(i % 250)}`;
}

function poolsOf(i: number): number {
  return 4 + (i % 6);
}

function filesSecret(c: string): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${c}-kubernetes-files
  namespace: cpaas-system
  labels:
    cluster.x-k8s.io/cluster-name: ${c}
type: Opaque
stringData:
  psa-config.yaml: |
    apiVersion: apiserver.config.k8s.io/v1
    kind: AdmissionConfiguration
    plugins:
      - name: PodSecurity
        configuration:
          apiVersion: pod-security.admission.config.k8s.io/v1
          kind: PodSecurityConfiguration
          defaults: {enforce: baseline, audit: restricted, warn: restricted}
          exemptions: {namespaces: [kube-system, cpaas-system]}
  control-plane-kubelet-patch.json: '{"serverTLSBootstrap": true, "protectKernelDefaults": true}'
  worker-kubelet-patch.json: '{"serverTLSBootstrap": true, "maxPods": 200}'`;
}

/** `selector`: more lines of spec.selector, after the cluster-name label. */
function healthCheck(c: string, name: string, selector: string, timeout: number): string {
  return `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineHealthCheck
metadata:
  name: ${c}-${name}
  namespace: cpaas-system
spec:
  clusterName: ${c}
  selector:
    matchLabels:
      cluster.x-k8s.io/cluster-name: ${c}
${selector}
  checks:
    nodeStartupTimeoutSeconds: 1200
    unhealthyNodeConditions:
      - {type: Ready, status: Unknown, timeoutSeconds: ${String(timeout)}}
      - {type: Ready, status: "False", timeoutSeconds: ${String(timeout)}}
  remediation:
    triggerIf: {unhealthyLessThanOrEqualTo: 1}`;
}

function addon(c: string, n: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${c}-addon-${String(n)}
  namespace: cpaas-system
  labels:
    cluster.x-k8s.io/cluster-name: ${c}
    addons.cpaas.io/component: component-${String(n)}
data:
  values.yaml: |
    replicas: ${String(1 + (n % 3))}
    image: {repository: registry.lab.invalid/alauda/component-${String(n)}, tag: v4.3.${String(n)}}
    resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: "1", memory: 512Mi}}
    nodeSelector: {kubernetes.io/os: linux}
  enabled: "true"`;
}

interface Mistakes {
  schemaInvalid: number;
  readonly expected: Record<string, number>;
}

function count(m: Mistakes, rule: string, n = 1): void {
  m.expected[rule] = (m.expected[rule] ?? 0) + n;
}

/** The 50 documents of cluster i, by the file they belong in. */
function clusterDocs(example: ExampleDocs, i: number, m: Mistakes): Docs {
  const c = `c${String(i + 1).padStart(4, '0')}`;
  const net = networkOf(i);
  const common: [string, string][] = [['dcs-kubernetes-1.34-files', `${c}-kubernetes-files`], ['lab-b', c], ['127.0.11.', `${net}.`]];
  const docs: Docs = { infra: [], controlPlane: [], workers: [], addons: [] };
  docs.infra.push(exampleDoc(example, 'Namespace/cpaas-system'));
  docs.infra.push(replaceAll(exampleDoc(example, 'Secret/dcs-lab-b'), common));
  docs.infra.push(filesSecret(c));
  docs.infra.push(replaceAll(exampleDoc(example, 'DCSCluster/lab-b'), common));
  docs.infra.push(replaceAll(exampleDoc(example, 'DCSIpHostnamePool/lab-b-cp-pool'), common));
  docs.infra.push(replaceAll(exampleDoc(example, 'DCSMachineTemplate/lab-b-cp-k8s1345'), common));

  docs.controlPlane.push(replaceAll(exampleDoc(example, 'Cluster/lab-b'), common));
  let kcp = replaceAll(exampleDoc(example, 'KubeadmControlPlane/lab-b-kcp'), common);
  if (i % 50 === 2) {
    kcp = kcp.replace('replicas: 3', 'replicas: 2');
    count(m, 'kcp-replicas-odd');
  }
  docs.controlPlane.push(kcp);
  docs.controlPlane.push(healthCheck(c, 'cp-unhealthy', '      cluster.x-k8s.io/control-plane: ""', 300));

  const pools = poolsOf(i);
  for (let k = 0; k < pools; k++) {
    const md = `${c}-md-${String(k)}`;
    const worker: [string, string][] = [
      ['lab-b-worker-pool', `${md}-pool`],
      ['lab-b-wk-k8s1345', `${md}-k8s1345`],
      ['lab-b-worker-kct', `${md}-kct`],
      ['lab-b-md-0', md],
      ['lab-b-wk-', `${md}-`],
      // Worker pool k takes .(k+2)1 and .(k+2)2: 21/22 for k 0, 31/32 for k 1, ...; a copy-paste slip
      // in some clusters gives pool 1 the addresses of pool 0 (two findings on each pool).
      ['127.0.11.2', `${net}.${String(k === 1 && i % 50 === 1 ? 2 : k + 2)}`],
      ...common,
    ];
    if (k === 1 && i % 50 === 1) count(m, 'pool-address-shared', 4);
    let template = replaceAll(exampleDoc(example, 'DCSMachineTemplate/lab-b-wk-k8s1345'), worker);
    let deployment = replaceAll(exampleDoc(example, 'MachineDeployment/lab-b-md-0'), worker);
    if (k === 1 && i % 10 === 3) {
      template = template.replace('dcsMachineCpuSpec', 'dcsMachineCPUSpec'); // unknown field
      m.schemaInvalid++;
      count(m, 'schema-unknown-field');
      count(m, 'schema-required');
    }
    if (k === 2 && i % 20 === 9) {
      deployment = deployment.replace('minReadySeconds: 30', 'minReadySeconds: "30s"'); // wrong type
      m.schemaInvalid++;
      count(m, 'schema-type');
    }
    if (k === 0 && i % 10 === 6) {
      deployment = deployment.replace(`name: ${md}-k8s1345`, `name: ${md}-k8s1344`); // a template that does not exist
      count(m, 'ref-not-found');
    }
    docs.workers.push(replaceAll(exampleDoc(example, 'DCSIpHostnamePool/lab-b-worker-pool'), worker), template);
    docs.workers.push(replaceAll(exampleDoc(example, 'KubeadmConfigTemplate/lab-b-worker-kct'), worker), deployment);
  }
  docs.workers.push(healthCheck(c, 'workers-unhealthy', '    matchExpressions:\n      - {key: pool.name, operator: Exists}', 600));
  const addons = OBJECTS_PER_CLUSTER - docs.infra.length - docs.controlPlane.length - docs.workers.length;
  for (let n = 0; n < addons; n++) docs.addons.push(addon(c, n));
  return docs;
}

const joinDocs = (docs: readonly string[]): string => `${docs.join('\n---\n')}\n`;

/** Writes the corpus into `dir` (which must exist and be empty) and says what is in it. */
export function writeCorpus(root: string, dir: string, clusters: number): Corpus {
  const example = readExample(root);
  const m: Mistakes = { schemaInvalid: 0, expected: {} };
  const bundledFrom = Math.floor(clusters * BUNDLED_FROM);
  let files = 0;
  let resources = 0;
  let bundle: string[] = [];
  const flush = (name: string): void => {
    if (bundle.length === 0) return;
    writeFileSync(join(dir, 'fleet', name), joinDocs(bundle));
    files++;
    bundle = [];
  };
  mkdirSync(join(dir, 'fleet'), { recursive: true });
  for (let i = 0; i < clusters; i++) {
    const docs = clusterDocs(example, i, m);
    resources += docs.infra.length + docs.controlPlane.length + docs.workers.length + docs.addons.length;
    if (i >= bundledFrom) {
      bundle.push(...docs.infra, ...docs.controlPlane, ...docs.workers, ...docs.addons);
      if ((i - bundledFrom + 1) % CLUSTERS_PER_BUNDLE === 0) flush(`fleet-${String(i + 1)}.yaml`);
      continue;
    }
    const folder = join(dir, 'clusters', `c${String(i + 1).padStart(4, '0')}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'infra.yaml'), joinDocs(docs.infra));
    writeFileSync(join(folder, 'control-plane.yaml'), joinDocs(docs.controlPlane));
    writeFileSync(join(folder, 'workers.yaml'), joinDocs(docs.workers));
    writeFileSync(join(folder, 'addons.yaml'), joinDocs(docs.addons));
    files += 4;
  }
  flush(`fleet-${String(clusters)}.yaml`);
  return { files, resources, schemaInvalid: m.schemaInvalid, expected: m.expected };
}
