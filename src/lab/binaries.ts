// Builds kube-apiserver and etcd from tools/mgmt-plane once per machine, into a cache folder outside git
// keyed by the pinned versions, the link flags and the build module's files.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BuildError } from './errors';
import { goCommand, goVersion, runGo } from './goTool';
import { mgmtPlaneModuleDir, pinnedVersions, type PinnedVersions } from './projectPaths';

export interface BinaryPaths {
  readonly dir: string;
  readonly kubeApiserver: string;
  readonly etcd: string;
}

export interface EnsuredBinaries extends BinaryPaths {
  /** True when this call ran `go build`; false when the cache already had them. */
  readonly built: boolean;
  /** Time this call spent building (0 when cached). */
  readonly buildMs: number;
  /** The cold build that made the cached binaries, as recorded next to them. */
  readonly record: BuildRecord | undefined;
}

export interface BuildRecord {
  readonly buildMs: number;
  readonly builtAt: string;
}

export interface EnsureBinariesOptions {
  readonly log?: (line: string) => void;
  readonly go?: string;
  readonly cacheRoot?: string;
  readonly moduleDir?: string;
  readonly versions?: PinnedVersions;
}

/** Main packages of the build module; `go build -o dir/` names each binary after its folder. */
const MAIN_PACKAGES = ['./cmd/kube-apiserver', './cmd/etcd'];
const PROGRESS_INTERVAL_MS = 20_000;
const BUILD_RECORD_FILE = 'build.json';

/** `${CAPI_DCS_CACHE:-$HOME/.cache/capi-dcs}`: kept across runs, never in git. */
export function cacheRoot(): string {
  return process.env.CAPI_DCS_CACHE ?? join(homedir(), '.cache', 'capi-dcs');
}

/** Link flags: strip symbols and stamp the release, or the server reports v0.0.0-master. */
export function versionLdflags(versions: PinnedVersions): string {
  const match = /^v(\d+)\.(\d+)\.\d+/.exec(versions.kubernetes);
  if (!match) throw new Error(`tools/versions.json: kubernetes "${versions.kubernetes}" is not vMAJOR.MINOR.PATCH`);
  const pkg = 'k8s.io/component-base/version';
  return [
    '-s -w',
    `-X ${pkg}.gitVersion=${versions.kubernetes}`,
    `-X ${pkg}.gitMajor=${match[1] ?? ''}`,
    `-X ${pkg}.gitMinor=${match[2] ?? ''}`,
    `-X ${pkg}.gitTreeState=clean`,
  ].join(' ');
}

/** Cache key: versions readable at a glance, plus a hash of everything else that changes the output. */
export function binariesKey(versions: PinnedVersions, ldflags: string, moduleDir: string): string {
  const hash = createHash('sha256').update(ldflags).update(`${process.platform}/${process.arch}`);
  for (const file of ['go.mod', 'go.sum', ...MAIN_PACKAGES.map((p) => join(p, 'main.go'))]) {
    const path = join(moduleDir, file);
    hash.update(`\0${file}\0`).update(existsSync(path) ? readFileSync(path) : '');
  }
  return `kubernetes-${versions.kubernetes}_etcd-${versions.etcd}_${hash.digest('hex').slice(0, 12)}`;
}

export function binaryPaths(dir: string): BinaryPaths {
  return { dir, kubeApiserver: join(dir, 'kube-apiserver'), etcd: join(dir, 'etcd') };
}

/** Returns the cached binaries, building them first if this machine has none for the current key. */
export async function ensureBinaries(options: EnsureBinariesOptions = {}): Promise<EnsuredBinaries> {
  const log = options.log ?? (() => undefined);
  const versions = options.versions ?? pinnedVersions;
  const moduleDir = options.moduleDir ?? mgmtPlaneModuleDir();
  const ldflags = versionLdflags(versions);
  const binDir = join(options.cacheRoot ?? cacheRoot(), 'bin');
  const paths = binaryPaths(join(binDir, binariesKey(versions, ldflags, moduleDir)));
  if (existsSync(paths.kubeApiserver) && existsSync(paths.etcd)) return { ...paths, built: false, buildMs: 0, record: await readBuildRecord(paths.dir) };

  // Build next to the final folder and rename it into place, so a crash or a parallel build never
  // leaves a half-written folder under the real key.
  const go = options.go ?? goCommand();
  const started = Date.now();
  const toolchain = await goVersion({ cwd: moduleDir, go });
  log(`[build] building kube-apiserver ${versions.kubernetes} and etcd ${versions.etcd} with ${toolchain} (once per machine; a few minutes)`);
  const partial = `${paths.dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(partial, { recursive: true });
  try {
    await goBuild({ go, moduleDir, ldflags, output: `${partial}/`, packages: MAIN_PACKAGES, log, started });
    const record: BuildRecord = { buildMs: Date.now() - started, builtAt: new Date().toISOString() };
    await writeFile(join(partial, BUILD_RECORD_FILE), `${JSON.stringify(record)}\n`);
    await rename(partial, paths.dir).catch(async (err: unknown) => {
      if (!(existsSync(paths.kubeApiserver) && existsSync(paths.etcd))) throw err;
      await rm(partial, { recursive: true, force: true }); // a parallel build won the race
    });
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
  const buildMs = Date.now() - started;
  log(`[build] cold build time: ${(buildMs / 1000).toFixed(1)} s -> ${paths.dir}`);
  return { ...paths, built: true, buildMs, record: await readBuildRecord(paths.dir) };
}

async function readBuildRecord(dir: string): Promise<BuildRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, BUILD_RECORD_FILE), 'utf8')) as Partial<BuildRecord>;
    return typeof parsed.buildMs === 'number' ? { buildMs: parsed.buildMs, builtAt: String(parsed.builtAt) } : undefined;
  } catch {
    return undefined;
  }
}

export interface GoBuildRequest {
  readonly go: string;
  readonly moduleDir: string;
  readonly ldflags: string;
  /** A go.mod to use instead of the module's own (`go build -modfile`; its go.sum sits next to it). */
  readonly modfile?: string;
  /** `-o` target: a file, or a folder ending in `/` for several main packages. */
  readonly output: string;
  readonly packages: readonly string[];
  readonly log: (line: string) => void;
  /** Start of the whole build, for the progress lines. */
  readonly started: number;
  /** Prefix of the progress lines. */
  readonly label?: string;
}

/** `go build` in the module, logging progress (packages compiled) every 20 s; a BuildError on failure. */
export async function goBuild(request: GoBuildRequest): Promise<void> {
  const { go, moduleDir, log, started } = request;
  const label = request.label ?? '[build]';
  const args = ['build', '-trimpath', '-buildvcs=false', '-v', '-ldflags', request.ldflags, ...(request.modfile ? [`-modfile=${request.modfile}`] : []), '-o', request.output, ...request.packages];
  let packages = 0;
  const timer = setInterval(() => {
    log(`${label} ${Math.round((Date.now() - started) / 1000)} s, ${packages} packages compiled`);
  }, PROGRESS_INTERVAL_MS);
  try {
    const result = await runGo(args, {
      cwd: moduleDir,
      go,
      onStderrLine: (line) => {
        if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line)) packages++;
      },
    });
    if (result.exitCode !== 0) {
      throw new BuildError(`cd ${moduleDir} && ${go} ${args.map(shellQuote).join(' ')}`, result.stderrTail);
    }
  } finally {
    clearInterval(timer);
  }
}

function shellQuote(arg: string): string {
  return /^[\w./=:-]+$/.test(arg) ? arg : `'${arg}'`;
}
