// A tiny method + path-template router (`/service/sites/:site/vms/:id`) over plain request
// objects, so routes can be unit-tested without sockets.

import { invalid } from './apiError';

export interface SimRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface SimReply {
  readonly status: number;
  /** JSON body. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteContext {
  readonly req: SimRequest;
  readonly params: Readonly<Record<string, string>>;
  /** The authenticated user; '' on routes without authentication. */
  readonly user: string;
}

export type Handler = (ctx: RouteContext) => SimReply;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly auth: boolean;
  readonly handler: Handler;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

const split = (path: string): string[] => path.split('/').filter((s) => s !== '');

export class Router {
  private readonly routes: Route[] = [];

  /** `auth: false` for routes reachable without a token (login, /sim/, upload tickets). */
  add(method: string, template: string, handler: Handler, options: { auth?: boolean } = {}): this {
    this.routes.push({ method, segments: split(template), auth: options.auth ?? true, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}

function matchSegments(template: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] ?? '';
    const p = parts[i] ?? '';
    if (t.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(p);
      } catch {
        return undefined;
      }
      params[t.slice(1)] = value;
    } else if (t !== p) {
      return undefined;
    }
  }
  return params;
}

/** The request body as JSON; an empty body reads as {}. */
export function jsonBody(req: SimRequest): unknown {
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid('the request body is not valid JSON');
  }
}

export const ok = (body: unknown, status = 200): SimReply => ({ status, body });
