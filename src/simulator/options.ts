// Command-line flags of `capi-dcs-sim`, parsed without side effects so they can be unit-tested.

import { parseArgs } from 'node:util';
import { isLoopbackIPv4 } from './inventory';
import type { LogLevel } from './log';

export interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly stateFile: string | undefined;
  readonly inventoryFile: string | undefined;
  readonly usersFile: string | undefined;
  readonly latencyMs: number | undefined;
  readonly tokenIdleSeconds: number | undefined;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  readonly logLevel: LogLevel;
  readonly faultFlags: { failNext: string[]; stickNext: string[]; exhaustDatastore: string[]; slowHost: string[] };
  readonly help: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `capi-dcs-sim: a Huawei DCS REST API simulator for the loopback lab

  --host ADDR              127.x.y.z address to bind (default 127.0.0.1; others are refused)
  --port N                 port (default 7443; 0 = any free port)
  --inventory FILE         seed inventory YAML (default: the built-in one)
  --state FILE             keep state in FILE (atomic writes); without it state is in memory only
  --users FILE             YAML list of API users [{name, key, type}] added to the inventory's
  --latency-ms N           latency of every task kind (overrides the inventory)
  --token-idle-seconds N   idle time after which a token expires (DCS 10000002)
  --tls-cert FILE --tls-key FILE   serve HTTPS like real DCS (default plain HTTP)
  --fail-next KIND=N       fail the next N tasks of a kind (clone, start, stop, delete, attachvol, ...)
  --stick-next KIND=N      hold the next N tasks of a kind at a fixed progress
  --exhaust-datastore NAME report no free space on a datastore
  --slow-host HOST=FACTOR  multiply task latency on a host
  --log-level LEVEL        debug, info (default), warn, error
Prints one JSON line {"msg":"ready","url":...} on stdout when listening; logs go to stderr.`;

function integer(value: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number between ${min} and ${max}`);
  return n;
}

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        state: { type: 'string' },
        inventory: { type: 'string' },
        users: { type: 'string' },
        'latency-ms': { type: 'string' },
        'token-idle-seconds': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'fail-next': { type: 'string', multiple: true },
        'stick-next': { type: 'string', multiple: true },
        'exhaust-datastore': { type: 'string', multiple: true },
        'slow-host': { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (err: unknown) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  const host = v.host ?? '127.0.0.1';
  if (!isLoopbackIPv4(host)) throw new UsageError(`--host ${host} refused: the simulator binds 127.0.0.0/8 addresses only`);
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  const logLevel = v['log-level'] ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new UsageError('--log-level must be debug, info, warn or error');
  return {
    host,
    port: integer(v.port, 'port', 0, 65535) ?? 7443,
    stateFile: v.state,
    inventoryFile: v.inventory,
    usersFile: v.users,
    latencyMs: integer(v['latency-ms'], 'latency-ms', 0),
    tokenIdleSeconds: integer(v['token-idle-seconds'], 'token-idle-seconds', 1),
    tlsCert: v['tls-cert'],
    tlsKey: v['tls-key'],
    logLevel: logLevel as LogLevel,
    faultFlags: {
      failNext: v['fail-next'] ?? [],
      stickNext: v['stick-next'] ?? [],
      exhaustDatastore: v['exhaust-datastore'] ?? [],
      slowHost: v['slow-host'] ?? [],
    },
    help: v.help ?? false,
  };
}
