// Errors of Kubernetes API calls: the HTTP status and the Status reason, never a request body.

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }

  /** The resourceVersion is too old (watch) or expired (list continue token). */
  get isGone(): boolean {
    return this.status === 410 || this.reason === 'Expired' || this.reason === 'Gone';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.isNotFound;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.isConflict;
}

/** Builds the error for a non-2xx reply from its (JSON Status) body. */
export function kubeErrorFrom(what: string, status: number, body: string): KubeApiError {
  let reason = '';
  let message = '';
  try {
    const parsed = JSON.parse(body) as { reason?: unknown; message?: unknown };
    reason = typeof parsed.reason === 'string' ? parsed.reason : '';
    message = typeof parsed.message === 'string' ? parsed.message : '';
  } catch {
    // Not a Status object: keep the HTTP status only.
  }
  return new KubeApiError(status, reason, `${what}: ${message || `HTTP ${status}`}`);
}
