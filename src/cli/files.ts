// Which files `capi-dcs lint` reads, and reading them safely: a binary, oversized, non-UTF-8 or unreadable
// file becomes one clear line, and the other files are still checked.
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ignore, { type Ignore } from 'ignore';
import { globToRegExp } from '../../server/workspace/scan';

export const MAX_FILE_BYTES = 32 * 1024 * 1024;
const YAML_FILE = /\.ya?ml$/i;

export interface InputFile {
  readonly display: string;
  readonly uri: string;
  readonly text?: string;
  /** Why the file was not checked, as a problem line (binary, too large, not UTF-8). */
  readonly skipped?: string;
  /** An I/O error: the file could not be read at all (exit status 2). */
  readonly ioError?: string;
}

function gitListYaml(dir: string): Promise<string[] | undefined> {
  return new Promise((done) => {
    execFile('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '*.yaml', '*.yml'], { cwd: dir, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      done(error ? undefined : stdout.split('\0').filter((p) => p !== '').map((p) => join(dir, p)));
    });
  });
}

/** The .gitignore of a folder, if it has one, with the folder its patterns are relative to. */
async function gitignoreIn(dir: string): Promise<{ dir: string; rules: Ignore } | undefined> {
  const text = await readFile(join(dir, '.gitignore'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { dir, rules: ignore().add(text) };
}

/** Outside a git repository: walks the folder for YAML files, honouring each .gitignore on the way down. */
async function walkYaml(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, inherited: readonly { dir: string; rules: Ignore }[]): Promise<void> => {
    const own = await gitignoreIn(dir);
    const rules = own ? [...inherited, own] : inherited;
    // As git decides: the deepest .gitignore with a pattern for the path wins (so `!name` can re-include).
    const ignored = (path: string, isDir: boolean) => {
      for (const r of [...rules].reverse()) {
        const verdict = r.rules.test(relative(r.dir, path).split(sep).join('/') + (isDir ? '/' : ''));
        if (verdict.ignored || verdict.unignored) return verdict.ignored;
      }
      return false;
    };
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules' && !ignored(path, true)) await walk(path, rules);
      } else if (entry.isFile() && YAML_FILE.test(entry.name) && !ignored(path, false)) {
        found.push(path);
      }
    }
  };
  await walk(root, []);
  return found;
}

/** Expands folders into their YAML files (git's view when inside a repository, so .gitignore holds). */
export async function collectPaths(paths: readonly string[], exclude: readonly string[], cwd: string): Promise<{ files: string[]; errors: string[] }> {
  const excluded = exclude.map(globToRegExp);
  const isExcluded = (path: string) => {
    const rel = relative(cwd, path).split(sep).join('/');
    return excluded.some((r) => r.test(rel) || r.test(path));
  };
  const files: string[] = [];
  const errors: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    const abs = resolve(cwd, p);
    const info = await stat(abs).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (info instanceof Error) {
      errors.push(`${p}: ${info.code === 'ENOENT' ? 'no such file or folder' : info.message}`);
    } else if (info.isDirectory()) {
      const listed = (await gitListYaml(abs)) ?? (await walkYaml(abs));
      files.push(...listed.filter((f) => YAML_FILE.test(f) && !isExcluded(f)).sort());
    } else if (!isExcluded(abs)) {
      files.push(abs);
    }
  }
  return { files: [...new Set(files)], errors };
}

export async function readInput(path: string, cwd: string, readStdin: () => Promise<Buffer>): Promise<InputFile> {
  const display = path === '-' ? '<stdin>' : relative(cwd, path) || path;
  const uri = path === '-' ? 'stdin:///stdin.yaml' : pathToFileURL(path).toString();
  let bytes: Buffer;
  try {
    if (path !== '-') {
      const size = (await stat(path)).size;
      if (size > MAX_FILE_BYTES) {
        return { display, uri, skipped: `file is ${(size / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit of one manifest file: split it` };
      }
    }
    bytes = path === '-' ? await readStdin() : await readFile(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { display, uri, ioError: e.code === 'EACCES' ? 'permission denied' : e.message };
  }
  if (bytes.subarray(0, 8192).includes(0)) return { display, uri, skipped: 'binary file (it holds NUL bytes), not YAML' };
  try {
    return { display, uri, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { display, uri, skipped: 'not valid UTF-8: YAML files must be UTF-8 text' };
  }
}
