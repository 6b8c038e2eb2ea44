// The changes of a store as the facts each one touched (strings the store names, e.g. "obj:<key>"). A value
// computed from the store remembers the facts it read, and stays valid until a change touches one of them.
// Every change touches ANY: a value that read ANY (the whole store) is valid until the next change.

export const ANY = 'all';

/** Past this many changes, older values are recomputed rather than checked against each change. */
const KEPT = 64;

export class ChangeLog {
  private seq = 0;
  private readonly changes: { readonly seq: number; readonly facts: ReadonlySet<string> }[] = [];

  /** The sequence number of the latest change. */
  get now(): number {
    return this.seq;
  }

  record(facts: Iterable<string>): void {
    this.seq++;
    this.changes.push({ seq: this.seq, facts: new Set([ANY, ...facts]) });
    if (this.changes.length > KEPT) this.changes.shift();
  }

  /** Whether a change after `since` touched any of `read`. */
  touched(since: number, read: ReadonlySet<string>): boolean {
    if (since === this.seq) return false;
    const first = this.changes[0];
    if (!first || first.seq > since + 1) return true;
    // Newest first, stopping at `since`: a value checked at every edit looks at one change, not all kept ones.
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const change = this.changes[i];
      if (!change || change.seq <= since) break;
      // Look up the smaller set's facts in the larger one (a value cached for all the rules of an object read many).
      if (read.size <= change.facts.size) {
        for (const fact of read) if (change.facts.has(fact)) return true;
      } else {
        for (const fact of change.facts) if (read.has(fact)) return true;
      }
    }
    return false;
  }
}
