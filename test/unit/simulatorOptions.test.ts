import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loggablePath, jsonLogger } from '../../src/simulator/log';
import { parseCli, UsageError } from '../../src/simulator/options';

describe('simulator command line', () => {
  it('defaults to 127.0.0.1:7443, memory state, built-in inventory', () => {
    const cli = parseCli([]);
    assert.deepEqual([cli.host, cli.port, cli.stateFile, cli.inventoryFile, cli.logLevel], ['127.0.0.1', 7443, undefined, undefined, 'info']);
  });

  it('reads every flag, repeatable fault flags included', () => {
    const cli = parseCli([
      '--host', '127.0.0.9', '--port', '0', '--state', 's.json', '--inventory', 'i.yaml', '--latency-ms', '25',
      '--token-idle-seconds', '60', '--fail-next', 'clone=1', '--fail-next', 'start=2', '--slow-host', 'CNA-01=3',
      '--exhaust-datastore', 'ds-gold', '--stick-next', 'clone=1', '--log-level', 'debug',
    ]);
    assert.deepEqual([cli.host, cli.port, cli.stateFile, cli.inventoryFile, cli.latencyMs, cli.tokenIdleSeconds], ['127.0.0.9', 0, 's.json', 'i.yaml', 25, 60]);
    assert.deepEqual(cli.faultFlags, { failNext: ['clone=1', 'start=2'], stickNext: ['clone=1'], exhaustDatastore: ['ds-gold'], slowHost: ['CNA-01=3'] });
  });

  it('refuses non-loopback hosts and bad values', () => {
    for (const host of ['0.0.0.0', '192.168.1.1', 'localhost', '::1']) assert.throws(() => parseCli(['--host', host]), /127\.0\.0\.0\/8/);
    assert.throws(() => parseCli(['--port', '70000']), UsageError);
    assert.throws(() => parseCli(['--tls-cert', 'c.pem']), /go together/);
    assert.throws(() => parseCli(['--log-level', 'loud']), UsageError);
    assert.throws(() => parseCli(['--frobnicate']), UsageError);
  });

  it('logs one JSON object per line and hides upload tickets', () => {
    const lines: string[] = [];
    const log = jsonLogger((l) => lines.push(l), 'info', () => 0);
    log.debug('hidden');
    log.info('request', { path: loggablePath('/sim-host/CNA-01/upload/abcdef') });
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0] ?? ''), { time: '1970-01-01T00:00:00.000Z', level: 'info', component: 'capi-dcs-sim', msg: 'request', path: '/sim-host/CNA-01/upload/<ticket>' });
  });
});
