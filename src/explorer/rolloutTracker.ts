// Follows rollouts over time: which are active, which finished, which made no progress for too long.
// Pure apart from the clock, which the caller passes in, so tests drive time by hand.
import type { RolloutProgress } from './progress';

export interface TrackedRollout {
  /** Unique across contexts: context, kind, namespace and name. */
  readonly key: string;
  /** For people: "MachineDeployment demo-md-0 (demo, lab)". */
  readonly label: string;
  readonly progress: RolloutProgress;
}

export type RolloutEvent =
  | { readonly type: 'started'; readonly rollout: TrackedRollout }
  | { readonly type: 'finished'; readonly rollout: TrackedRollout }
  | { readonly type: 'stuck'; readonly rollout: TrackedRollout; readonly stalledForMs: number };

interface State {
  rollout: TrackedRollout;
  lastMoveAt: number;
  stuckReported: boolean;
}

export class RolloutTracker {
  private readonly states = new Map<string, State>();

  /** @param stuckAfterMs how long without progress before a rollout counts as stuck. */
  constructor(private stuckAfterMs: number) {}

  setStuckAfter(ms: number): void {
    this.stuckAfterMs = ms;
  }

  /**
   * Takes every rollout the model shows now (active or not). A rollout seen active and now done is
   * 'finished'; one whose signature has not changed for stuckAfterMs is 'stuck' once per stall.
   * Rollouts that vanish (object deleted, context hidden) end silently.
   */
  update(rollouts: readonly TrackedRollout[], now: number): RolloutEvent[] {
    const events: RolloutEvent[] = [];
    const seen = new Set<string>();
    for (const rollout of rollouts) {
      seen.add(rollout.key);
      const state = this.states.get(rollout.key);
      if (!state) {
        if (!rollout.progress.active) continue;
        this.states.set(rollout.key, { rollout, lastMoveAt: now, stuckReported: false });
        events.push({ type: 'started', rollout });
        continue;
      }
      if (!rollout.progress.active) {
        this.states.delete(rollout.key);
        events.push({ type: 'finished', rollout });
        continue;
      }
      if (rollout.progress.signature !== state.rollout.progress.signature) {
        state.lastMoveAt = now;
        state.stuckReported = false;
      }
      state.rollout = rollout;
      if (!state.stuckReported && now - state.lastMoveAt >= this.stuckAfterMs) {
        state.stuckReported = true;
        events.push({ type: 'stuck', rollout, stalledForMs: now - state.lastMoveAt });
      }
    }
    for (const key of [...this.states.keys()]) if (!seen.has(key)) this.states.delete(key);
    return events;
  }

  /** Active rollouts, with whether each is stuck now, ordered by label. */
  active(): { rollout: TrackedRollout; stuck: boolean }[] {
    return [...this.states.values()]
      .map((s) => ({ rollout: s.rollout, stuck: s.stuckReported }))
      .sort((a, b) => a.rollout.label.localeCompare(b.rollout.label));
  }
}
