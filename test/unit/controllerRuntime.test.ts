// Runtime pieces of the controller without servers: JSON logs (levels, masking), Prometheus
// text, merge patches, API paths and resource versions, the informer cache's write handling.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostPort } from '../../src/controller/runtime/httpEndpoints';
import { Informer } from '../../src/controller/runtime/informer';
import type { KubeClient } from '../../src/controller/runtime/kubeClient';
import { resourceOf } from '../../src/controller/runtime/kubeClient';
import { jsonLogger } from '../../src/controller/runtime/log';
import { Metrics, sampleValue } from '../../src/controller/runtime/metrics';
import { deepEqual, mergePatch } from '../../src/controller/runtime/objectWriter';
import { collectionPath, isNewerVersion, objectPath, splitKey, type KubeObject } from '../../src/controller/runtime/resources';

function capture(level: 'debug' | 'info' = 'info'): { lines: () => Record<string, unknown>[]; raw: () => string; log: ReturnType<typeof jsonLogger> } {
  let out = '';
  const log = jsonLogger((line) => (out += line), level, () => Date.UTC(2026, 0, 1));
  return { log, raw: () => out, lines: () => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('jsonLogger', () => {
  it('writes one JSON object per line with the child fields, and drops lines below the level', () => {
    const { log, lines } = capture('info');
    log.child({ kind: 'DCSMachine', namespace: 'ns', name: 'm-1' }).info('claimed pool entry', { ip: '127.0.0.2', skipped: undefined });
    log.debug('not shown');
    assert.deepEqual(lines(), [{ time: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'claimed pool entry', kind: 'DCSMachine', namespace: 'ns', name: 'm-1', ip: '127.0.0.2' }]);
  });

  it('masks secret-looking fields and every registered secret wherever it appears', () => {
    const { log, raw } = capture();
    log.redact('s3cret-Key!');
    log.redact('abc');
    log.child({ component: 'x' }).error('login failed', { authKey: 'whatever', token: 't', error: 'key s3cret-Key! was refused', note: 'abc stays' });
    const text = raw();
    assert.ok(!text.includes('s3cret-Key!'));
    assert.ok(!text.includes('whatever'));
    assert.match(text, /"authKey":"\[redacted\]"/);
    assert.match(text, /"error":"key \[redacted\] was refused"/);
    assert.match(text, /abc stays/, 'values shorter than 6 characters are not masked');
  });
});

describe('Metrics', () => {
  it('renders the other families when one collector throws (no /proc in a bare chroot)', () => {
    const m = new Metrics();
    m.gauge('process_resident_memory_bytes', 'RSS.', () => {
      throw new Error('ENOENT: /proc/self/statm');
    });
    m.gauge('capi_dcs_leader', 'Leader.', () => [{ labels: {}, value: 1 }]);
    const text = m.render();
    assert.match(text, /^capi_dcs_leader 1$/m);
    assert.doesNotMatch(text, /^process_resident_memory_bytes /m);
  });

  it('renders counters and gauges in the Prometheus text format, and reads samples back', () => {
    const m = new Metrics();
    const requests = m.counter('capi_dcs_kube_api_requests_total', 'Requests.');
    requests.inc({ verb: 'patch', resource: 'dcsmachines' });
    requests.inc({ verb: 'patch', resource: 'dcsmachines' }, 2);
    requests.inc({ verb: 'get', resource: 'secrets' });
    m.gauge('capi_dcs_workqueue_depth', 'Depth.', () => [{ labels: { name: 'dcsmachine' }, value: 7 }]);
    const text = m.render();
    assert.match(text, /^# TYPE capi_dcs_kube_api_requests_total counter$/m);
    assert.match(text, /^capi_dcs_kube_api_requests_total\{resource="dcsmachines",verb="patch"\} 3$/m);
    assert.match(text, /^capi_dcs_workqueue_depth\{name="dcsmachine"\} 7$/m);
    assert.equal(sampleValue(text, 'capi_dcs_kube_api_requests_total'), 4);
    assert.equal(sampleValue(text, 'capi_dcs_kube_api_requests_total', { verb: 'get', resource: 'secrets' }), 1);
    assert.equal(requests.get(), 4);
  });
});

describe('mergePatch', () => {
  it('sends only what changed, nulls removed fields and replaces arrays whole', () => {
    const before = { ready: false, addresses: [{ type: 'InternalIP', address: '1' }], networkConfig: { ip: 'a', mask: '24' }, gone: 'x' };
    const after = { ready: true, addresses: [{ type: 'InternalIP', address: '1' }, { type: 'Hostname', address: 'h' }], networkConfig: { ip: 'a' } };
    assert.deepEqual(mergePatch(before, after), {
      ready: true,
      addresses: after.addresses,
      networkConfig: { mask: null },
      gone: null,
    });
    assert.equal(mergePatch({ a: [{ x: 1, y: 2 }] }, { a: [{ y: 2, x: 1 }] }), undefined, 'key order does not matter');
  });

  it('compares JSON values structurally', () => {
    assert.ok(deepEqual({ a: 1, b: [1, { c: undefined }] }, { b: [1, {}], a: 1 }));
    assert.ok(!deepEqual([1, 2], [2, 1]));
    assert.ok(!deepEqual({ a: 1 }, { a: 1, b: 2 }));
  });
});

describe('API paths and versions', () => {
  const kind = { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta1', plural: 'dcsmachines', kind: 'DCSMachine' };
  it('builds collection and object paths, and names the resource of a path', () => {
    assert.equal(collectionPath(kind), '/apis/infrastructure.cluster.x-k8s.io/v1beta1/dcsmachines');
    assert.equal(objectPath(kind, 'ns', 'm-1', 'status'), '/apis/infrastructure.cluster.x-k8s.io/v1beta1/namespaces/ns/dcsmachines/m-1/status');
    assert.equal(collectionPath({ group: '', version: 'v1', plural: 'secrets', kind: 'Secret' }, 'ns'), '/api/v1/namespaces/ns/secrets');
    assert.equal(resourceOf('/apis/infrastructure.cluster.x-k8s.io/v1beta1/namespaces/ns/dcsmachines/m-1/status'), 'dcsmachines/status');
    assert.equal(resourceOf('/api/v1/namespaces/ns/secrets/s?x=1'), 'secrets');
    assert.equal(resourceOf('/api/v1/namespaces'), 'namespaces');
    assert.deepEqual(splitKey('ns/m-1'), { namespace: 'ns', name: 'm-1' });
  });

  it('orders resource versions numerically and prefers the server copy otherwise', () => {
    assert.ok(isNewerVersion('100', '99'));
    assert.ok(!isNewerVersion('99', '100'));
    assert.ok(!isNewerVersion('5', '5'));
    assert.ok(isNewerVersion('abc', '5'));
  });

  it('parses listen addresses', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:8081'), { host: '127.0.0.1', port: 8081 });
    assert.deepEqual(parseHostPort(':0'), { host: '127.0.0.1', port: 0 });
    assert.throws(() => parseHostPort('127.0.0.1:http'), /not host:port/);
  });
});

describe('Informer cache and our own writes', () => {
  const obj = (rv: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ metadata: { namespace: 'ns', name: 'a', resourceVersion: rv, ...extra } });
  const informer = (): { inf: Informer<KubeObject>; events: string[] } => {
    const inf = new Informer<KubeObject>({} as unknown as KubeClient, { group: '', version: 'v1', plural: 'things', kind: 'Thing' }, 'ns', jsonLogger(() => undefined));
    const events: string[] = [];
    inf.addHandlers({ onAdd: (o) => events.push(`add ${o.metadata.resourceVersion ?? ''}`), onUpdate: (_a, o) => events.push(`update ${o.metadata.resourceVersion ?? ''}`), onDelete: () => events.push('delete') });
    return { inf, events };
  };

  it('keeps the newest copy and runs handlers only when asked', () => {
    const { inf, events } = informer();
    inf.recordWrite(obj('10'));
    inf.recordWrite(obj('9'));
    assert.equal(inf.get('ns', 'a')?.metadata.resourceVersion, '10');
    inf.recordWrite(obj('11'), true);
    assert.deepEqual(events, ['update 11']);
  });

  it('forgets a deleted object and maintains indexes', () => {
    const { inf, events } = informer();
    inf.addIndex('label', (o) => [o.metadata.labels?.l ?? '']);
    inf.recordWrite(obj('3', { labels: { l: 'x' } }));
    assert.deepEqual(inf.byIndex('label', 'x').map((o) => o.metadata.name), ['a']);
    inf.recordGone(obj('4'));
    assert.equal(inf.get('ns', 'a'), undefined);
    assert.deepEqual(inf.byIndex('label', 'x'), []);
    assert.deepEqual(events, ['delete']);
    inf.recordWrite(obj('3', { labels: { l: 'x' } }));
    assert.equal(inf.get('ns', 'a'), undefined, 'an older copy does not bring a deleted object back');
  });
});
