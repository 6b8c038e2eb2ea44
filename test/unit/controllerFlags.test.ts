// capi-dcs-controller flags: defaults, durations, leader election, refusals.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration, parseFlags, UsageError } from '../../src/controller/flags';

describe('capi-dcs-controller flags', () => {
  it('has defaults that watch every namespace on loopback endpoints without leader election', () => {
    const o = parseFlags([]);
    assert.equal(o.namespace, undefined);
    assert.equal(o.leaderElect, false);
    assert.equal(o.healthAddr, '127.0.0.1:8081');
    assert.equal(o.metricsAddr, '127.0.0.1:8080');
    assert.equal(o.logLevel, 'info');
    assert.equal(o.concurrency, 32);
    assert.deepEqual([o.leaseDurationMs, o.renewDeadlineMs, o.retryPeriodMs], [15_000, 10_000, 2_000]);
    assert.equal(o.leaderElectionNamespace, 'default');
    assert.equal(o.credentialRecheckMs, 30_000);
  });

  it('reads every flag', () => {
    const o = parseFlags([
      '--kubeconfig', '/tmp/kc', '--context', 'lab', '--namespace', 'cpaas-system', '--leader-elect',
      '--health-addr', '127.0.0.1:0', '--metrics-addr', '0', '--log-level', 'debug', '--concurrency', '64',
      '--task-poll', '250ms', '--safe-stop-timeout', '2m', '--leader-elect-lease-duration', '3s',
      '--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', '500ms',
    ]);
    assert.deepEqual(
      [o.kubeconfig, o.context, o.namespace, o.leaderElect, o.healthAddr, o.metricsAddr, o.logLevel, o.concurrency, o.pollMs, o.safeStopTimeoutMs],
      ['/tmp/kc', 'lab', 'cpaas-system', true, '127.0.0.1:0', '0', 'debug', 64, 250, 120_000],
    );
    assert.equal(o.leaderElectionNamespace, 'cpaas-system', 'the lease lives in the watched namespace');
    assert.deepEqual([o.leaseDurationMs, o.renewDeadlineMs, o.retryPeriodMs], [3_000, 2_000, 500]);
    assert.equal(parseFlags(['--version']).version, true);
    assert.equal(parseFlags(['--credential-recheck', '5s']).credentialRecheckMs, 5_000);
  });

  it('parses durations', () => {
    assert.deepEqual(['500ms', '2s', '1.5s', '5m', '1h'].map((d) => parseDuration(d, 'x')), [500, 2_000, 1_500, 300_000, 3_600_000]);
    assert.throws(() => parseDuration('5', 'task-poll'), /--task-poll: "5" is not a duration/);
  });

  it('refuses unknown flags, bad values and an impossible lease', () => {
    assert.throws(() => parseFlags(['--nope']), UsageError);
    assert.throws(() => parseFlags(['--log-level', 'loud']), /--log-level must be/);
    assert.throws(() => parseFlags(['--concurrency', '0']), /--concurrency must be a whole number/);
    assert.throws(() => parseFlags(['--leader-elect-lease-duration', '2s']), /lease duration > renew deadline > retry period/);
  });
});
