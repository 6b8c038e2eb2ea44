// Turns what a Kubernetes call threw into one of a few kinds the explorer acts on, plus a plain sentence.
import { KubeHttpError } from '../shared/kubeGet';

export { KubeHttpError, statusMessage } from '../shared/kubeGet';

export type FailureKind = 'forbidden' | 'notFound' | 'unauthorized' | 'gone' | 'unreachable' | 'other';

export interface KubeFailure {
  readonly kind: FailureKind;
  readonly status?: number;
  /** One sentence for a tree item or the log (never credentials: messages come from the API server or Node). */
  readonly message: string;
}

export function classifyFailure(error: unknown): KubeFailure {
  const record = asRecord(error) ?? {};
  const status = error instanceof KubeHttpError ? error.status : numberish(record.statusCode) ?? numberish(record.code);
  const message = error instanceof Error ? error.message : String(error);
  if (status !== undefined) {
    if (status === 401) return { kind: 'unauthorized', status, message };
    if (status === 403) return { kind: 'forbidden', status, message };
    if (status === 404) return { kind: 'notFound', status, message };
    if (status === 410) return { kind: 'gone', status, message };
    if (status >= 500 || status === 429) return { kind: 'unreachable', status, message };
    return { kind: 'other', status, message };
  }
  // Node and node-fetch system errors (ECONNREFUSED, ECONNRESET, TLS failures, timeouts) carry a string code.
  if (typeof record.code === 'string' || record.type === 'system' || record.name === 'AbortError' || record.name === 'TimeoutError') {
    return { kind: 'unreachable', message: `${plainReason(typeof record.code === 'string' ? record.code : String(record.name))}: ${message}` };
  }
  return { kind: 'other', message };
}

/** A few words for people in front of Node's error codes. */
function plainReason(code: string): string {
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') return 'connection lost';
  if (code === 'ETIMEDOUT' || code === 'TimeoutError' || code === 'AbortError') return 'no answer';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'server name not found';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'server not reachable';
  if (code.includes('CERT') || code.includes('TLS') || code.includes('SSL')) return 'TLS failure';
  return 'connection failed';
}

function numberish(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value < 600 ? value : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
