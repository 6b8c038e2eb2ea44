// Builds capi-dcs-image (tools/image: go-containerregistry) once per machine into the cache, next to
// the lab's binaries, keyed by a hash of the build module's files.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot, goBuild } from '../lab/binaries';
import { goCommand } from '../lab/goTool';
import { projectRoot } from '../lab/projectPaths';

const TOOL = 'capi-dcs-image';
const MODULE_FILES = ['go.mod', 'go.sum', 'main.go'];

export function imageModuleDir(): string {
  return join(projectRoot(), 'tools', 'image');
}

/** Path of the built tool, building it first when this machine has none for the module's current files. */
export async function ensureImageTool(log: (line: string) => void = () => undefined): Promise<string> {
  const moduleDir = imageModuleDir();
  const hash = createHash('sha256').update(`${process.platform}/${process.arch}`);
  for (const file of MODULE_FILES) hash.update(`\0${file}\0`).update(readFileSync(join(moduleDir, file)));
  const dir = join(cacheRoot(), 'bin', `${TOOL}_${hash.digest('hex').slice(0, 12)}`);
  const binary = join(dir, TOOL);
  if (existsSync(binary)) return binary;
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  log(`[image] building ${TOOL} from tools/image (go-containerregistry; once per machine)`);
  // Renamed into place: a crash or a parallel build never leaves a half-written binary under the real name.
  const partial = `${binary}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await goBuild({ go: goCommand(), moduleDir, ldflags: '-s -w', output: partial, packages: ['.'], log, started, label: '[image]' });
    await rename(partial, binary);
  } finally {
    await rm(partial, { force: true });
  }
  log(`[image] ${TOOL} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}
