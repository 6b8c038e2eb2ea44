// Authenticated JSON calls to one DCS endpoint: logs in on demand (one login at a time), sends
// the token on every call, and logs in once more when DCS answers 10000002. Credentials never
// appear in errors or logs; the key travels as its SHA-256 hex digest (X-ENCRYPT-ALGORITHM: 1).

import { createHash } from 'node:crypto';
import type { DcsCredentials } from './client';
import { DcsCodes, DcsError, DcsTransientError, errorFromReply } from './errors';
import type { DcsTransport, TransportResponse } from './transport';
import type { LoginResult } from './types';

export const DCS_API_VERSION = '8.1';

export interface CallOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Send these bytes as application/octet-stream to an absolute URL, without the token. */
  readonly raw?: Uint8Array;
}

export interface DcsSessionOptions {
  readonly endpoint: string;
  readonly credentials: DcsCredentials;
  readonly transport: DcsTransport;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export class DcsSession {
  private token: string | undefined;
  private loginInFlight: Promise<LoginResult> | undefined;
  private readonly base: string;

  constructor(private readonly options: DcsSessionOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
  }

  /** Logs in, replacing any token; concurrent callers share one login. */
  login(): Promise<LoginResult> {
    this.loginInFlight ??= this.doLogin().finally(() => {
      this.loginInFlight = undefined;
    });
    return this.loginInFlight;
  }

  async logout(): Promise<void> {
    if (this.token === undefined) return;
    const token = this.token;
    this.token = undefined;
    await this.send('DELETE', '/service/session', {}, token).catch(() => undefined);
  }

  /** A JSON call; `path` is a /service path or (for uploads) an absolute URL. */
  async call(method: string, path: string, options: CallOptions = {}): Promise<unknown> {
    if (options.raw) return this.parse(method, path, await this.send(method, path, options, undefined));
    if (this.token === undefined) await this.login();
    const first = await this.send(method, path, options, this.token);
    if (first.status !== 401 || codeOf(first) !== DcsCodes.notLoggedIn) return this.parse(method, path, first);
    this.token = undefined;
    await this.login();
    return this.parse(method, path, await this.send(method, path, options, this.token));
  }

  private async doLogin(): Promise<LoginResult> {
    const { authUser, authKey, userType } = this.options.credentials;
    const headers = {
      'X-Auth-User': authUser,
      'X-Auth-Key': createHash('sha256').update(authKey, 'utf8').digest('hex'),
      'X-ENCRYPT-ALGORITHM': '1',
      // [doc] sends 2; the value for domain users is silent in the reference, 1 is our choice.
      'X-Auth-UserType': userType === 'domain' ? '1' : '2',
    };
    const response = await this.send('POST', '/service/session', {}, undefined, headers);
    const reply = this.parse('POST', '/service/session', response);
    const body: Record<string, unknown> = typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>) : {};
    const token = response.header('X-Auth-Token');
    if (!token) throw new DcsError('POST /service/session: no X-Auth-Token in the reply', DcsCodes.internal, response.status);
    this.token = token;
    return {
      validity: text(body.validity),
      userId: text(body.userId),
      userName: text(body.userName),
      roleList: Array.isArray(body.roleList) ? body.roleList.map(text) : [],
    };
  }

  private async send(
    method: string,
    path: string,
    options: CallOptions,
    token: string | undefined,
    extraHeaders: Record<string, string> = {},
  ): Promise<TransportResponse> {
    const url = new URL(path.startsWith('http') ? path : `${this.base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      Accept: `application/json;version=${DCS_API_VERSION};charset=UTF-8`,
      version: DCS_API_VERSION,
      ...extraHeaders,
    };
    if (token !== undefined) headers['X-Auth-Token'] = token;
    let body: string | Uint8Array | undefined;
    if (options.raw) {
      headers['Content-Type'] = 'application/octet-stream';
      body = options.raw;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json;charset=UTF-8';
      body = JSON.stringify(options.body);
    }
    // A ref'd timer (AbortSignal.timeout is unref'd) so a stalled call always ends.
    const timeout = new AbortController();
    const timer = setTimeout(() => {
      timeout.abort();
    }, this.options.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([timeout.signal, this.options.signal]) : timeout.signal;
    const what = `${method} ${url.pathname}`;
    try {
      return await this.options.transport({ method, url: url.toString(), headers, body, signal });
    } catch (err: unknown) {
      const reason = timeout.signal.aborted ? `no reply within ${this.options.timeoutMs} ms` : describeNetworkError(err);
      throw new DcsTransientError(`${what}: ${reason}`, 'unreachable', undefined, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  private parse(method: string, path: string, response: TransportResponse): unknown {
    const what = `${method} ${path.startsWith('http') ? new URL(path).pathname : path}`;
    let body: unknown;
    try {
      body = response.text.trim() === '' ? undefined : JSON.parse(response.text);
    } catch {
      if (response.status >= 200 && response.status < 300) {
        throw new DcsError(`${what}: reply is not JSON`, DcsCodes.internal, response.status);
      }
    }
    if (response.status < 200 || response.status >= 300) throw errorFromReply(what, response.status, body);
    return body;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function codeOf(response: TransportResponse): string {
  try {
    const body = JSON.parse(response.text) as { errorCode?: unknown };
    return typeof body.errorCode === 'string' || typeof body.errorCode === 'number' ? String(body.errorCode) : '';
  } catch {
    return '';
  }
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return 'request failed';
  const cause = err.cause instanceof Error ? err.cause : err;
  const code = (cause as NodeJS.ErrnoException).code;
  return code ? `${code} (${cause.message})` : cause.message;
}
