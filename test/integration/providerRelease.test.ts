// The provider release as users install it: clusterctl (built from the pinned Cluster API) reads the
// repository that `npm run release:provider` writes, renders its templates into manifests that the
// lint engine and the lab's API server accept, installs nothing the controller does not need, and the
// controller image runs from its unpacked layers as the non-root user, against the lab, as in a pod.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { version as packageVersion } from '../../package.json';
import { readInput } from '../../src/cli/files';
import { lintFiles } from '../../src/cli/lint';
import { CatalogSchemaChecker } from '../../server/engine/schemaChecker';
import { ensureCapiBinaries } from '../../src/lab/capiBinaries';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { freePort } from '../../src/lab/ports';
import { signalGroup, startServer, type ServerProcess } from '../../src/lab/processes';
import { kubeClient, sendJson } from '../../src/operate/kubeClient';
import { mergeSettings } from '../../src/shared/projectConfig';
import { loadBundledCatalog } from '../../src/shared/schema/bundled';
import { ManifestValidator } from '../../src/shared/schema/validate';
import { ObjectApi, type KubeObject } from '../../src/operate/objectApi';
import { COMPONENTS_NAMESPACE, DEPLOYMENT, HEALTH_PORT, IMAGE_REPOSITORY, METRICS_PORT, SERVICE_ACCOUNT } from '../../src/release/components';
import { buildControllerImage, ENTRYPOINT, type ImageBuild } from '../../src/release/image';
import { ensureImageTool } from '../../src/release/imageTool';
import { releaseVersion, writeProviderRelease, type ProviderRelease } from '../../src/release/repository';
import { FLAVORS } from '../../src/release/templates';
import { capiSchemaDir } from '../fixtures/schemas/examples';
import { loadKubeconfig, waitUntil } from './mgmtPlaneHelpers';
import { canI, describeAccess, documentedVariables, parseListedVariables, REPO_ROOT, runProgram, type Access } from './providerReleaseHelpers';

const VERSION = releaseVersion(packageVersion);
const README = join(REPO_ROOT, 'README.md');
const CLUSTER_NAMESPACE = 'cpaas-system';
const FIELD_MANAGER = 'capi-dcs-release-test';
const SA_USER = `system:serviceaccount:${COMPONENTS_NAMESPACE}:${SERVICE_ACCOUNT}`;
const SA_GROUPS = ['system:serviceaccounts', `system:serviceaccounts:${COMPONENTS_NAMESPACE}`, 'system:authenticated'];
const MB = 1024 * 1024;

/** The host's absolute path of a command (chroot lives in sbin, which the image's own PATH does not list). */
function hostCommand(name: string): string {
  return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
}

/**
 * argv that runs `argv` from the unpacked image as a container would: new PID and mount namespaces (the
 * entrypoint is PID 1 and has a /proc), chrooted into the layers, as the image's non-root user.
 * unshare --fork waits for it and exits with its status.
 */
function inContainer(rootfs: string, user: string, argv: readonly string[]): [string, string[]] {
  return [hostCommand('unshare'), ['--mount', '--pid', '--fork', `--mount-proc=${join(rootfs, 'proc')}`, hostCommand('chroot'), `--userspec=${user}`, rootfs, ...argv]];
}

/** Values for every required template variable; loopback addresses, as everything the lab sees. */
const TEMPLATE_VALUES: Record<string, string> = {
  DCS_USER: 'capi-sim',
  DCS_PASSWORD: 'sim-Passw0rd!',
  DCS_ENDPOINT: 'https://127.0.0.1:7443',
  DCS_SITE: 'SIM0001A',
  DCS_VM_TEMPLATE: 'alaudaos-v4.3.2-x86',
  CONTROL_PLANE_ENDPOINT_HOST: '127.0.20.10',
  CP_IP_1: '127.0.20.11',
  CP_IP_2: '127.0.20.12',
  CP_IP_3: '127.0.20.13',
  WORKER_IP_1: '127.0.20.21',
  WORKER_IP_2: '127.0.20.22',
  NODE_GATEWAY: '127.0.20.1',
  NODE_DNS: '127.0.0.53',
  SSH_AUTHORIZED_KEY: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO2bXyjhIK0zlGVm9x4QSwTWdCn1rRwPbbwVbmxNN2vB boot@capi-dcs',
};

