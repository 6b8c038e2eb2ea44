// infrastructure-components.yaml of the DCS provider release: everything `clusterctl init` installs.
// The CRDs are read from schemas/crds/ and the controller's rules from config/rbac/ at build time, so
// the release never drifts from what the lab tests; the rest (namespace, service account, bindings,
// Deployment) is declared here.
import { readFile } from 'node:fs/promises';
import { parse, parseAllDocuments } from 'yaml';
import { yamlFilesIn } from '../lab/crds';
import { controllerRolePath, dcsCrdDir } from '../lab/projectPaths';

export const PROVIDER_LABEL = 'infrastructure-dcs';
export const COMPONENTS_NAMESPACE = 'capi-dcs-system';
export const SERVICE_ACCOUNT = 'capi-dcs-manager';
export const DEPLOYMENT = 'capi-dcs-controller-manager';
export const MANAGER_ROLE = 'capi-dcs-manager-role';
export const LEADER_ELECTION_ROLE = 'capi-dcs-leader-election-role';
export const AGGREGATED_ROLE = 'capi-dcs-aggregated-manager-role';
export const HEALTH_PORT = 9440;
export const METRICS_PORT = 8080;
/** The image the release builds and the components default to. clusterctl needs a canonical name
 * (registry included); `localhost/` marks a locally built image, which `kind load image-archive` keeps. */
export const IMAGE_NAME = 'capi-dcs-controller';
export const IMAGE_REPOSITORY = `localhost/${IMAGE_NAME}`;

/** clusterctl variables of infrastructure-components.yaml, with their defaults (documented in README). */
export function componentVariables(version: string): Readonly<Record<string, string>> {
  return { DCS_CONTROLLER_IMAGE: `${IMAGE_REPOSITORY}:${version}`, DCS_LOG_LEVEL: 'info' };
}

type Obj = Record<string, unknown>;
interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const LEASE_GROUP = 'coordination.k8s.io';
const RBAC = 'rbac.authorization.k8s.io';

/** Every object of the components file, in the order clusterctl and kubectl apply them. */
export async function componentObjects(version: string): Promise<Obj[]> {
  const vars = componentVariables(version);
  const placeholder = (name: string): string => `\${${name}:=${vars[name] ?? ''}}`;
  const { clusterWide, leaderElection } = await controllerRules();
  const labels = { 'cluster.x-k8s.io/provider': PROVIDER_LABEL, 'control-plane': DEPLOYMENT };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: COMPONENTS_NAMESPACE } },
    ...(await crds()),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SERVICE_ACCOUNT, namespace: COMPONENTS_NAMESPACE } },
    { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: MANAGER_ROLE }, rules: clusterWide },
    binding('ClusterRoleBinding', MANAGER_ROLE, undefined),
    { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: LEADER_ELECTION_ROLE, namespace: COMPONENTS_NAMESPACE }, rules: leaderElection },
    binding('RoleBinding', LEADER_ELECTION_ROLE, COMPONENTS_NAMESPACE),
    aggregatedManagerRole(),
    deployment(placeholder('DCS_CONTROLLER_IMAGE'), placeholder('DCS_LOG_LEVEL'), labels),
  ];
}

/** The CRDs in schemas/crds/, as generated (their contract labels included). */
async function crds(): Promise<Obj[]> {
  const out: Obj[] = [];
  for (const file of await yamlFilesIn(dcsCrdDir())) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      const value = doc.toJS() as Obj | null;
      if (value?.kind === 'CustomResourceDefinition') out.push(value);
    }
  }
  if (out.length === 0) throw new Error(`no CRDs in ${dcsCrdDir()}`);
  return out;
}

/**
 * The rules of config/rbac/controller-role.yaml, split: Lease rights go to a Role in the provider's
 * namespace (the only place it keeps its Lease), everything else stays cluster-wide.
 */
export async function controllerRules(): Promise<{ clusterWide: PolicyRule[]; leaderElection: PolicyRule[] }> {
  const role = parse(await readFile(controllerRolePath(), 'utf8')) as { kind?: string; rules?: PolicyRule[] } | null;
  if (role?.kind !== 'ClusterRole' || !Array.isArray(role.rules)) throw new Error(`${controllerRolePath()} does not hold a ClusterRole with rules`);
  const isLease = (r: PolicyRule): boolean => r.apiGroups.includes(LEASE_GROUP);
  const leaderElection = role.rules.filter(isLease);
  if (leaderElection.length === 0) throw new Error(`${controllerRolePath()} has no ${LEASE_GROUP} rule for leader election`);
  return { clusterWide: role.rules.filter((r) => !isLease(r)), leaderElection };
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', role: string, namespace: string | undefined): Obj {
  const name = role.replace(/-role$/, '-rolebinding');
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: namespace ? { name, namespace } : { name },
    roleRef: { apiGroup: RBAC, kind: kind === 'RoleBinding' ? 'Role' : 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: COMPONENTS_NAMESPACE }],
  };
}

/** Cluster API's core manager reads and writes the provider's kinds through this aggregated role. */
function aggregatedManagerRole(): Obj {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: AGGREGATED_ROLE, labels: { 'cluster.x-k8s.io/aggregate-to-manager': 'true' } },
    rules: [
      {
        apiGroups: ['infrastructure.cluster.x-k8s.io'],
        resources: ['dcsclusters', 'dcsclusters/status', 'dcsmachines', 'dcsmachines/status', 'dcsmachinetemplates', 'dcsiphostnamepools'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
    ],
  };
}

function deployment(image: string, logLevel: string, labels: Readonly<Record<string, string>>): Obj {
  const probe = (path: string): Obj => ({ httpGet: { path, port: 'healthz' }, periodSeconds: 10, timeoutSeconds: 2 });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: DEPLOYMENT, namespace: COMPONENTS_NAMESPACE, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT,
          // The controller stops within 20 s of SIGTERM (in-flight reconciles end, the Lease is released).
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'manager',
              image,
              imagePullPolicy: 'IfNotPresent',
              args: [
                '--leader-elect',
                '--leader-election-namespace=$(POD_NAMESPACE)',
                // Bound to every interface inside the pod: the kubelet probes the pod IP.
                `--health-addr=0.0.0.0:${HEALTH_PORT}`,
                `--metrics-addr=0.0.0.0:${METRICS_PORT}`,
                `--log-level=${logLevel}`,
              ],
              env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
              ports: [
                { name: 'healthz', containerPort: HEALTH_PORT, protocol: 'TCP' },
                { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
              ],
              livenessProbe: { ...probe('/healthz'), initialDelaySeconds: 15 },
              readinessProbe: probe('/readyz'),
              resources: { requests: { cpu: '100m', memory: '160Mi' }, limits: { memory: '512Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}
