// The replacements of one cluster over time, for the dashboard: when each Machine was created, became
// ready, started deleting and was gone, with the durations between. Creation and deletion times come from
// the objects; readiness from the Available/Ready condition's transition time; "gone" is when a Machine
// stopped being in the informer cache (the only trace a deleted object leaves). Pure apart from `now`.
import type { MachineModel } from '../explorer/modelTypes';
import type { TimelineEntry } from './protocol';

interface Seen {
  readonly owner: string;
  readonly createdAt: string | undefined;
  readyAt: string | undefined;
  deletingAt: string | undefined;
  goneAt: string | undefined;
}

export interface MachineObservation {
  readonly owner: string;
  readonly machine: MachineModel;
  /** metadata.deletionTimestamp of the live object. */
  readonly deletionTimestamp: string | undefined;
}

const READY_TYPES = ['Available', 'Ready'];
/** Machines gone longer than this leave the timeline. */
const KEEP_GONE_MS = 6 * 60 * 60 * 1000;

export class ReplacementTimeline {
  private readonly machines = new Map<string, Seen>();

  /** Takes every Machine of the cluster now; Machines seen before and missing now are gone as of `now`. */
  update(observations: readonly MachineObservation[], now: number): void {
    const present = new Set<string>();
    for (const { owner, machine, deletionTimestamp } of observations) {
      present.add(machine.name);
      const seen = this.machines.get(machine.name) ?? { owner, createdAt: machine.createdAt, readyAt: undefined, deletingAt: undefined, goneAt: undefined };
      if (machine.available && !seen.readyAt) {
        const condition = machine.conditions.find((c) => READY_TYPES.includes(c.type) && c.status === 'True');
        // A Machine is never ready before it exists (a condition copied from elsewhere may say so).
        const at = condition?.lastTransitionTime ?? new Date(now).toISOString();
        seen.readyAt = seen.createdAt && at < seen.createdAt ? seen.createdAt : at;
      }
      if (machine.deleting && !seen.deletingAt) seen.deletingAt = deletionTimestamp ?? new Date(now).toISOString();
      this.machines.set(machine.name, seen);
    }
    for (const [name, seen] of this.machines) {
      if (present.has(name)) continue;
      seen.goneAt ??= new Date(now).toISOString();
      if (now - Date.parse(seen.goneAt) > KEEP_GONE_MS) this.machines.delete(name);
    }
  }

  /** The events of one owner's Machines, newest first. */
  entries(owner: string, now: number): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    const span = (from: string | undefined, to: string | undefined): number | undefined => {
      const start = from ? Date.parse(from) : NaN;
      const end = to ? Date.parse(to) : now;
      return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : undefined;
    };
    for (const [machine, s] of this.machines) {
      if (s.owner !== owner) continue;
      if (s.createdAt) out.push({ machine, event: 'created', at: s.createdAt, durationMs: span(s.createdAt, s.readyAt), done: s.readyAt !== undefined });
      if (s.readyAt) out.push({ machine, event: 'ready', at: s.readyAt, done: true });
      if (s.deletingAt) out.push({ machine, event: 'deleting', at: s.deletingAt, durationMs: span(s.deletingAt, s.goneAt), done: s.goneAt !== undefined });
      if (s.goneAt) out.push({ machine, event: 'deleted', at: s.goneAt, done: true });
    }
    return out.sort((a, b) => b.at.localeCompare(a.at) || a.machine.localeCompare(b.machine));
  }
}
