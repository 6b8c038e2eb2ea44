// One Health per object, from phase and conditions, for both CAPI condition generations.
import type { Health } from './modelTypes';
import type { Condition } from './normalize';

/** Condition types where True means "something is going on" rather than "all good". */
const NEGATIVE_POLARITY = new Set(['Deleting', 'Paused', 'RollingOut', 'ScalingUp', 'ScalingDown', 'Remediating', 'Updating', 'VMStopPending']);

const PROVISIONING_PHASES = new Set(['Pending', 'Provisioning', 'Provisioned', 'Updating', 'Deleting', 'ScalingUp', 'ScalingDown']);

export function conditionHealth(c: Condition): Health {
  if (c.status === 'Unknown') return 'unknown';
  const good = NEGATIVE_POLARITY.has(c.type) ? c.status === 'False' : c.status === 'True';
  if (good) return 'ok';
  if (NEGATIVE_POLARITY.has(c.type)) return c.type === 'Paused' ? 'paused' : 'progressing';
  if (c.severity === 'Error') return 'error';
  if (c.severity === 'Info') return 'progressing';
  return 'warning';
}

export interface HealthFacts {
  readonly deleting: boolean;
  readonly paused: boolean;
  readonly phase?: string | undefined;
  /** The condition that says "ready" for this kind (Available, Ready), if any. */
  readonly readiness?: Condition | undefined;
  /** A rollout or provisioning in flight. */
  readonly progressing?: boolean;
  /** A plain boolean readiness (status.ready, initialization.provisioned) for kinds without conditions. */
  readonly readyFlag?: boolean | undefined;
}

/** Deleting and paused first, then failure, then work in progress, then readiness. */
export function objectHealth(f: HealthFacts): Health {
  if (f.deleting) return 'deleting';
  if (f.phase === 'Failed') return 'error';
  if (f.readiness?.status === 'False' && f.readiness.severity === 'Error') return 'error';
  if (f.paused) return 'paused';
  if (f.progressing) return 'progressing';
  if (f.readiness?.status === 'True') return 'ok';
  if (f.phase !== undefined && PROVISIONING_PHASES.has(f.phase)) return 'progressing';
  if (f.readiness?.status === 'False') return 'warning';
  if (f.readyFlag === true) return 'ok';
  if (f.readyFlag === false) return 'progressing';
  if (f.phase === 'Running' || f.phase === 'Provisioned') return 'ok';
  return 'unknown';
}

/** The worst of several healths, for a parent that summarises children. */
export function worst(healths: readonly Health[]): Health {
  const order: Health[] = ['error', 'warning', 'deleting', 'progressing', 'paused', 'unknown', 'ok'];
  for (const h of order) if (healths.includes(h)) return h;
  return 'unknown';
}
