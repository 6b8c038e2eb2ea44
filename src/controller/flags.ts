// Command-line flags of `capi-dcs-controller`, parsed without side effects (unit-tested).

import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { isLogLevel, type LogLevel } from './runtime/log';

export interface ControllerOptions {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  /** Watch one namespace; undefined = all namespaces. */
  readonly namespace: string | undefined;
  readonly leaderElect: boolean;
  readonly leaderElectionNamespace: string;
  readonly leaderElectionId: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly identity: string;
  readonly healthAddr: string;
  readonly metricsAddr: string;
  readonly logLevel: LogLevel;
  readonly concurrency: number;
  readonly kubeApiQps: number;
  readonly kubeApiBurst: number;
  readonly pollMs: number;
  readonly safeStopTimeoutMs: number;
  readonly slotRetryMs: number;
  readonly resyncMs: number;
  /** While DCS refuses a credential: how often its Secret is read again for a fix. */
  readonly credentialRecheckMs: number;
  readonly version: boolean;
  readonly help: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `capi-dcs-controller: the Cluster API infrastructure provider for Huawei DCS

  --kubeconfig FILE            kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME               kubeconfig context (default: its current context)
  --namespace NS               watch only this namespace (default: all namespaces)
  --leader-elect               run the controllers only while holding a Lease
  --leader-election-namespace NS   namespace of the Lease (default: --namespace, else default)
  --leader-election-id NAME    name of the Lease (default capi-dcs-controller-leader)
  --leader-elect-lease-duration D  (default 15s)  --leader-elect-renew-deadline D (10s)
  --leader-elect-retry-period D    (default 2s)
  --health-addr HOST:PORT      /healthz and /readyz (default 127.0.0.1:8081; port 0 = any)
  --metrics-addr HOST:PORT     /metrics (default 127.0.0.1:8080; 0 = off; same as health = one port)
  --log-level LEVEL            debug, info (default), warn, error
  --concurrency N              DCSMachines reconciled at once (default 32)
  --kube-api-qps N --kube-api-burst N   client-side API rate limit (default 300 / 600)
  --task-poll D                poll interval of DCS tasks (default 2s)
  --safe-stop-timeout D        force-stop a VM whose safe stop takes longer (default 5m)
  --slot-retry D               retry interval while a pool is exhausted (default 30s)
  --resync D                   re-check provisioned machines this often (default 10m)
  --credential-recheck D       while DCS refuses a credential, re-read its Secret this often and
                               log in again at once when it changed (default 30s; an unchanged
                               Secret is not tried again for 5m: failed logins lock DCS accounts)
  --version                    print the version and exit
Durations: 500ms, 2s, 5m, 1h. Logs are JSON lines on stderr. SIGTERM/SIGINT stop it cleanly.`;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(value: string, flag: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) throw new UsageError(`--${flag}: "${value}" is not a duration (examples: 500ms, 2s, 5m)`);
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000));
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number of at least 1`);
  return n;
}

export function parseFlags(argv: readonly string[]): ControllerOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string' },
        'leader-elect': { type: 'boolean' },
        'leader-election-namespace': { type: 'string' },
        'leader-election-id': { type: 'string' },
        'leader-elect-lease-duration': { type: 'string' },
        'leader-elect-renew-deadline': { type: 'string' },
        'leader-elect-retry-period': { type: 'string' },
        'health-addr': { type: 'string' },
        'metrics-addr': { type: 'string' },
        'log-level': { type: 'string' },
        concurrency: { type: 'string' },
        'kube-api-qps': { type: 'string' },
        'kube-api-burst': { type: 'string' },
        'task-poll': { type: 'string' },
        'safe-stop-timeout': { type: 'string' },
        'slot-retry': { type: 'string' },
        resync: { type: 'string' },
        'credential-recheck': { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err: unknown) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`--log-level must be debug, info, warn or error`);
  const duration = (flag: keyof typeof values, fallback: string): number => {
    const raw = values[flag];
    return parseDuration(typeof raw === 'string' ? raw : fallback, flag);
  };
  const leaseDurationMs = duration('leader-elect-lease-duration', '15s');
  const renewDeadlineMs = duration('leader-elect-renew-deadline', '10s');
  const retryPeriodMs = duration('leader-elect-retry-period', '2s');
  if (!(leaseDurationMs > renewDeadlineMs && renewDeadlineMs > retryPeriodMs)) {
    throw new UsageError('leader election needs lease duration > renew deadline > retry period');
  }
  const namespace = values.namespace === '' ? undefined : values.namespace;
  return {
    kubeconfig: values.kubeconfig,
    context: values.context,
    namespace,
    leaderElect: values['leader-elect'] ?? false,
    leaderElectionNamespace: values['leader-election-namespace'] ?? namespace ?? 'default',
    leaderElectionId: values['leader-election-id'] ?? 'capi-dcs-controller-leader',
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    identity: `${hostname()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`,
    healthAddr: values['health-addr'] ?? '127.0.0.1:8081',
    metricsAddr: values['metrics-addr'] ?? '127.0.0.1:8080',
    logLevel,
    concurrency: positiveInt(values.concurrency, 'concurrency', 32),
    kubeApiQps: positiveInt(values['kube-api-qps'], 'kube-api-qps', 300),
    kubeApiBurst: positiveInt(values['kube-api-burst'], 'kube-api-burst', 600),
    pollMs: duration('task-poll', '2s'),
    safeStopTimeoutMs: duration('safe-stop-timeout', '5m'),
    slotRetryMs: duration('slot-retry', '30s'),
    resyncMs: duration('resync', '10m'),
    credentialRecheckMs: duration('credential-recheck', '30s'),
    version: values.version ?? false,
    help: values.help ?? false,
  };
}
