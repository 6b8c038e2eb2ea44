// Failures a person meets with the management plane: a taken port, and a plane whose Node process crashed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DATA_DIR_PREFIX } from '../../src/lab/dataDirs';
import { PortInUseError } from '../../src/lab/errors';
import { startManagementPlane } from '../../src/lab/mgmtPlane';
import { isAlive } from '../../src/lab/processes';
import { waitUntil } from './mgmtPlaneHelpers';

const labDirs = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith(DATA_DIR_PREFIX));

interface CrashedPlane {
  readonly dataDir: string;
  readonly pids: { readonly kubeApiserver: number; readonly etcd: number };
}

/** Starts a plane in another Node process and kills that process with SIGKILL, so stop() never runs. */
async function crashAPlane(): Promise<CrashedPlane> {
  const script = `
    const { startManagementPlane } = require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'lab', 'mgmtPlane.ts'))});
    startManagementPlane({ crds: false }).then((p) => {
      process.stdout.write(JSON.stringify({ dataDir: p.dataDir, pids: p.pids }) + '\\n');
      setInterval(() => undefined, 1000);
    }, (err) => { console.error(err); process.exit(1); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitUntil(() => out.includes('"dataDir"') || child.exitCode !== null, 'the child plane to start', 120_000);
  const line = out.split('\n').find((l) => l.startsWith('{"dataDir"'));
  assert.ok(line, `child did not start a plane:\n${out}`);
  child.kill('SIGKILL');
  await exited;
  return JSON.parse(line) as CrashedPlane;
}

describe('management plane failures', () => {
  let blocker: Server | undefined;
  let takenPort = 0;
  before(async () => {
    const server = createServer();
    blocker = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    takenPort = typeof address === 'object' && address ? address.port : 0;
  });
  after(async () => {
    const server = blocker;
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  it('reports a port clash by port and purpose and leaves nothing behind', async () => {
    const before = labDirs();
    await assert.rejects(startManagementPlane({ crds: false, apiServerPort: takenPort }), (err: unknown) => {
      assert.ok(err instanceof PortInUseError, String(err));
      assert.equal(err.port, takenPort);
      assert.match(err.message, /\(kube-apiserver\) is already in use/);
      return true;
    });
    assert.deepEqual(labDirs().filter((d) => !before.includes(d)), []);
  });

  it('cleans up a data folder and servers left behind by a crashed run on the next start', async () => {
    const crashed = await crashAPlane();
    assert.ok(existsSync(crashed.dataDir), 'the crash left its data folder');
    assert.ok(isAlive(crashed.pids.kubeApiserver) && isAlive(crashed.pids.etcd), 'the crash left its servers running');

    const lines: string[] = [];
    const plane = await startManagementPlane({ crds: false, log: (line) => lines.push(line) });
    try {
      assert.ok(!existsSync(crashed.dataDir), 'stale data folder removed');
      assert.ok(!isAlive(crashed.pids.kubeApiserver), 'stale kube-apiserver ended');
      assert.ok(!isAlive(crashed.pids.etcd), 'stale etcd ended');
      assert.ok(lines.some((l) => l.includes(crashed.dataDir) && l.includes('crashed run')), lines.join('\n'));
    } finally {
      await plane.stop();
    }
  });
});
