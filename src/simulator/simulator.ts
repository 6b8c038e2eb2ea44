// The simulator without sockets: builds state, auth, tasks and operations from an inventory and
// answers plain requests. server.ts puts it on HTTP(S); unit tests call `handle` directly.
// Every request first completes the tasks that fell due, then runs, then persists the state.

import { DcsCodes } from '../shared/dcs/errors';
import { ApiError, notFound } from './apiError';
import { Auth } from './auth';
import { ClusterOps } from './clusterOps';
import type { SimContext } from './context';
import { mergeFaults } from './faults';
import type { Inventory, SimUser } from './inventory';
import { ShapeError, type Json } from './json';
import { silentLogger, type Logger } from './log';
import { MediaOps } from './mediaOps';
import { Router, type SimReply, type SimRequest } from './router';
import { addServiceRoutes } from './routes/serviceRoutes';
import { addSimRoutes } from './routes/simRoutes';
import { addStorageRoutes } from './routes/storageRoutes';
import { addVmRoutes } from './routes/vmRoutes';
import { seedState } from './seed';
import { Store } from './store';
import { TaskEngine } from './tasks';
import { Views } from './views';
import { VmOps } from './vmOps';
import { VolumeOps } from './volumeOps';

export interface SimulatorOptions {
  readonly inventory: Inventory;
  /** Persist here; absent = memory only. */
  readonly stateFile?: string;
  /** Overrides the inventory's default task latency. */
  readonly latencyMs?: number;
  /** Overrides the inventory's token idle time. */
  readonly tokenIdleMs?: number;
  /** Added to (and overriding by name) the inventory's users. */
  readonly users?: readonly SimUser[];
  /** Merged into the faults at start (CLI flags). */
  readonly faults?: Json;
  readonly clock?: () => number;
  readonly log?: Logger;
  /** The URL clients reach this simulator at (for upload URLs); known once listening. */
  readonly baseUrl?: () => string;
}

export class Simulator {
  readonly store: Store;
  readonly context: SimContext;
  private readonly router = new Router();
  private readonly log: Logger;

  constructor(options: SimulatorOptions) {
    const clock = options.clock ?? Date.now;
    const inventory = options.inventory;
    this.log = options.log ?? silentLogger;
    const store = Store.open(options.stateFile, () => seedState(inventory, clock()));
    this.store = store;
    if (store.loadedFromFile && store.state.site.id !== inventory.site.id) {
      this.log.warn('state file belongs to another site; keeping the state file', { stateSite: store.state.site.id, inventorySite: inventory.site.id });
    }
    if (options.faults) store.state.faults = mergeFaults(store.state.faults, options.faults, 'flags');
    const users = [...inventory.users.filter((u) => !options.users?.some((x) => x.name === u.name)), ...(options.users ?? [])];
    const auth = new Auth(
      store,
      users,
      {
        tokenIdleMs: options.tokenIdleMs ?? inventory.auth.tokenIdleSeconds * 1000,
        maxFailedLogins: inventory.auth.maxFailedLogins,
        lockoutMs: inventory.auth.lockoutSeconds * 1000,
      },
      clock,
    );
    const tasks = new TaskEngine(store, { latencyMs: options.latencyMs ?? inventory.tasks.latencyMs ?? 500, perKindMs: options.latencyMs === undefined ? inventory.tasks.perKindMs : {} }, clock);
    const views = new Views(() => store.state);
    const vms = new VmOps(store, tasks, views, clock);
    const baseUrl = options.baseUrl ?? (() => 'http://127.0.0.1');
    this.context = {
      store,
      auth,
      tasks,
      views,
      vms,
      volumes: new VolumeOps(store, tasks, views, vms),
      media: new MediaOps(store, tasks, views, vms, clock, baseUrl),
      clusters: new ClusterOps(store, tasks, views, vms),
      log: this.log,
      reset: () => {
        store.replace(seedState(inventory, clock()));
      },
    };
    addServiceRoutes(this.router, this.context);
    addVmRoutes(this.router, this.context);
    addStorageRoutes(this.router, this.context);
    addSimRoutes(this.router, this.context);
    tasks.tick();
    store.save();
  }

  handle(req: SimRequest): SimReply {
    let finished = 0;
    let reply: SimReply;
    try {
      finished = this.context.tasks.tick();
      reply = this.dispatch(req);
    } catch (err: unknown) {
      reply = this.errorReply(err, req);
    }
    if (req.method !== 'GET' || finished > 0) this.persist();
    return reply;
  }

  /** Writes the state file now (also on shutdown). */
  persist(): void {
    try {
      this.store.save();
    } catch (err: unknown) {
      this.log.error('could not write the state file', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private dispatch(req: SimRequest): SimReply {
    const match = this.router.match(req.method, req.path);
    if (match.kind === 'none') throw notFound(`no such API: ${req.method} ${req.path.startsWith('/sim-host/') ? '/sim-host/...' : req.path}`);
    if (match.kind === 'wrong-method') {
      throw new ApiError(405, DcsCodes.invalidRequest, `${req.method} is not supported here (use ${match.allowed.join(', ')})`);
    }
    const user = match.route.auth ? this.context.auth.authenticate(req.headers['x-auth-token']) : '';
    const site = match.params.site;
    if (site !== undefined && site !== this.store.state.site.id) throw notFound(`site ${site} does not exist`);
    return match.route.handler({ req, params: match.params, user });
  }

  private errorReply(err: unknown, req: SimRequest): SimReply {
    if (err instanceof ApiError) return { status: err.status, body: { errorCode: err.code, errorDes: err.message } };
    if (err instanceof ShapeError) return { status: 400, body: { errorCode: DcsCodes.invalidRequest, errorDes: err.message } };
    this.log.error('internal error', { method: req.method, error: err instanceof Error ? err.message : String(err) });
    return { status: 500, body: { errorCode: DcsCodes.internal, errorDes: 'internal simulator error' } };
  }
}
