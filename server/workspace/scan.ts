// Finds the manifest files of a workspace folder, without following links or entering excluded folders.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Larger files are not indexed: a generated bundle of that size is no hand-written manifest. */
export const MAX_INDEXED_BYTES = 20 * 1024 * 1024;

export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',') out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export interface FileFilter {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export function matcher(filter: FileFilter): (relativePath: string) => boolean {
  const include = filter.include.map(globToRegExp);
  const exclude = filter.exclude.map(globToRegExp);
  return (path) => include.some((r) => r.test(path)) && !exclude.some((r) => r.test(path));
}

/** Every file under `root` that the filter accepts, as absolute paths. */
export async function findManifestFiles(root: string, filter: FileFilter, limit = 10_000): Promise<string[]> {
  const accepts = matcher(filter);
  const excluded = filter.exclude.map(globToRegExp);
  const found: string[] = [];
  const queue = [root];
  while (queue.length > 0 && found.length < limit) {
    const dir = queue.shift() ?? root;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!excluded.some((r) => r.test(`${rel}/`) || r.test(`${rel}/x`))) queue.push(path);
      } else if (entry.isFile() && accepts(rel)) {
        const size = (await stat(path).catch(() => undefined))?.size ?? 0;
        if (size <= MAX_INDEXED_BYTES) found.push(path);
      }
    }
  }
  return found;
}
