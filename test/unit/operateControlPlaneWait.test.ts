// Waiting for the control plane's rollout through a loopback server that stands in for the API server: the
// wait rides out dropped connections and 503s until its deadline, and stops at once on a refusal.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { RolloutTimeoutError, waitForControlPlane, type RolloutState } from '../../src/operate/controlPlaneWait';
import type { ObjectRef } from '../../src/operate/objectApi';
import { listen, objectApiAt, stop } from './operateHttp';

const KCP: ObjectRef = { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', namespace: 'cpaas-system', name: 'lab-b-kcp' };
const DONE = {
  apiVersion: KCP.apiVersion,
  kind: KCP.kind,
  metadata: { name: KCP.name, namespace: KCP.namespace, generation: 2 },
  spec: { replicas: 3, version: 'v1.35.2-1' },
  status: { observedGeneration: 2, replicas: 3, upToDateReplicas: 3, availableReplicas: 3, versions: [{ version: 'v1.35.2-1', replicas: 3 }] },
};

type Answer = 'drop' | 503 | 403 | 'done';

describe('waiting for the control plane', () => {
  /** What the next GETs of the KubeadmControlPlane get, in order; the last one repeats. */
  let answers: Answer[] = [];
  let gets = 0;
  let url = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    };
    if (req.url === `/apis/${KCP.apiVersion}`) {
      json(200, { resources: [{ name: 'kubeadmcontrolplanes', kind: KCP.kind, namespaced: true }] });
      return;
    }
    const answer = answers[Math.min(gets, answers.length - 1)];
    gets++;
    if (answer === 'drop') req.socket.destroy();
    else if (answer === 'done') json(200, DONE);
    else json(answer ?? 500, { kind: 'Status', code: answer, reason: answer === 403 ? 'Forbidden' : 'ServiceUnavailable', message: answer === 403 ? 'kubeadmcontrolplanes is forbidden' : 'the server is currently unable to handle the request' });
  });

  before(async () => {
    url = await listen(server);
  });

  after(async () => {
    await stop(server);
  });

  it('retries a dropped connection and a 503 until the control plane answers done', async () => {
    answers = ['drop', 503, 'done'];
    gets = 0;
    const seen: RolloutState[] = [];
    await waitForControlPlane(objectApiAt(url), KCP, { timeoutMs: 10_000, intervalMs: 20, onProgress: (s) => seen.push(s) });
    assert.equal(gets, 3);
    assert.deepEqual(seen.map((s) => s.done), [false, false, true]);
    assert.match(seen[1]?.summary ?? '', /^cannot read it now \(the server is currently unable to handle the request\), trying again$/);
  });

  it('gives up at the deadline when the server keeps failing, saying why', async () => {
    answers = [503];
    gets = 0;
    await assert.rejects(waitForControlPlane(objectApiAt(url), KCP, { timeoutMs: 200, intervalMs: 20 }), (error: unknown) => {
      assert.ok(error instanceof RolloutTimeoutError);
      assert.match(error.message, /did not finish its rollout .*cannot read it now/);
      return true;
    });
    assert.ok(gets > 2, `retried (${gets} reads)`);
  });

  it('stops at once when RBAC refuses the read', async () => {
    answers = [403, 'done'];
    gets = 0;
    await assert.rejects(waitForControlPlane(objectApiAt(url), KCP, { timeoutMs: 10_000, intervalMs: 20 }), /forbidden/);
    assert.equal(gets, 1);
  });
});
