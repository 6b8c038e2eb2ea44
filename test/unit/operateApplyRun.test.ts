// The apply run against a small HTTP server on 127.0.0.1 that speaks just enough of the API server for
// ConfigMaps: a cancel in the middle keeps what was applied (the object in flight is 'cancelled', the rest
// 'skipped'), and an API server that cannot be reached is one failure for the whole run, never one per object.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { planApply } from '../../src/operate/applyPlan';
import { commitApply, previewApply } from '../../src/operate/applyRun';
import { checkReachable, UnreachableError } from '../../src/operate/reachability';
import { closedPort, listen, objectApiAt, stop } from './operateHttp';

const configMaps = (...names: string[]): string => names.map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\ndata: {k: v}\n`).join('---\n');

describe('apply run: cancel and an unreachable server', () => {
  /** Names of the real (not dry-run) applies the server received. */
  const applied: string[] = [];
  /** A real apply of this ConfigMap never gets an answer; onHeld fires when it arrives. */
  let hold = '';
  let onHeld: () => void = () => undefined;
  const held: ServerResponse[] = [];
  let server: Server;
  let url = '';

  /** The answer to one request: [status, body], or undefined to keep the client waiting. */
  const answer = (req: IncomingMessage, body: string): [number, unknown] | undefined => {
    const path = new URL(req.url ?? '/', 'http://x');
    if (path.pathname === '/version') return [200, { gitVersion: 'v1.36.3' }];
    if (path.pathname === '/api/v1') return [200, { resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true }] }];
    const name = /^\/api\/v1\/namespaces\/default\/configmaps\/([^/]+)$/.exec(path.pathname)?.[1];
    if (!name) return [404, { kind: 'Status', reason: 'NotFound', message: `${path.pathname} not found` }];
    if (req.method === 'GET') return [404, { kind: 'Status', reason: 'NotFound', message: `configmaps "${name}" not found` }];
    const object = JSON.parse(body) as { metadata: Record<string, unknown> };
    const result = { ...object, metadata: { ...object.metadata, namespace: 'default', resourceVersion: '7' } };
    if (path.searchParams.get('dryRun') === 'All') return [200, result];
    applied.push(name);
    return name === hold ? undefined : [201, result];
  };

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const reply = answer(req, body);
        if (reply) res.writeHead(reply[0], { 'Content-Type': 'application/json' }).end(JSON.stringify(reply[1]));
        else {
          held.push(res);
          onHeld();
        }
      });
    });
    url = await listen(server);
  });

  after(async () => {
    for (const res of held) res.destroy();
    await stop(server);
  });

  it('keeps what was applied when cancelled mid-apply: applied, cancelled in flight, skipped after', async () => {
    applied.length = 0;
    hold = 'b';
    const controller = new AbortController();
    onHeld = () => {
      controller.abort();
    };
    const plan = planApply([{ uri: 'file:///maps.yaml', text: configMaps('a', 'b', 'c') }]);
    const result = await commitApply(objectApiAt(url), plan, { signal: controller.signal });
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.entries.map((e) => `${e.ref.name}:${e.outcome}`), ['a:created', 'b:cancelled', 'c:skipped']);
    assert.deepEqual(applied, ['a', 'b'], 'c was never sent');
  });

  it('ends a cancel during the second dry run with nothing in flight and everything skipped', async () => {
    applied.length = 0;
    const controller = new AbortController();
    controller.abort();
    const plan = planApply([{ uri: 'file:///maps.yaml', text: configMaps('a', 'b') }]);
    const result = await commitApply(objectApiAt(url), plan, { signal: controller.signal });
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.entries.map((e) => `${e.ref.name}:${e.outcome}`), ['a:skipped', 'b:skipped']);
    assert.deepEqual(applied, []);
  });

  it('reaches a server that answers /version', async () => {
    await checkReachable(objectApiAt(url).client);
  });

  it('says once that a closed loopback port cannot be reached, naming the server and the context', async () => {
    const closed = await closedPort();
    const api = objectApiAt(closed);
    await assert.rejects(checkReachable(api.client), (error: unknown) => {
      assert.ok(error instanceof UnreachableError);
      assert.equal(error.message.startsWith(`cannot reach ${closed} (context lab-ctx): `), true, error.message);
      assert.match(error.message, /ECONNREFUSED/);
      assert.match(error.message, /Is the cluster running\? Check the kubeconfig/);
      return true;
    });
  });

  it('gives up on a server that accepts the connection but never answers, after the short deadline', async () => {
    const silent = createServer(() => undefined);
    const silentUrl = await listen(silent);
    try {
      const started = Date.now();
      await assert.rejects(checkReachable(objectApiAt(silentUrl).client, undefined, 300), /cannot reach .*no answer within 300 ms/);
      assert.ok(Date.now() - started < 5_000);
    } finally {
      await stop(silent);
    }
  });

  it('throws a network failure from the dry run instead of filing it against each object', async () => {
    const plan = planApply([{ uri: 'file:///maps.yaml', text: configMaps('a', 'b') }]);
    await assert.rejects(previewApply(objectApiAt(await closedPort()), plan), /ECONNREFUSED/);
  });
});
