// Compiles the schema of every kind ahead of use, one kind at a time and only while the server is idle:
// a compile takes 20-300 ms, and diagnostics or a completion asked for meanwhile would wait for it. A kind
// used before its turn is compiled on first use anyway.
import type { ManifestValidator } from '../src/shared/schema/validate';

/** Quiet time before the next kind is compiled. */
const IDLE_MS = 500;
/** Between two kinds: long enough for a message that arrived during a compile to be read and handled first. */
const GAP_MS = 5;

export function warmUpWhenIdle(validator: ManifestValidator, idleFor: () => number): void {
  const entries = [...validator.catalog.entries()];
  const step = (): void => {
    const wait = IDLE_MS - idleFor();
    if (wait > 0) {
      setTimeout(step, wait).unref();
      return;
    }
    const entry = entries.shift();
    if (!entry) return;
    // A first call compiles the generated validator's code (V8 compiles a function when it first runs, 1-13 ms
    // for a Cluster API kind): here, rather than in the user's next edit of an object of this kind.
    validator.compile(entry.apiVersion, entry.kind)?.validate({});
    setTimeout(step, GAP_MS).unref();
  };
  setTimeout(step, IDLE_MS).unref();
}
