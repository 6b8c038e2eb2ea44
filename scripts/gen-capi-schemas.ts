// Build step: copies the Cluster API CRDs the catalog needs (core, kubeadm bootstrap, kubeadm control
// plane; every served version) from the pinned sigs.k8s.io/cluster-api module into one JSON file.
// Usage: node --import tsx scripts/gen-capi-schemas.ts [--if-stale] [outDir]   (default dist/schemas)
// --if-stale: only when the file is missing or was made from another version than tools/versions.json pins.
// Build output, not committed. Needs Go; `go mod download` reads the module cache or the module proxy.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { CAPI_SCHEMA_FILE, readCapiBundle, type CapiSchemaBundle } from '../src/shared/schema/bundled';
import { isCustomResourceDefinition, type CustomResourceDefinition } from '../src/shared/schema/crd';

const MODULE = 'sigs.k8s.io/cluster-api';

/** CRD files inside the module (v1.14 layout), one per kind the catalog serves. */
export const CAPI_CRD_FILES = [
  'core/config/crd/bases/cluster.x-k8s.io_clusters.yaml',
  'core/config/crd/bases/cluster.x-k8s.io_clusterclasses.yaml',
  'core/config/crd/bases/cluster.x-k8s.io_machines.yaml',
  'core/config/crd/bases/cluster.x-k8s.io_machinesets.yaml',
  'core/config/crd/bases/cluster.x-k8s.io_machinedeployments.yaml',
  'core/config/crd/bases/cluster.x-k8s.io_machinehealthchecks.yaml',
  'controlplane/kubeadm/config/crd/bases/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml',
  'controlplane/kubeadm/config/crd/bases/controlplane.cluster.x-k8s.io_kubeadmcontrolplanetemplates.yaml',
  'bootstrap/kubeadm/config/crd/bases/bootstrap.cluster.x-k8s.io_kubeadmconfigs.yaml',
  'bootstrap/kubeadm/config/crd/bases/bootstrap.cluster.x-k8s.io_kubeadmconfigtemplates.yaml',
];

export function pinnedCapiVersion(root: string): string {
  const versions = JSON.parse(readFileSync(join(root, 'tools/versions.json'), 'utf8')) as { clusterApi?: string };
  if (!versions.clusterApi) throw new Error('tools/versions.json has no clusterApi version');
  return versions.clusterApi;
}

/** The module's directory in the Go module cache (downloads it when missing). */
export function capiModuleDir(version: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${MODULE}@${version}: ${info.Error ?? 'no Dir in the answer'}`);
  return info.Dir;
}

/** Keeps what the catalog reads; drops conversion, status and other server-side parts. */
function trimCrd(crd: CustomResourceDefinition): CustomResourceDefinition {
  return {
    apiVersion: crd.apiVersion,
    kind: crd.kind,
    metadata: { name: crd.metadata.name },
    spec: {
      group: crd.spec.group,
      names: crd.spec.names,
      scope: crd.spec.scope,
      versions: crd.spec.versions.map((v) => ({
        name: v.name,
        served: v.served,
        storage: v.storage,
        ...(v.deprecated === undefined ? {} : { deprecated: v.deprecated }),
        ...(v.deprecationWarning === undefined ? {} : { deprecationWarning: v.deprecationWarning }),
        ...(v.schema ? { schema: v.schema } : {}),
        ...(v.additionalPrinterColumns ? { additionalPrinterColumns: v.additionalPrinterColumns } : {}),
      })),
    },
  };
}

export function readCapiCrds(moduleDir: string): CustomResourceDefinition[] {
  return CAPI_CRD_FILES.map((file) => {
    const crd: unknown = parse(readFileSync(join(moduleDir, file), 'utf8'));
    if (!isCustomResourceDefinition(crd)) throw new Error(`${file} is not a CustomResourceDefinition`);
    return trimCrd(crd);
  });
}

/** Whether <outDir>/capi-crds.json exists, is readable and was made from the pinned Cluster API version. */
export function capiSchemasFresh(root: string, outDir: string): boolean {
  if (!existsSync(join(outDir, CAPI_SCHEMA_FILE))) return false;
  try {
    return readCapiBundle(outDir).version === pinnedCapiVersion(root);
  } catch {
    return false; // a corrupt bundle is regenerated
  }
}

/** Writes <outDir>/capi-crds.json atomically and returns its path. */
export function generateCapiSchemas(root: string, outDir: string): string {
  const version = pinnedCapiVersion(root);
  const bundle: CapiSchemaBundle = { module: MODULE, version, crds: readCapiCrds(capiModuleDir(version)) };
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, CAPI_SCHEMA_FILE);
  const temp = `${target}.${String(process.pid)}.tmp`;
  writeFileSync(temp, JSON.stringify(bundle));
  renameSync(temp, target); // readers running in parallel never see a half-written file
  return target;
}

function main(): void {
  const root = resolve(__dirname, '..');
  const args = process.argv.slice(2);
  const outDir = resolve(root, args.find((a) => !a.startsWith('--')) ?? 'dist/schemas');
  if (args.includes('--if-stale') && capiSchemasFresh(root, outDir)) return;
  const started = Date.now();
  const target = generateCapiSchemas(root, outDir);
  console.log(`[gen-capi-schemas] wrote ${target} in ${String(Date.now() - started)} ms`);
}

if (require.main === module) main();