function flavorLabel(name: string): string {
  return name === '' ? 'default' : name;
}

describe('DCS provider release: clusterctl repository, components and image', () => {
  let work: string;
  let release: ProviderRelease;
  let clusterctl: string;
  let plane: ManagementPlane;
  let admin: KubeConfig;
  let objects: ObjectApi;
  /** infrastructure-components.yaml as clusterctl renders it with the variables' defaults. */
  let components: KubeObject[];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'capi-dcs-release-'));
    const log = (line: string): void => console.log(line);
    const [written, capi, started] = await Promise.all([
      writeProviderRelease(join(work, 'repository'), VERSION),
      ensureCapiBinaries({ only: ['clusterctl'], log }),
      startManagementPlane({ log }),
    ]);
    release = written;
    plane = started;
    const path = capi.paths.clusterctl;
    assert.ok(path, 'ensureCapiBinaries returned no clusterctl');
    clusterctl = path;
    admin = loadKubeconfig(plane.kubeconfigPath);
    objects = new ObjectApi(kubeClient(admin));
    const rendered = await runProgram(clusterctl, ['generate', 'yaml', '--from', release.componentsPath], clusterctlEnv());
    components = parseAllDocuments(rendered)
      .map((d) => d.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null);
  });

  after(async () => {
    await plane.stop();
    await rm(work, { recursive: true, force: true });
  });

  /** No clusterctl configuration or variables from the machine running the test. */
  function clusterctlEnv(): NodeJS.ProcessEnv {
    const home = join(work, 'home');
    return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
  }

  it('writes the repository clusterctl expects, with metadata for the release series', () => {
    assert.ok(release.dir.endsWith(join('infrastructure-dcs', VERSION)));
    const metadata = parse(readFileSync(join(release.dir, 'metadata.yaml'), 'utf8')) as { kind: string; releaseSeries: { major: number; minor: number; contract: string }[] };
    const [major, minor] = VERSION.slice(1).split('.').map(Number);
    assert.equal(metadata.kind, 'Metadata');
    assert.deepEqual(metadata.releaseSeries, [{ major, minor, contract: 'v1beta2' }]);
    const config = parse(readFileSync(release.clusterctlConfigPath, 'utf8')) as { providers: { name: string; type: string; url: string }[] };
    assert.deepEqual(config.providers, [{ name: 'dcs', type: 'InfrastructureProvider', url: `file://${join(release.dir, '..', 'latest', 'infrastructure-components.yaml')}` }]);
  });

  it('is a repository clusterctl installs from: components through the clusterctl.yaml it writes, templates by flavor', async () => {
    const env = { ...clusterctlEnv(), DCS_LOG_LEVEL: 'debug' };
    const config = ['--config', release.clusterctlConfigPath];
    // No version: clusterctl resolves `latest` to this release, whose series meets its contract (v1beta2).
    const rendered = await runProgram(clusterctl, ['generate', 'provider', '--infrastructure', 'dcs', '--target-namespace', 'dcs-ops', ...config], env);
    const objects = parseAllDocuments(rendered).map((d) => d.toJS() as KubeObject);
    // clusterctl moved everything into the target namespace, labelled it, and substituted the variables.
    assert.deepEqual([...new Set(objects.map((o) => o.metadata.namespace).filter(Boolean))], ['dcs-ops']);
    assert.ok(objects.every((o) => o.metadata.labels?.['cluster.x-k8s.io/provider'] === 'infrastructure-dcs'));
    assert.ok(podSpecOf(objects).containers[0]?.args.includes('--log-level=debug'));
    const listed = await runProgram(clusterctl, ['generate', 'cluster', 'prod', '--infrastructure', `dcs:${VERSION}`, '--flavor', 'ha', '--target-namespace', CLUSTER_NAMESPACE, '--list-variables', ...config], env);
    assert.ok(parseListedVariables(listed).required.includes('CP_IP_3'), listed);
  });

  it('ships the CRDs of schemas/crds with their contract labels', () => {
    const crds = components.filter((o) => o.kind === 'CustomResourceDefinition');
    const expected = execFileSync('ls', [join(REPO_ROOT, 'schemas', 'crds')], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/\.yaml$/, '').split('_').reverse().join('.'));
    assert.deepEqual(crds.map((c) => c.metadata.name).sort(), expected.sort());
    for (const crd of crds) {
      assert.equal(crd.metadata.labels?.['cluster.x-k8s.io/v1beta2'], 'v1beta1', `${crd.metadata.name} contract label`);
    }
  });

  it('lists exactly the documented provider variables, and renders their documented defaults', async () => {
    const listed = parseListedVariables(await runProgram(clusterctl, ['generate', 'yaml', '--from', release.componentsPath, '--list-variables'], clusterctlEnv()));
    const documented = new Map(documentedVariables(README, 'provider variable').map((v) => [v.name, v.default]));
    assert.deepEqual(listed.names, [...documented.keys()].sort());
    // Rendered without values (in `before`), the Deployment carries the documented defaults.
    const container = podSpecOf(components).containers[0];
    assert.equal(container?.image, documented.get('DCS_CONTROLLER_IMAGE'));
    assert.ok(container?.args.includes(`--log-level=${documented.get('DCS_LOG_LEVEL') ?? '?'}`), container?.args.join(' '));
  });

  for (const flavor of FLAVORS) {
    it(`lists exactly the documented variables of the ${flavorLabel(flavor.name)} template`, async () => {
      const args = ['generate', 'cluster', 'prod', '--from', join(release.dir, flavor.file), '--target-namespace', CLUSTER_NAMESPACE, '--list-variables'];
      const listed = parseListedVariables(await runProgram(clusterctl, args, clusterctlEnv()));
      const documented = documentedVariables(README, 'template variable').filter((v) => !v.flavors || v.flavors.includes(flavor.name));
      assert.deepEqual(listed.required, documented.filter((v) => v.default === undefined).map((v) => v.name).sort(), 'required variables');
      assert.deepEqual([...listed.optional.keys()].sort(), documented.filter((v) => v.default !== undefined).map((v) => v.name).sort(), 'optional variables');
      // Defaults written as `value` in the README are the template's own.
      for (const v of documented) {
        if (v.default !== undefined && !/[` ]/.test(v.default) && !['CLUSTER_NAME', 'NAMESPACE', 'CONTROL_PLANE_MACHINE_COUNT', 'WORKER_MACHINE_COUNT'].includes(v.name)) {
          assert.equal(listed.optional.get(v.name), v.default, `default of ${v.name}`);
        }
      }
    });
  }

  it('renders each template from a variables file into manifests that lint clean and the API server accepts (dry run)', async () => {
    await objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: CLUSTER_NAMESPACE } }, { fieldManager: FIELD_MANAGER });
    // The lint engine with the schemas the editor bundles (CAPI's CRDs of the pinned release, the DCS CRDs).
    const schemas = new CatalogSchemaChecker(new ManifestValidator(loadBundledCatalog(capiSchemaDir())));
    const variablesFile = join(work, 'variables.yaml');
    writeFileSync(variablesFile, stringify(TEMPLATE_VALUES));
    for (const flavor of FLAVORS) {
      const label = flavorLabel(flavor.name);
      const output = join(work, `prod-${label}.yaml`);
      await runProgram(
        clusterctl,
        ['generate', 'cluster', `prod-${label}`, '--from', join(release.dir, flavor.file), '--config', variablesFile, '--target-namespace', CLUSTER_NAMESPACE, '--kubernetes-version', 'v1.33.4', '--worker-machine-count', '2', '--write-to', output],
        clusterctlEnv(),
      );
      const input = await readInput(output, work, () => Promise.reject(new Error('no stdin')));
      const { problems } = lintFiles([input], { settings: mergeSettings(), variables: undefined, schemas });
      // One control-plane machine is worth a note (no redundancy); nothing else is.
      const expected = flavor.name === '' ? ['info kcp-single-replica'] : [];
      assert.deepEqual(problems.map((p) => `${p.severity} ${p.ruleId}`), expected, `${label}: ${JSON.stringify(problems)}`);

      const manifests = parseAllDocuments(await readFile(output, 'utf8')).map((d) => d.toJS() as KubeObject);
      assert.ok(manifests.length >= 10, `${label}: ${manifests.length} objects`);
      for (const object of manifests) {
        assert.equal(object.metadata.namespace, CLUSTER_NAMESPACE, `${label}: ${object.kind} ${object.metadata.name}`);
        await objects.apply(object, { dryRun: true, fieldManager: FIELD_MANAGER });
      }
    }
  });

  it('applies infrastructure-components.yaml to the lab: server-side dry run, then for real', async () => {
    const kinds = components.map((o) => o.kind);
    for (const kind of ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Deployment']) assert.ok(kinds.includes(kind), kind);
    // The namespace first, as clusterctl creates it: a dry run of the namespaced objects needs it.
    const [namespace, ...rest] = components;
    assert.equal(namespace?.kind, 'Namespace');
    await objects.apply(namespace, { dryRun: true, fieldManager: FIELD_MANAGER });
    await objects.apply(namespace, { fieldManager: FIELD_MANAGER });
    // force: the lab applied the same CRDs under its own field manager.
    for (const dryRun of [true, false]) {
      for (const object of rest) await objects.apply(object, { dryRun, fieldManager: FIELD_MANAGER, force: true });
    }
    const live = await objects.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: DEPLOYMENT, namespace: COMPONENTS_NAMESPACE });
    assert.ok(live, 'the Deployment exists');
    const pod = (live.spec as { template: { spec: PodSpec } }).template.spec;
    const container = pod.containers[0];
    assert.ok(container);
    assert.equal(container.image, `${IMAGE_REPOSITORY}:${VERSION}`);
    assert.ok(container.args.includes('--log-level=info'));
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(container.ports.map((p) => p.containerPort).sort(), [METRICS_PORT, HEALTH_PORT].sort());
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
  });

  it('lets the controller ServiceAccount do what the controller needs and nothing more', async () => {
    const ns = CLUSTER_NAMESPACE;
    const dcs = 'infrastructure.cluster.x-k8s.io';
    const allowed: Access[] = [
      { verb: 'list', group: dcs, resource: 'dcsmachines' },
      { verb: 'watch', group: dcs, resource: 'dcsclusters' },
      { verb: 'patch', group: dcs, resource: 'dcsmachines', namespace: ns },
      { verb: 'patch', group: dcs, resource: 'dcsiphostnamepools', subresource: 'status', namespace: ns },
      { verb: 'list', group: 'cluster.x-k8s.io', resource: 'machines' },
      { verb: 'watch', group: 'cluster.x-k8s.io', resource: 'clusters' },
      { verb: 'get', group: '', resource: 'secrets', namespace: ns, name: 'prod-dcs-credentials' },
      { verb: 'create', group: '', resource: 'events', namespace: ns },
      { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: COMPONENTS_NAMESPACE },
      { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: COMPONENTS_NAMESPACE, name: 'capi-dcs-controller-leader' },
    ];
    const denied: Access[] = [
      { verb: 'list', group: '', resource: 'secrets', namespace: ns },
      { verb: 'watch', group: '', resource: 'secrets' },
      { verb: 'create', group: '', resource: 'secrets', namespace: ns },
      { verb: 'create', group: dcs, resource: 'dcsmachines', namespace: ns },
      { verb: 'delete', group: dcs, resource: 'dcsmachines', namespace: ns },
      { verb: 'get', group: dcs, resource: 'dcsmachinetemplates', namespace: ns },
      { verb: 'update', group: dcs, resource: 'dcsclusters', namespace: ns },
      { verb: 'patch', group: 'cluster.x-k8s.io', resource: 'machines', namespace: ns },
      { verb: 'delete', group: 'cluster.x-k8s.io', resource: 'clusters', namespace: ns },
      { verb: 'create', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-system' },
      { verb: 'delete', group: 'coordination.k8s.io', resource: 'leases', namespace: COMPONENTS_NAMESPACE },
      { verb: 'list', group: '', resource: 'events', namespace: ns },
      { verb: 'create', group: '', resource: 'pods', namespace: COMPONENTS_NAMESPACE },
      { verb: 'get', group: '', resource: 'configmaps', namespace: ns },
    ];
    for (const access of allowed) assert.equal(await canI(kubeClient(admin), SA_USER, SA_GROUPS, access), true, `allowed: ${describeAccess(access)}`);
    for (const access of denied) assert.equal(await canI(kubeClient(admin), SA_USER, SA_GROUPS, access), false, `denied: ${describeAccess(access)}`);
  });

  // chroot and unshare need root (CI and the developers' machines run as root).
  describe('the controller image', { skip: process.getuid?.() !== 0 && 'needs root for chroot and unshare' }, () => {
    let image: ImageBuild;
    let tool: string;
    let rootfs: string;
    /** The user the image config names; the tarball test checks it is the non-root 65532. */
    const imageUser = '65532:65532';

    before(async () => {
      const started = Date.now();
      image = await buildControllerImage(join(work, 'image'), VERSION, (line) => console.log(line));
      tool = await ensureImageTool();
      console.log(`[image] ${image.tag} ${image.digest}: ${(image.compressedBytes / MB).toFixed(1)} MB compressed, ${(image.uncompressedBytes / MB).toFixed(1)} MB uncompressed, built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      rootfs = join(work, 'rootfs');
      await mkdir(rootfs);
      await chmod(rootfs, 0o755); // the non-root user must reach its files
      execFileSync('bash', ['-o', 'pipefail', '-c', '"$0" unpack --oci-layout "$1" | tar -x -C "$2"', tool, image.ociLayoutDir, rootfs]);
      await mkdir(join(rootfs, 'proc')); // where the container's /proc is mounted
    });

    it('is under 80 MB compressed, and its tarball reads back as the same image', async () => {
      assert.ok(image.compressedBytes < 80 * MB, `${image.compressedBytes} bytes`);
      const fromTarball = JSON.parse(await runProgram(tool, ['inspect', '--tarball', image.tarballPath])) as {
        configDigest: string;
        layers: string[];
        config: { Entrypoint: string[]; User: string };
      };
      assert.equal(fromTarball.configDigest, image.configDigest, 'image ID');
      assert.equal(fromTarball.layers.length, 3);
      assert.deepEqual(fromTarball.config.Entrypoint, ENTRYPOINT);
      assert.equal(fromTarball.config.User, imageUser);
    });

    it('runs --version from its unpacked layers as the non-root user, as PID 1', async () => {
      const out = await runProgram(...inContainer(rootfs, imageUser, [...ENTRYPOINT, '--version']), { PATH: '/usr/local/bin:/usr/bin:/bin' });
      assert.equal(out.trim(), `capi-dcs-controller ${packageVersion}`);
    });

    it('starts against the lab as in a pod (service account token, Deployment args), leads, and exits 0 on SIGTERM', async () => {
      const container = podSpecOf(components).containers[0];
      assert.ok(container);
      const [healthPort, metricsPort] = [await freePort(), await freePort()];
      // The Deployment's own flags, on loopback ports (in a pod they listen on the pod IP).
      const args = container.args.map((a) =>
        a
          .replace('$(POD_NAMESPACE)', COMPONENTS_NAMESPACE)
          .replace(`0.0.0.0:${HEALTH_PORT}`, `127.0.0.1:${healthPort}`)
          .replace(`0.0.0.0:${METRICS_PORT}`, `127.0.0.1:${metricsPort}`),
      );
      await mountServiceAccount(rootfs, admin);
      const marker = join(work, 'marker');
      await writeFile(marker, '');
      const server = new URL(plane.serverUrl);
      const env = { PATH: '/usr/local/bin:/usr/bin:/bin', KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port, POD_NAMESPACE: COMPONENTS_NAMESPACE };
      const logPath = join(work, 'controller-image.log');
      const proc = await startServer('controller-image', ...inContainer(rootfs, imageUser, [...ENTRYPOINT, ...args]), logPath, env);
      try {
        await waitUntil(async () => (await httpStatus(`http://127.0.0.1:${healthPort}/readyz`)) === 200, 'the controller in the image to be ready', 60_000);
        const leases = admin.makeApiClient(CoordinationV1Api);
        await waitUntil(
          async () => ((await leases.readNamespacedLease({ name: 'capi-dcs-controller-leader', namespace: COMPONENTS_NAMESPACE }).catch(() => undefined))?.spec?.holderIdentity ?? '') !== '',
          'the leader Lease',
          30_000,
        );
        assert.match(await httpBody(`http://127.0.0.1:${metricsPort}/metrics`), /capi_dcs_kube_api_requests_total/);

        const stoppedAt = Date.now();
        signalGroup(proc.pid, 'SIGTERM');
        const code = await exitWithin(proc, 25_000);
        console.log(`[image] the controller exited ${code} ${Date.now() - stoppedAt} ms after SIGTERM`);
        assert.equal(code, 0, readFileSync(logPath, 'utf8'));
        const lines = readFileSync(logPath, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; user?: string });
        assert.ok(lines.some((l) => l.msg === 'became leader'));
        assert.ok(lines.some((l) => l.msg === 'stopped'));
        const lease = await leases.readNamespacedLease({ name: 'capi-dcs-controller-leader', namespace: COMPONENTS_NAMESPACE });
        assert.equal(lease.spec?.holderIdentity ?? '', '', 'the Lease is released on SIGTERM');
        // A read-only root filesystem is enough: it wrote nothing outside /tmp.
        const written = execFileSync('find', [rootfs, '-newer', marker, '-not', '-path', `${rootfs}/tmp*`, '-not', '-path', `${rootfs}/var/run/secrets*`, '-not', '-path', `${rootfs}/proc*`], { encoding: 'utf8' }).trim();
        assert.equal(written, '');
      } catch (err) {
        console.log(`[image] controller log:\n${readFileSync(logPath, 'utf8')}`);
        throw err;
      } finally {
        if (!proc.hasExited()) signalGroup(proc.pid, 'SIGKILL');
      }
    });
  });
});

