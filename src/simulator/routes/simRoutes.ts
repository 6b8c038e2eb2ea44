// Simulator-only admin and test endpoints under /sim/, apart from the DCS API and without
// authentication (the simulator listens on loopback only):
//   GET  /sim/health                       liveness and site id
//   GET  /sim/state                        state dump (no file bytes, no session hashes)
//   POST /sim/reset                        back to the seeded inventory
//   GET|POST|DELETE /sim/faults            read, merge-patch, clear fault injection
//   POST /sim/sessions/expire              end every session (token expiry)
//   POST /sim/users/:name/lock             lock an account (lockout)
//   POST /sim/vms/:id/status {status}      force a VM state (paused, hibernated, ...)
//   GET  /sim/vms/:id/bootstrap            what the VM read from its CD-ROM at boot
//   POST /sim/tasks/:id/release            let a stuck task finish
//   GET|PUT /sim/volumes/:id/files/:name   data markers in a volume ({content})
//   GET|PUT /sim/vms/:id/disks/:seq/files/:name   the same, through a VM's disk

import { VmStatuses, type VmStatus } from '../../shared/dcs/types';
import { invalid, notFound } from '../apiError';
import { idParam, type SimContext } from '../context';
import { defaultFaults, mergeFaults } from '../faults';
import { asObject, reqString } from '../json';
import type { SimState, VolumeRecord } from '../model';
import { jsonBody, ok, type RouteContext, type Router, type SimReply } from '../router';

function stateDump(state: SimState): unknown {
  const datastores = Object.fromEntries(
    Object.entries(state.datastores).map(([id, ds]) => [
      id,
      { ...ds, files: Object.fromEntries(Object.entries(ds.files).map(([n, f]) => [n, { name: f.name, sizeBytes: f.sizeBytes, sha256: f.sha256 }])) },
    ]),
  );
  const sessions = Object.values(state.sessions).map((s) => ({ user: s.user, createdAt: s.createdAt, lastUsedAt: s.lastUsedAt }));
  return { ...state, datastores, sessions, uploads: Object.keys(state.uploads).length };
}

export function addSimRoutes(router: Router, sim: SimContext): void {
  const open = { auth: false };
  const add = (method: string, path: string, handler: (ctx: RouteContext) => SimReply): void => {
    router.add(method, path, handler, open);
  };
  const volumeFile = (volume: () => VolumeRecord) => ({
    get: ({ params }: RouteContext) => ok({ name: params.name, content: sim.volumes.readFile(volume(), params.name ?? '') }),
    put: ({ params, req }: RouteContext) => {
      const content = reqString(asObject(jsonBody(req), 'body'), 'content', 'body');
      sim.volumes.writeFile(volume(), params.name ?? '', content);
      return ok({ name: params.name, content });
    },
  });

  add('GET', '/sim/health', () => ok({ ok: true, site: sim.store.state.site.id }));
  add('GET', '/sim/state', () => ok(stateDump(sim.store.state)));
  add('POST', '/sim/reset', () => {
    sim.reset();
    return ok({ reset: true });
  });
  add('GET', '/sim/faults', () => ok(sim.store.state.faults));
  add('POST', '/sim/faults', ({ req }) => {
    const state = sim.store.state;
    state.faults = mergeFaults(state.faults, jsonBody(req));
    sim.log.info('faults changed', { faults: JSON.stringify(state.faults) });
    return ok(state.faults);
  });
  add('DELETE', '/sim/faults', () => {
    sim.store.state.faults = defaultFaults();
    return ok(sim.store.state.faults);
  });
  add('POST', '/sim/sessions/expire', () => ok({ expired: sim.auth.expireAll() }));
  add('POST', '/sim/users/:name/lock', ({ params }) => {
    sim.auth.lock(params.name ?? '');
    return ok({ locked: params.name });
  });
  add('POST', '/sim/vms/:id/status', ({ params, req }) => {
    const status = reqString(asObject(jsonBody(req), 'body'), 'status', 'body');
    if (!(VmStatuses as readonly string[]).includes(status)) throw invalid(`status must be one of ${VmStatuses.join(', ')}`);
    return ok(sim.views.vm(sim.vms.force(idParam(params.id), status as VmStatus)));
  });
  // An operator's manual migration (DRS off): builds placements a DRS rule must correct.
  add('POST', '/sim/vms/:id/host', ({ params, req }) => {
    const vm = sim.vms.getVm(idParam(params.id));
    const name = reqString(asObject(jsonBody(req), 'body'), 'host', 'body');
    const host = Object.values(sim.store.state.hosts).find((h) => h.name === name && h.clusterId === vm.clusterId);
    if (!host) throw notFound(`host ${name} is not in the cluster of VM ${vm.name}`);
    vm.hostId = host.id;
    return ok(sim.views.vm(vm));
  });
  add('GET', '/sim/vms/:id/bootstrap', ({ params }) => ok(sim.media.bootstrapOf(idParam(params.id))));
  add('POST', '/sim/tasks/:id/release', ({ params }) => {
    const task = sim.store.state.tasks[idParam(params.id)];
    if (!task) throw notFound(`task ${params.id ?? ''} does not exist`);
    sim.tasks.release(task);
    return ok(sim.tasks.view(task));
  });

  for (const [path, volume] of [
    ['/sim/volumes/:id/files/:name', (ctx: RouteContext) => sim.volumes.get(idParam(ctx.params.id))],
    [
      '/sim/vms/:id/disks/:seq/files/:name',
      (ctx: RouteContext) => sim.volumes.diskVolume(sim.vms.getVm(idParam(ctx.params.id)), Number(ctx.params.seq)),
    ],
  ] as const) {
    add('GET', path, (ctx) => volumeFile(() => volume(ctx)).get(ctx));
    add('PUT', path, (ctx) => volumeFile(() => volume(ctx)).put(ctx));
  }
}
