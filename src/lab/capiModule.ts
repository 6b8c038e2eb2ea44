// Locates the pinned sigs.k8s.io/cluster-api module in the Go module cache; its CRDs are installed from
// there, never from a copy in git.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from './errors';
import { runGo } from './goTool';
import { mgmtPlaneModuleDir } from './projectPaths';

const CAPI_MODULE = 'sigs.k8s.io/cluster-api';

/** CRD folders inside the CAPI v1.14 module: core, kubeadm bootstrap, kubeadm control plane. */
export const CAPI_CRD_FOLDERS = ['core/config/crd/bases', 'bootstrap/kubeadm/config/crd/bases', 'controlplane/kubeadm/config/crd/bases'];

/** Folder of the CAPI module version that tools/mgmt-plane/go.mod requires (downloaded if needed). */
export async function capiModuleDir(options: { go?: string; moduleDir?: string } = {}): Promise<string> {
  const cwd = options.moduleDir ?? mgmtPlaneModuleDir();
  const result = await runGo(['mod', 'download', '-json', CAPI_MODULE], { cwd, go: options.go });
  if (result.exitCode !== 0) {
    throw new LabError(`Could not download ${CAPI_MODULE} (go mod download in ${cwd}):\n${result.stderrTail}`);
  }
  const info = JSON.parse(result.stdout) as { Dir?: unknown; Error?: unknown };
  if (typeof info.Dir !== 'string') {
    throw new LabError(`go mod download ${CAPI_MODULE} gave no folder: ${JSON.stringify(info.Error ?? info)}`);
  }
  return info.Dir;
}

/** Every CRD YAML file of core CAPI and the kubeadm providers, sorted for a stable order. */
export async function capiCrdFiles(moduleDir: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of CAPI_CRD_FOLDERS) {
    const dir = join(moduleDir, folder);
    const names = await readdir(dir).catch((err: unknown) => {
      throw new LabError(`CAPI CRD folder ${dir} is missing; does the pinned release keep its CRDs elsewhere?`, { cause: err });
    });
    files.push(...names.filter((n) => n.endsWith('.yaml')).sort().map((n) => join(dir, n)));
  }
  return files;
}
