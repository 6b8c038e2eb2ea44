// Reads a machine's bootstrap data (what the kubeadm bootstrap provider rendered and the VM booted with)
// the way the guest would: Ignition (JSON, `storage.files[].contents.source` data URLs) or cloud-init
// (`#cloud-config`, `write_files[]`). It returns what kubeadm would act on: the role, the kubeadm
// configuration documents, the kubelet's provider ID and node labels, and the cluster's CA and
// service-account keys. The data holds private keys: nothing here logs it.
import { gunzipSync } from 'node:zlib';
import { parse, parseAllDocuments } from 'yaml';

export type KubeadmRole = 'init' | 'join-control-plane' | 'join-worker';

export interface BootstrapPki {
  readonly caCert: string;
  readonly caKey: string;
  readonly saKey: string | undefined;
  readonly saPub: string | undefined;
}

export interface KubeadmBootstrap {
  readonly format: 'ignition' | 'cloud-config';
  readonly role: KubeadmRole;
  /** The ClusterConfiguration document as written (init only): kubeadm publishes it in kube-system/kubeadm-config. */
  readonly clusterConfiguration: string | undefined;
  /** `host:port` of the workload API: controlPlaneEndpoint on init, the discovery endpoint on join. */
  readonly apiServerEndpoint: string;
  readonly kubernetesVersion: string | undefined;
  /** The kubelet's --provider-id and --node-labels. */
  readonly providerId: string | undefined;
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** The cluster CA and service-account keys from /etc/kubernetes/pki (init; joins get them through kubeadm). */
  readonly pki: BootstrapPki | undefined;
}

export class BootstrapDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootstrapDataError';
  }
}

const PKI = '/etc/kubernetes/pki';

/** Files the bootstrap data writes, by path. */
export function bootstrapFiles(text: string): { format: KubeadmBootstrap['format']; files: Map<string, string> } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return { format: 'ignition', files: ignitionFiles(trimmed) };
  if (trimmed.startsWith('#cloud-config') || trimmed.startsWith('## template: jinja')) return { format: 'cloud-config', files: cloudConfigFiles(trimmed) };
  throw new BootstrapDataError('bootstrap data is neither Ignition JSON nor #cloud-config');
}

export function readKubeadmBootstrap(text: string): KubeadmBootstrap {
  const { format, files } = bootstrapFiles(text);
  const docs = kubeadmDocuments(files);
  const init = docs.get('InitConfiguration');
  const join = docs.get('JoinConfiguration');
  const cluster = docs.get('ClusterConfiguration');
  const registration = (init ?? join)?.object.nodeRegistration as { kubeletExtraArgs?: unknown } | undefined;
  const args = kubeletArgs(registration?.kubeletExtraArgs);
  const common = { format, providerId: args.get('provider-id'), nodeLabels: labelsOf(args.get('node-labels')) };
  if (init) {
    const endpoint = cluster?.object.controlPlaneEndpoint;
    if (typeof endpoint !== 'string' || endpoint === '') throw new BootstrapDataError('the ClusterConfiguration has no controlPlaneEndpoint');
    const caCert = files.get(`${PKI}/ca.crt`);
    const caKey = files.get(`${PKI}/ca.key`);
    if (caCert === undefined || caKey === undefined) throw new BootstrapDataError(`the init bootstrap data has no ${PKI}/ca.crt and ca.key`);
    const version = cluster?.object.kubernetesVersion;
    return {
      ...common,
      role: 'init',
      clusterConfiguration: cluster?.text,
      apiServerEndpoint: endpoint,
      kubernetesVersion: typeof version === 'string' ? version : undefined,
      pki: { caCert, caKey, saKey: files.get(`${PKI}/sa.key`), saPub: files.get(`${PKI}/sa.pub`) },
    };
  }
  if (join) {
    const discovery = join.object.discovery as { bootstrapToken?: { apiServerEndpoint?: unknown } } | undefined;
    const endpoint = discovery?.bootstrapToken?.apiServerEndpoint;
    if (typeof endpoint !== 'string' || endpoint === '') throw new BootstrapDataError('the JoinConfiguration has no discovery.bootstrapToken.apiServerEndpoint');
    return {
      ...common,
      role: join.object.controlPlane ? 'join-control-plane' : 'join-worker',
      clusterConfiguration: undefined,
      apiServerEndpoint: endpoint,
      kubernetesVersion: undefined,
      pki: undefined,
    };
  }
  throw new BootstrapDataError('the bootstrap data carries neither an InitConfiguration nor a JoinConfiguration');
}