function podSpecOf(objects: readonly KubeObject[]): PodSpec {
  const deployment = objects.find((o) => o.kind === 'Deployment');
  assert.ok(deployment, 'a Deployment');
  return (deployment.spec as { template: { spec: PodSpec } }).template.spec;
}

interface PodSpec {
  securityContext: { runAsNonRoot?: boolean };
  containers: {
    image: string;
    args: string[];
    ports: { containerPort: number }[];
    securityContext: { readOnlyRootFilesystem?: boolean };
    livenessProbe: { httpGet: { path: string } };
    readinessProbe: { httpGet: { path: string } };
    resources: { requests: { cpu?: string; memory?: string } };
  }[];
}

/** The files the kubelet mounts into a pod for its service account: a token from the lab (TokenRequest), its CA, the namespace. */
async function mountServiceAccount(rootfs: string, admin: KubeConfig): Promise<void> {
  const request = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: 3600 } };
  const path = `/api/v1/namespaces/${COMPONENTS_NAMESPACE}/serviceaccounts/${SERVICE_ACCOUNT}/token`;
  const token = (await sendJson(kubeClient(admin), { method: 'POST', path, body: JSON.stringify(request), contentType: 'application/json' })) as { status?: { token?: string } };
  const cluster = admin.getCurrentCluster();
  const ca = cluster?.caData ? Buffer.from(cluster.caData, 'base64').toString('utf8') : readFileSync(cluster?.caFile ?? '', 'utf8');
  const dir = join(rootfs, 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = { token: token.status?.token ?? '', 'ca.crt': ca, namespace: COMPONENTS_NAMESPACE };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, { mode: 0o644 });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    request(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', () => resolve(0))
      .end();
  });
}

function httpBody(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

async function exitWithin(proc: ServerProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
