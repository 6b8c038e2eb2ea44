// The shared DCS client (src/shared/dcs) against scripted transports: no sockets.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ownerDescription, ownerUidOf } from '../../src/shared/dcs/client';
import { DcsAuthError, DcsCodes, DcsError, DcsNotFoundError, DcsTaskFailedError, DcsTransientError, errorFromReply } from '../../src/shared/dcs/errors';
import { HttpDcsClient } from '../../src/shared/dcs/http';
import type { DcsTransport, TransportRequest, TransportResponse } from '../../src/shared/dcs/transport';
import { parseDcsUrn, uriOfUrn, urnOfUri } from '../../src/shared/dcs/urn';

const SECRET = 'Sup3r-Secret!';

function reply(status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse {
  return { status, text: JSON.stringify(body), header: (name) => headers[name] };
}

function client(script: (req: TransportRequest, n: number) => TransportResponse | Promise<TransportResponse>, timeoutMs = 1_000): { dcs: HttpDcsClient; calls: TransportRequest[] } {
  const calls: TransportRequest[] = [];
  const transport: DcsTransport = async (req) => {
    calls.push(req);
    return script(req, calls.length);
  };
  const dcs = new HttpDcsClient({ endpoint: 'http://127.0.0.1:1/', site: 'S1', credentials: { authUser: 'u', authKey: SECRET }, transport, timeoutMs });
  return { dcs, calls };
}

const login = (): TransportResponse => reply(200, { userName: 'u' }, { 'X-Auth-Token': 'tok' });

describe('DCS URNs', () => {
  it('round-trips URNs and URIs, port groups included', () => {
    assert.equal(uriOfUrn('urn:sites:S1:vms:i-0000000A'), '/service/sites/S1/vms/i-0000000A');
    assert.equal(uriOfUrn('urn:sites:S1:dvswitchs:4:portgroups:7'), '/service/sites/S1/dvswitchs/4/portgroups/7');
    assert.equal(urnOfUri('/service/sites/S1/volumes/9841'), 'urn:sites:S1:volumes:9841');
    assert.equal(urnOfUri('/service/sites/S1/dvswitchs/4/portgroups/7'), 'urn:sites:S1:dvswitchs:4:portgroups:7');
    assert.deepEqual(parseDcsUrn('urn:sites:S1:tasks:5'), { site: 'S1', kind: 'tasks', id: '5' });
    for (const bad of ['urn:sites:S1:bananas:1', 'urn:x:S1:vms:1', 'urn:sites:S1:vms', 'urn:sites:S1:vms:a/b']) assert.equal(parseDcsUrn(bad), undefined, bad);
    assert.throws(() => uriOfUrn('nope'), /not a DCS URN/);
  });

  it('ties a VM description to a DCSMachine UID', () => {
    assert.equal(ownerUidOf({ description: ownerDescription('1234-abcd') }), '1234-abcd');
    assert.equal(ownerUidOf({ description: `note\n${ownerDescription('u-2')}` }), 'u-2');
    assert.equal(ownerUidOf({ description: 'hand made' }), undefined);
  });
});

describe('DCS error mapping', () => {
  it('maps replies to typed errors', () => {
    assert.ok(errorFromReply('GET /x', 404, { errorCode: '10000404', errorDes: 'gone' }) instanceof DcsNotFoundError);
    assert.ok(errorFromReply('POST /s', 403, { errorCode: DcsCodes.accountLocked, errorDes: 'locked' }) instanceof DcsAuthError);
    const policy = errorFromReply('DELETE /v', 409, { errorCode: 102212808, errorDes: 'stop first' });
    assert.ok(policy instanceof DcsTransientError);
    assert.equal(policy.code, '102212808');
    assert.ok(errorFromReply('GET /x', 503, 'not json') instanceof DcsTransientError);
    const plain = errorFromReply('PUT /c', 409, { errorCode: '10000409', errorDes: 'busy' });
    assert.equal(plain.constructor, DcsError);
    assert.equal(plain.message, 'PUT /c: busy (DCS 10000409)');
  });
});

describe('HttpDcsClient', () => {
  it('logs in with the SHA-256 of the key and sends the token afterwards', async () => {
    const { dcs, calls } = client((_req, n) => (n === 1 ? login() : reply(200, { sites: [] })));
    await dcs.listSites();
    const [first, second] = calls;
    assert.ok(first && second);
    assert.equal(first.headers['X-Auth-User'], 'u');
    assert.match(first.headers['X-Auth-Key'] ?? '', /^[0-9a-f]{64}$/);
    assert.equal(first.headers['X-ENCRYPT-ALGORITHM'], '1');
    assert.equal(first.headers.version, '8.1');
    assert.equal(second.headers['X-Auth-Token'], 'tok');
    assert.ok(!JSON.stringify(calls).includes(SECRET));
  });

  it('shares one login among concurrent first calls', async () => {
    const { dcs, calls } = client((req) => (req.url.endsWith('/service/session') ? login() : reply(200, { hosts: [] })));
    await Promise.all([dcs.listHosts(), dcs.listHosts(), dcs.listHosts()]);
    assert.equal(calls.filter((c) => c.url.endsWith('/service/session')).length, 1);
  });

  it('logs in again only once when the token keeps being refused', async () => {
    const { dcs, calls } = client((req) => (req.url.endsWith('/service/session') ? login() : reply(401, { errorCode: DcsCodes.notLoggedIn, errorDes: 'expired' })));
    await assert.rejects(dcs.listHosts(), (e: unknown) => e instanceof DcsAuthError && e.code === DcsCodes.notLoggedIn);
    assert.equal(calls.length, 4, 'login, call, login, call');
  });

  it('reports refused connections and timeouts as transient, without the key', async () => {
    const refused = client(() => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).dcs;
    const err = await refused.login().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof DcsTransientError);
    assert.match(err.message, /ECONNREFUSED/);
    assert.ok(!err.message.includes(SECRET));
    const hanging = client((req) => new Promise((_resolve, reject) => req.signal.addEventListener('abort', () => reject(new Error('aborted')))), 50).dcs;
    await assert.rejects(hanging.login(), (e: unknown) => e instanceof DcsTransientError && e.message.includes('no reply within 50 ms'));
  });

  it('waits for a task and turns a failure into DcsTaskFailedError', async () => {
    const states = ['running', 'running', 'failed'];
    const { dcs } = client((req) => {
      if (req.url.endsWith('/service/session')) return login();
      const status = states.shift() ?? 'failed';
      return reply(200, { urn: 'urn:sites:S1:tasks:9', type: 'clone', entityName: 'vm-1', status, progress: 50, reason: status === 'failed' ? '10000599' : '', reasonDes: 'no space' });
    });
    const err = await dcs.waitForTask({ taskUrn: 'urn:sites:S1:tasks:9', taskUri: '/service/sites/S1/tasks/9' }, { intervalMs: 1 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof DcsTaskFailedError);
    assert.deepEqual([err.code, err.taskUrn, err.message], ['10000599', 'urn:sites:S1:tasks:9', 'DCS task clone on vm-1 failed: no space']);
  });

  it('finds names exactly although DCS matches them fuzzily', async () => {
    const vm = (name: string, isTemplate: boolean): Record<string, unknown> => ({ urn: `urn:sites:S1:vms:${name}`, name, isTemplate, description: '' });
    const { dcs } = client((req) => {
      if (req.url.endsWith('/service/session')) return login();
      const url = new URL(req.url);
      if (url.pathname.endsWith('/vms')) return reply(200, { total: 3, vms: [vm('node-1', false), vm('node-10', false), vm('node-1', true)] });
      return reply(200, vm(url.pathname.split('/').pop() ?? '', false));
    });
    assert.deepEqual((await dcs.findVmsByName('node-1')).map((v) => v.name), ['node-1']);
  });

  it('refuses a volume name that is ambiguous', async () => {
    const { dcs } = client((req) => (req.url.endsWith('/service/session') ? login() : reply(200, { volumes: [{ name: 'v' }, { name: 'v' }, { name: 'v2' }] })));
    await assert.rejects(dcs.findVolumeByName('v'), /2 DCS volumes are named v/);
  });
});