interface IgnitionFile {
  readonly path?: unknown;
  readonly contents?: { readonly source?: unknown; readonly compression?: unknown };
}

function ignitionFiles(text: string): Map<string, string> {
  let doc: { storage?: { files?: IgnitionFile[] } };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new BootstrapDataError('the Ignition bootstrap data is not JSON');
  }
  const files = new Map<string, string>();
  for (const file of doc.storage?.files ?? []) {
    const source = file.contents?.source;
    if (typeof file.path !== 'string' || typeof source !== 'string') continue;
    const bytes = dataUrlBytes(source);
    if (bytes) files.set(file.path, (file.contents?.compression === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8'));
  }
  return files;
}

/** `data:[<type>][;base64],<data>` (RFC 2397); other sources (remote URLs) are not the guest's to fetch here. */
function dataUrlBytes(source: string): Buffer | undefined {
  const match = /^data:([^,]*),(.*)$/s.exec(source);
  if (!match) return undefined;
  const [, meta = '', data = ''] = match;
  return meta.endsWith(';base64') ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
}

function cloudConfigFiles(text: string): Map<string, string> {
  const doc = parse(text) as { write_files?: { path?: unknown; content?: unknown; encoding?: unknown }[] } | null;
  const files = new Map<string, string>();
  for (const file of doc?.write_files ?? []) {
    if (typeof file.path !== 'string' || typeof file.content !== 'string') continue;
    const encoding = typeof file.encoding === 'string' ? file.encoding : '';
    let bytes = ['b64', 'base64', 'gz+b64', 'gzip+base64', 'gz+base64'].includes(encoding) ? Buffer.from(file.content, 'base64') : Buffer.from(file.content, 'utf8');
    if (encoding.startsWith('gz')) bytes = gunzipSync(bytes);
    files.set(file.path, bytes.toString('utf8'));
  }
  return files;
}

/** kubeadm's documents by kind, from whichever file holds them (/run/kubeadm/kubeadm.yaml, /etc/kubeadm.yml). */
function kubeadmDocuments(files: Map<string, string>): Map<string, { text: string; object: Record<string, unknown> }> {
  const found = new Map<string, { text: string; object: Record<string, unknown> }>();
  for (const content of files.values()) {
    if (!/kind:\s*(Init|Join|Cluster)Configuration/.test(content)) continue;
    for (const doc of parseAllDocuments(content)) {
      const object = doc.toJS() as Record<string, unknown> | null;
      const kind = object?.kind;
      if (object && typeof kind === 'string' && /^(Init|Join|Cluster)Configuration$/.test(kind)) found.set(kind, { text: doc.toString().replace(/^---\s*\n/, ''), object });
    }
  }
  return found;
}

/** kubeletExtraArgs: a list of {name, value} (kubeadm v1beta4) or a map (v1beta3). */
function kubeletArgs(value: unknown): Map<string, string> {
  const args = new Map<string, string>();
  if (Array.isArray(value)) {
    for (const item of value as { name?: unknown; value?: unknown }[]) if (typeof item.name === 'string' && typeof item.value === 'string') args.set(item.name, item.value);
  } else if (value && typeof value === 'object') {
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') args.set(name, v);
  }
  return args;
}

/** `--node-labels a=b,c=d`. */
function labelsOf(value: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const [key, v = ''] = pair.split('=');
    if (key) labels[key.trim()] = v.trim();
  }
  return labels;
}
