// DCS error codes and the typed errors the client throws. Only three codes come from the
// reference (§6); the others are this project's choice (the reference is silent), chosen to be
// readable: 10000 + the HTTP status that goes with them.

export const DcsCodes = {
  /** [doc] Token expired or not logged in: log in again. */
  notLoggedIn: '10000002',
  /** [doc] Account locked after repeated bad logins. */
  accountLocked: '10100116',
  /** [doc] Site policy "only stopped VMs can be deleted"; stop again, then retry. */
  deleteRequiresStopped: '102212808',
  // Silent in the reference: simulator-chosen codes.
  invalidRequest: '10000400',
  badCredentials: '10000401',
  passwordChangeRequired: '10000403',
  notFound: '10000404',
  wrongState: '10000409',
  internal: '10000500',
  insufficientSpace: '10000507',
  /** A task failed because a fault was injected. */
  injectedFailure: '10000599',
} as const;

export class DcsError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DcsError';
  }
}

/** The resource does not exist (HTTP 404). */
export class DcsNotFoundError extends DcsError {
  constructor(message: string, code: string = DcsCodes.notFound, httpStatus = 404) {
    super(message, code, httpStatus);
    this.name = 'DcsNotFoundError';
  }
}

/** Worth retrying later: network failure, timeout, 5xx, or a state DCS will leave by itself. */
export class DcsTransientError extends DcsError {
  constructor(message: string, code: string, httpStatus?: number, options?: { cause?: unknown }) {
    super(message, code, httpStatus, options);
    this.name = 'DcsTransientError';
  }
}

/** Login refused: bad credentials, locked account, forced password change. Retrying fast makes a lockout last. */
export class DcsAuthError extends DcsError {
  constructor(message: string, code: string, httpStatus?: number) {
    super(message, code, httpStatus);
    this.name = 'DcsAuthError';
  }

  get isLockout(): boolean {
    return this.code === DcsCodes.accountLocked;
  }
}

/** A DCS task ended in `failed`; `code` is the task's `reason`. */
export class DcsTaskFailedError extends DcsError {
  constructor(
    message: string,
    code: string,
    readonly taskUrn: string,
  ) {
    super(message, code);
    this.name = 'DcsTaskFailedError';
  }
}

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Maps a non-2xx reply to a typed error. `what` names the call ("GET /service/sites/X/vms/i-1"),
 * never credentials; `body` is the parsed reply, trusted only for its two documented fields.
 */
export function errorFromReply(what: string, httpStatus: number, body: unknown): DcsError {
  const { errorCode, errorDes } = readErrorBody(body);
  const code = errorCode || `http-${httpStatus}`;
  const message = `${what}: ${errorDes || `HTTP ${httpStatus}`} (DCS ${code})`;
  if (code === DcsCodes.accountLocked || code === DcsCodes.badCredentials || code === DcsCodes.passwordChangeRequired) {
    return new DcsAuthError(message, code, httpStatus);
  }
  if (httpStatus === 404 || code === DcsCodes.notFound) return new DcsNotFoundError(message, code, httpStatus);
  if (code === DcsCodes.deleteRequiresStopped || TRANSIENT_STATUS.has(httpStatus)) {
    return new DcsTransientError(message, code, httpStatus);
  }
  if (httpStatus === 401) return new DcsAuthError(message, code, httpStatus);
  return new DcsError(message, code, httpStatus);
}

function readErrorBody(body: unknown): { errorCode: string; errorDes: string } {
  if (typeof body !== 'object' || body === null) return { errorCode: '', errorDes: '' };
  const record = body as Record<string, unknown>;
  const code = record.errorCode;
  const des = record.errorDes;
  return {
    errorCode: typeof code === 'string' || typeof code === 'number' ? String(code) : '',
    errorDes: typeof des === 'string' ? des.slice(0, 500) : '',
  };
}
