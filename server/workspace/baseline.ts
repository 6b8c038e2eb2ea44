// What a file looked like before this editing session: its last committed version in git, or else the
// content first read from disk. Template edits are measured against it.
import { execFile } from 'node:child_process';
import { dirname, basename } from 'node:path';

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
