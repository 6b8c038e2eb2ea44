// What a file looked like before this editing session: its last committed version in git, or else the
// content first read from disk. Template edits are measured against it (in the editor and by capi-dcs lint).
import { execFile } from 'node:child_process';
import { basename, dirname, relative, sep } from 'node:path';

/** The committed content of a file, or undefined when git is missing or the file is not tracked. */
export function committedContent(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['show', `HEAD:./${basename(path)}`],
      { cwd: dirname(path), maxBuffer: 32 * 1024 * 1024, timeout: 5000 },
      (error, stdout) => {
        resolve(error ? undefined : stdout);
      },
    );
  });
}

/**
 * The committed content of many files of the repository around `cwd` with two git processes, by path:
 * the lint command's baselines. Files outside that repository or not committed are left out.
 */
export async function committedContents(cwd: string, paths: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (paths.length === 0) return found;
  const top = await new Promise<string | undefined>((resolve) => {
    execFile('git', ['rev-parse', '--show-toplevel'], { cwd, timeout: 5000 }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
  if (!top) return found;
  const wanted = paths.map((path) => ({ path, rel: relative(top, path).split(sep).join('/') })).filter((f) => !f.rel.startsWith('..') && !f.rel.includes('\n'));
  const output = await new Promise<Buffer | undefined>((resolve) => {
    const child = execFile('git', ['cat-file', '--batch'], { cwd: top, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024, timeout: 60_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
    child.stdin?.end(wanted.map((f) => `HEAD:${f.rel}\n`).join(''));
  });
  // Per request: "<sha> blob <size>\n<content>\n", or "<name> missing\n".
  let at = 0;
  for (const f of wanted) {
    if (!output) break;
    const eol = output.indexOf(10, at);
    if (eol < 0) break;
    const header = output.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (header.length !== 3 || header[1] !== 'blob') continue;
    const size = Number(header[2]);
    found.set(f.path, output.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return found;
}
