// One run of the lab: the servers it started, its data folder, and how to end them exactly once.
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { recordProcesses } from './dataDirs';
import type { KubeHttp } from './kubeHttp';
import { signalGroup, stopServer, type ServerProcess } from './processes';

const APISERVER_STOP_GRACE_MS = 10_000;
const ETCD_STOP_GRACE_MS = 5_000;

export class LabRun {
  private readonly processes: ServerProcess[] = [];
  private readonly clients: KubeHttp[] = [];
  private stopping: Promise<void> | undefined;

  // Last resort if the Node process exits without stop(): no server outlives it.
  private readonly onExit = (): void => {
    for (const proc of this.processes) if (!proc.hasExited()) signalGroup(proc.pid, 'SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  };

  constructor(readonly dataDir: string) {
    process.once('exit', this.onExit);
  }

  /** Tracks a started server and records its PID in the data folder for crash recovery. */
  async track(proc: ServerProcess): Promise<ServerProcess> {
    this.processes.push(proc);
    await recordProcesses(this.dataDir, this.processes.map(({ name, pid, binary }) => ({ name, pid, binary })));
    return proc;
  }

  /** A client whose connections stop() closes. */
  trackClient(client: KubeHttp): KubeHttp {
    this.clients.push(client);
    return client;
  }

  /** Ends the servers in reverse start order (kube-apiserver before etcd), then removes the data folder. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      process.removeListener('exit', this.onExit);
      for (const client of this.clients) client.close();
      // The API server first: stopped together with etcd, it keeps retrying etcd and does not exit.
      for (const proc of [...this.processes].reverse()) {
        await stopServer(proc, proc.name === 'etcd' ? ETCD_STOP_GRACE_MS : APISERVER_STOP_GRACE_MS);
      }
      await rm(this.dataDir, { recursive: true, force: true });
    })();
    return this.stopping;
  }
}
