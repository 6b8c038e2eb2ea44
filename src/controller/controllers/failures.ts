// Maps a failed step to what the user sees: a condition reason and message. DCS task failures
// keep DCS's own error text and code; login failures are retried slowly (each failed login counts
// towards the DCS account lockout), everything else with the work queue's backoff.

import { DcsAuthError, DcsError, DcsTaskFailedError, DcsTransientError } from '../../shared/dcs/errors';
import { Reasons } from '../api/conditions';
import { KubeApiError } from '../runtime/kubeErrors';
import { errorMessage } from '../runtime/log';
import { ProvisioningError } from '../services/dcsInventory';

export interface Failure {
  readonly reason: string;
  readonly message: string;
  readonly severity: 'Warning' | 'Error';
  /** Login refused: do not retry before the slow retry interval. */
  readonly isAuth: boolean;
}

export function describeFailure(err: unknown): Failure {
  if (err instanceof DcsTaskFailedError) {
    return { reason: Reasons.taskFailed, message: `${err.message} (DCS ${err.code}); retrying with backoff`, severity: 'Warning', isAuth: false };
  }
  if (err instanceof DcsAuthError) {
    const reason = err.isLockout ? Reasons.accountLocked : Reasons.loginFailed;
    return { reason, message: `DCS refused the login: ${err.message}; check the credential Secret`, severity: 'Error', isAuth: true };
  }
  if (err instanceof DcsTransientError) {
    return { reason: Reasons.dcsUnreachable, message: `${err.message}; retrying`, severity: 'Warning', isAuth: false };
  }
  if (err instanceof ProvisioningError) return { reason: err.reason, message: err.message, severity: 'Warning', isAuth: false };
  if (err instanceof DcsError) return { reason: Reasons.provisioningFailed, message: `${err.message}; retrying`, severity: 'Warning', isAuth: false };
  if (err instanceof KubeApiError) return { reason: Reasons.provisioningFailed, message: `Kubernetes API: ${err.message}`, severity: 'Warning', isAuth: false };
  return { reason: Reasons.provisioningFailed, message: errorMessage(err), severity: 'Warning', isAuth: false };
}
