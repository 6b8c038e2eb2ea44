// Waiting with a deadline, for tests (processes themselves are started and stopped by src/lab/processes.ts).
import { setTimeout as delay } from 'node:timers/promises';

/** Polls a probe until it returns something other than undefined, or fails after the deadline. */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve().then(probe).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(everyMs);
  }
}
