// Builds Cluster API's own programs (clusterctl and the core, kubeadm bootstrap and kubeadm control-plane
// managers) from tools/capi once per machine, into the cache next to kube-apiserver and etcd. Each
// binary is built on its own and renamed into place, so clusterctl is usable before the managers exist.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { cacheRoot, goBuild } from './binaries';
import { LabError } from './errors';
import { goCommand, goVersion, runGo } from './goTool';
import { capiToolsModuleDir, pinnedVersions, type PinnedVersions } from './projectPaths';

/** Binary name → main package in sigs.k8s.io/cluster-api. clusterctl first: it builds fastest and others wait for it. */
export const CAPI_PROGRAMS = {
  clusterctl: 'sigs.k8s.io/cluster-api/cmd/clusterctl',
  'capi-manager': 'sigs.k8s.io/cluster-api/core',
  'kubeadm-bootstrap-manager': 'sigs.k8s.io/cluster-api/bootstrap/kubeadm',
  'kubeadm-control-plane-manager': 'sigs.k8s.io/cluster-api/controlplane/kubeadm',
} as const;

export type CapiProgram = keyof typeof CAPI_PROGRAMS;
export const ALL_CAPI_PROGRAMS = Object.keys(CAPI_PROGRAMS) as CapiProgram[];

export interface EnsureCapiBinariesOptions {
  /** Build (or find) only these; default all four. */
  readonly only?: readonly CapiProgram[];
  readonly log?: (line: string) => void;
  readonly go?: string;
  readonly cacheRoot?: string;
  readonly moduleDir?: string;
  readonly versions?: PinnedVersions;
}

export interface EnsuredCapiBinaries {
  /** Cache folder of this key; each requested program is `join(dir, name)`. */
  readonly dir: string;
  /** Path of each requested program. */
  readonly paths: Readonly<Partial<Record<CapiProgram, string>>>;
  /** Programs this call built, with the time each took; empty when all were cached. */
  readonly built: readonly { readonly program: CapiProgram; readonly buildMs: number }[];
}

// controller-runtime's webhook server listens on every interface unless its Options.Host is set, and
// CAPI's managers have no flag for it. The lab binds only to loopback, so the build uses a copy of the
// pinned controller-runtime (made in the cache, never in git) whose webhook defaults add Host 127.0.0.1,
// through a generated go.mod (`go build -modfile`) that replaces the module with that copy.
const CONTROLLER_RUNTIME = 'sigs.k8s.io/controller-runtime';
const WEBHOOK_SERVER_FILE = join('pkg', 'webhook', 'server.go');
const WEBHOOK_DEFAULTS_ANCHOR = 'func (o *Options) setDefaults() {\n';
const WEBHOOK_LOOPBACK_DEFAULT = '\tif o.Host == "" {\n\t\to.Host = "127.0.0.1" // capi-dcs lab: loopback only\n\t}\n';

/** Stamps CAPI's own version package, as CAPI's release build does (`clusterctl version` reports it). */
export function capiLdflags(versions: PinnedVersions): string {
  const match = /^v(\d+)\.(\d+)\.\d+/.exec(versions.clusterApi);
  if (!match) throw new Error(`tools/versions.json: clusterApi "${versions.clusterApi}" is not vMAJOR.MINOR.PATCH`);
  const pkg = 'sigs.k8s.io/cluster-api/version';
  return [
    '-s -w',
    `-X ${pkg}.gitVersion=${versions.clusterApi}`,
    `-X ${pkg}.gitMajor=${match[1] ?? ''}`,
    `-X ${pkg}.gitMinor=${match[2] ?? ''}`,
    `-X ${pkg}.gitTreeState=clean`,
  ].join(' ');
}

/** Cache key: the CAPI version readable at a glance, plus a hash of the flags and the build module. */
export function capiBinariesKey(versions: PinnedVersions, ldflags: string, moduleDir: string): string {
  const hash = createHash('sha256').update(ldflags).update(`${process.platform}/${process.arch}`);
  hash.update(WEBHOOK_LOOPBACK_DEFAULT);
  for (const file of ['go.mod', 'go.sum']) {
    const path = join(moduleDir, file);
    hash.update(`\0${file}\0`).update(existsSync(path) ? readFileSync(path) : '');
  }
  return `cluster-api-${versions.clusterApi}_${hash.digest('hex').slice(0, 12)}`;
}

