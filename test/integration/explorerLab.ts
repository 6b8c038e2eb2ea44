// Helpers for the explorer's tests against the real local API server: server-side apply of objects and
// of their status (CAPI's controllers do not run in the lab, so tests write status themselves), deletes,
// and stopping and starting the plane's kube-apiserver again on the same port and etcd.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { KIND_INFO, type WatchedKind } from '../../src/kube/kinds';
import type { ManagementPlane } from '../../src/lab/mgmtPlane';
import { isAlive, signalGroup } from '../../src/lab/processes';
import type { Obj } from '../unit/explorerFixtures';

const FIELD_MANAGER = 'capi-dcs-explorer-test';

export function loadKubeconfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export async function kubeRequest(kc: KubeConfig, method: string, path: string, body?: { type: string; data: string }): Promise<{ status: number; body: string }> {
  const url = new URL(path, kc.getCurrentCluster()?.server);
  const options: RequestOptions = { method, headers: { Accept: 'application/json', ...(body ? { 'Content-Type': body.type } : {}) } };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...options, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body?.data);
  });
}

function objectPath(o: { apiVersion: string; kind: string; metadata: { name: string; namespace: string } }): string {
  const info = KIND_INFO[o.kind as WatchedKind];
  return `/apis/${o.apiVersion}/namespaces/${o.metadata.namespace}/${info.plural}/${o.metadata.name}`;
}

async function ok(what: string, res: Promise<{ status: number; body: string }>): Promise<string> {
  const r = await res;
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: HTTP ${r.status} ${r.body.slice(0, 600)}`);
  return r.body;
}

async function ssa(kc: KubeConfig, path: string, object: unknown): Promise<string> {
  return ok(`apply ${path}`, kubeRequest(kc, 'PATCH', `${path}?fieldManager=${FIELD_MANAGER}&force=true`, { type: 'application/apply-patch+yaml', data: JSON.stringify(object) }));
}

export async function ensureNamespace(kc: KubeConfig, name: string): Promise<void> {
  await ssa(kc, `/api/v1/namespaces/${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Applies the object without status, then its status through the status subresource. */
export async function applyObject(kc: KubeConfig, o: Obj): Promise<void> {
  const { status, ...rest } = o;
  const path = objectPath(o);
  await ssa(kc, path, rest);
  if (status) await applyStatus(kc, o, status);
}

export async function applyStatus(kc: KubeConfig, o: Obj, status: Record<string, unknown>): Promise<void> {
  await ssa(kc, `${objectPath(o)}/status`, { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace }, status });
}

export async function deleteObject(kc: KubeConfig, o: Obj): Promise<void> {
  await ok(`delete ${o.kind} ${o.metadata.name}`, kubeRequest(kc, 'DELETE', objectPath(o)));
}

/** Applies many objects, `parallel` at a time. */
export async function applyAll(kc: KubeConfig, objects: readonly Obj[], parallel = 16): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < objects.length; i = next++) {
      const o = objects[i];
      if (o) await applyObject(kc, o);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

export async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000, everyMs = 20): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
  return Date.now() - started;
}

export interface RestartableApiServer {
  /** Ends the running kube-apiserver (SIGTERM to its process group) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again with the same command line: same port, certificates and etcd, so the data survives. */
  start(): Promise<void>;
  /** Ends the restarted process, if any (call before plane.stop()). */
  dispose(): Promise<void>;
}

/**
 * Stop and start the plane's kube-apiserver by PID, reusing the exact command line it was started with
 * (read from /proc), so clients see a real outage and a real recovery on the same address.
 */
export function restartableApiServer(plane: ManagementPlane, admin: KubeConfig): RestartableApiServer {
  const argv = readFileSync(`/proc/${plane.pids.kubeApiserver}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  const [binary, ...args] = argv;
  if (!binary) throw new Error('cannot read the kube-apiserver command line');
  let pid: number = plane.pids.kubeApiserver;
  let ours = false;
  const stop = async (): Promise<void> => {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (isAlive(pid)) {
      if (Date.now() > deadline) signalGroup(pid, 'SIGKILL');
      await sleep(50);
    }
  };
  return {
    stop,
    async start() {
      const log = openSync(join(plane.dataDir, 'kube-apiserver-restarted.log'), 'a');
      const child = spawn(binary, args, { detached: true, stdio: ['ignore', log, log] });
      closeSync(log);
      if (child.pid === undefined) throw new Error('kube-apiserver did not start again');
      pid = child.pid;
      ours = true;
      child.unref();
      await waitUntil('kube-apiserver /readyz after the restart', async () => (await kubeRequest(admin, 'GET', '/readyz').catch(() => ({ status: 0, body: '' }))).body === 'ok', 60_000, 100);
    },
    async dispose() {
      if (ours && isAlive(pid)) await stop();
    },
  };
}
