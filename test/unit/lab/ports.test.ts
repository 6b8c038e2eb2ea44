import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PortInUseError } from '../../../src/lab/errors';
import { assertPortFree, choosePort, freePort } from '../../../src/lab/ports';

describe('lab ports', () => {
  let occupied: Server | undefined;
  let occupiedPort = 0;
  before(async () => {
    occupied = createServer();
    const server = occupied;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    occupiedPort = typeof address === 'object' && address ? address.port : 0;
  });
  after(async () => {
    const server = occupied;
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  it('names the port and its purpose when the port is taken', async () => {
    await assert.rejects(assertPortFree(occupiedPort, 'kube-apiserver'), (err: unknown) => {
      assert.ok(err instanceof PortInUseError);
      assert.equal(err.port, occupiedPort);
      assert.match(err.message, new RegExp(`Port ${occupiedPort} on 127\\.0\\.0\\.1 \\(kube-apiserver\\) is already in use`));
      return true;
    });
    await assert.rejects(choosePort(occupiedPort, 'etcd client'), PortInUseError);
  });

  it('picks a free loopback port when none is requested', async () => {
    const port = await choosePort(undefined, 'etcd peer');
    assert.ok(port > 0 && port !== occupiedPort);
    await assertPortFree(port, 'etcd peer');
    assert.notEqual(await freePort(), 0);
  });
});