/** Returns the cached programs, building the missing ones first (one `go build` each, in a fixed order). */
export async function ensureCapiBinaries(options: EnsureCapiBinariesOptions = {}): Promise<EnsuredCapiBinaries> {
  const log = options.log ?? (() => undefined);
  const versions = options.versions ?? pinnedVersions;
  const moduleDir = options.moduleDir ?? capiToolsModuleDir();
  const ldflags = capiLdflags(versions);
  const dir = join(options.cacheRoot ?? cacheRoot(), 'bin', capiBinariesKey(versions, ldflags, moduleDir));
  const wanted = ALL_CAPI_PROGRAMS.filter((p) => (options.only ?? ALL_CAPI_PROGRAMS).includes(p));
  const paths = Object.fromEntries(wanted.map((p) => [p, join(dir, p)])) as Partial<Record<CapiProgram, string>>;
  const missing = wanted.filter((p) => !existsSync(join(dir, p)));
  const built: { program: CapiProgram; buildMs: number }[] = [];
  if (missing.length === 0) return { dir, paths, built };

  const go = options.go ?? goCommand();
  await mkdir(dir, { recursive: true });
  const toolchain = await goVersion({ cwd: moduleDir, go });
  const loopback = await writeLoopbackModule(go, moduleDir, dir, randomBytes(4).toString('hex'));
  log(`[capi-build] building ${missing.join(', ')} from cluster-api ${versions.clusterApi} with ${toolchain} (once per machine; several minutes on 2 cores)`);
  try {
    for (const program of missing) built.push(await buildOne(program));
  } finally {
    await rm(loopback.dir, { recursive: true, force: true });
  }
  return { dir, paths, built };

  async function buildOne(program: CapiProgram): Promise<{ program: CapiProgram; buildMs: number }> {
    const started = Date.now();
    const target = join(dir, program);
    // Built under a temporary name and renamed into place: a crash or a parallel build never leaves a
    // half-written binary under the real name (a parallel build's rename just replaces an equal file).
    const partial = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await goBuild({ go, moduleDir, ldflags, modfile: loopback.modfile, output: partial, packages: [CAPI_PROGRAMS[program]], log, started, label: `[capi-build] ${program}:` });
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
    const buildMs = Date.now() - started;
    await writeFile(`${target}.build.json`, `${JSON.stringify({ buildMs, builtAt: new Date().toISOString() })}\n`);
    log(`[capi-build] ${program} built in ${(buildMs / 1000).toFixed(1)} s -> ${target}`);
    return { program, buildMs };
  }
}

/** Copies controller-runtime into a folder of this build, patches it, and writes a go.mod replacing the module with it. */
async function writeLoopbackModule(go: string, moduleDir: string, cacheDir: string, unique: string): Promise<{ dir: string; modfile: string }> {
  const result = await runGo(['mod', 'download', '-json', CONTROLLER_RUNTIME], { cwd: moduleDir, go });
  const info = JSON.parse(result.exitCode === 0 ? result.stdout : '{}') as { Dir?: unknown };
  if (typeof info.Dir !== 'string') throw new LabError(`Could not download ${CONTROLLER_RUNTIME} in ${moduleDir}:\n${result.stderrTail}`);
  const dir = join(cacheDir, `build.partial-${process.pid}-${unique}`);
  const copy = join(dir, 'controller-runtime');
  // File by file, so the copy is writable (the module cache is read-only) and removable afterwards.
  for (const entry of await readdir(info.Dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const from = join(entry.parentPath, entry.name);
    const to = join(copy, relative(info.Dir, from));
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, await readFile(from));
  }
  const server = join(copy, WEBHOOK_SERVER_FILE);
  const text = await readFile(server, 'utf8');
  if (!text.includes(WEBHOOK_DEFAULTS_ANCHOR)) {
    throw new LabError(`${join(info.Dir, WEBHOOK_SERVER_FILE)} no longer has "${WEBHOOK_DEFAULTS_ANCHOR.trim()}"; update the loopback patch in src/lab/capiBinaries.ts.`);
  }
  await writeFile(server, text.replace(WEBHOOK_DEFAULTS_ANCHOR, WEBHOOK_DEFAULTS_ANCHOR + WEBHOOK_LOOPBACK_DEFAULT));
  const modfile = join(dir, 'build.mod');
  const goMod = await readFile(join(moduleDir, 'go.mod'), 'utf8');
  await writeFile(modfile, `${goMod}\nreplace ${CONTROLLER_RUNTIME} => ${copy}\n`);
  await writeFile(join(dir, 'build.sum'), await readFile(join(moduleDir, 'go.sum')));
  return { dir, modfile };
}
