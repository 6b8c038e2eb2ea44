// Sessions: `POST /service/session` with X-Auth-User / X-Auth-Key returns a token in X-Auth-Token.
// Tokens expire after an idle period (DCS 10000002); repeated bad logins lock the account
// (DCS 10100116), and every attempt during a lockout extends it, as the reference warns.
// Only SHA-256 digests of tokens are stored; keys and tokens are never logged.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DcsCodes } from '../shared/dcs/errors';
import type { LoginResult } from '../shared/dcs/types';
import { ApiError } from './apiError';
import type { SimUser } from './inventory';
import { removeKey } from './json';
import type { LoginRecord } from './model';
import type { Store } from './store';

export interface AuthPolicy {
  readonly tokenIdleMs: number;
  readonly maxFailedLogins: number;
  readonly lockoutMs: number;
}

export interface LoginHeaders {
  readonly user: string | undefined;
  readonly key: string | undefined;
  /** X-ENCRYPT-ALGORITHM: "1" means the key is the SHA-256 hex digest of the password. */
  readonly algorithm: string | undefined;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
const sha256Hex = (text: string): string => sha256(text).toString('hex');

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

export class Auth {
  constructor(
    private readonly store: Store,
    private readonly users: readonly SimUser[],
    readonly policy: AuthPolicy,
    private readonly clock: () => number,
  ) {}

  login(headers: LoginHeaders): { token: string; result: LoginResult } {
    const now = this.clock();
    const name = headers.user ?? '';
    if (name === '' || headers.key === undefined || headers.key === '') {
      throw new ApiError(401, DcsCodes.badCredentials, 'X-Auth-User and X-Auth-Key are required');
    }
    const logins = this.store.state.logins;
    const record: LoginRecord = logins[name] ?? { failures: 0, lockedUntil: 0 };
    logins[name] = record;
    if (record.lockedUntil > now) {
      record.lockedUntil = now + this.policy.lockoutMs;
      throw new ApiError(403, DcsCodes.accountLocked, 'the account is locked after repeated failed logins; wait before retrying');
    }
    const user = this.users.find((u) => u.name === name);
    const presented = headers.key;
    const ok = user !== undefined && (headers.algorithm === '1' ? sameSecret(presented.toLowerCase(), sha256Hex(user.key)) : sameSecret(presented, user.key));
    if (!ok) {
      record.failures += 1;
      if (record.failures >= this.policy.maxFailedLogins) {
        record.failures = 0;
        record.lockedUntil = now + this.policy.lockoutMs;
      }
      throw new ApiError(401, DcsCodes.badCredentials, 'user name or password is incorrect');
    }
    record.failures = 0;
    if (user.mustChangePassword) {
      throw new ApiError(403, DcsCodes.passwordChangeRequired, 'the password must be changed at first login; set the DCS policy to No');
    }
    this.pruneExpired(now);
    const token = randomBytes(32).toString('hex');
    const tokenHash = sha256Hex(token);
    this.store.state.sessions[tokenHash] = { tokenHash, user: user.name, createdAt: now, lastUsedAt: now };
    return {
      token,
      result: {
        validity: String(Math.round(this.policy.tokenIdleMs / 1000)),
        userId: sha256Hex(`user:${user.name}`).slice(0, 12),
        userName: user.name,
        roleList: ['administrator'],
      },
    };
  }

  /** The user behind a token; throws DCS 10000002 when missing, unknown or idle too long. */
  authenticate(token: string | undefined): string {
    const now = this.clock();
    const sessions = this.store.state.sessions;
    const key = token === undefined || token === '' ? undefined : sha256Hex(token);
    const session = key === undefined ? undefined : sessions[key];
    if (key === undefined || session === undefined || now - session.lastUsedAt > this.policy.tokenIdleMs) {
      if (key !== undefined) removeKey(sessions, key);
      throw new ApiError(401, DcsCodes.notLoggedIn, 'the token has expired or the user is not logged in');
    }
    session.lastUsedAt = now;
    return session.user;
  }

  logout(token: string | undefined): void {
    if (token !== undefined) removeKey(this.store.state.sessions, sha256Hex(token));
  }

  /** Ends every session (the "token expiry" fault); returns how many there were. */
  expireAll(): number {
    const count = Object.keys(this.store.state.sessions).length;
    this.store.state.sessions = {};
    return count;
  }

  /** Locks an account now, as if it had hit the failed-login limit. */
  lock(name: string): void {
    this.store.state.logins[name] = { failures: 0, lockedUntil: this.clock() + this.policy.lockoutMs };
  }

  private pruneExpired(now: number): void {
    const sessions = this.store.state.sessions;
    for (const [key, s] of Object.entries(sessions)) {
      if (now - s.lastUsedAt > this.policy.tokenIdleMs) removeKey(sessions, key);
    }
  }
}
