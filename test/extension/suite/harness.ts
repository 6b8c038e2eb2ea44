// A small test harness for the extension host: register tests, run them in order with a deadline each,
// and write the results as JSON for the launcher (code-server's page does not report back by itself).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface TestResult {
  readonly name: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
}

type TestFn = () => Promise<void> | void;
interface Registered {
  readonly name: string;
  readonly fn: TestFn;
  readonly timeoutMs: number;
}

export class Harness {
  private readonly tests: Registered[] = [];

  test(name: string, fn: TestFn, timeoutMs = 90_000): void {
    this.tests.push({ name, fn, timeoutMs });
  }

  async run(): Promise<TestResult[]> {
    const results: TestResult[] = [];
    for (const t of this.tests) {
      const started = Date.now();
      try {
        await withDeadline(Promise.resolve(t.fn()), t.timeoutMs, t.name);
        results.push({ name: t.name, ok: true, durationMs: Date.now() - started });
      } catch (error) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        results.push({ name: t.name, ok: false, durationMs: Date.now() - started, error: text });
      }
    }
    return results;
  }
}

async function withDeadline<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`"${name}" did not finish within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function writeResults(path: string, results: readonly TestResult[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ finishedAt: new Date().toISOString(), results }, null, 2));
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
