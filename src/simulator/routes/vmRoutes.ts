// DCS API: VMs and templates: list/lookup, clone, power, volumes and CD-ROM, delete.

import { invalid, notFound } from '../apiError';
import { idParam, page, type SimContext } from '../context';
import { asObject } from '../json';
import { jsonBody, ok, type RouteContext, type Router, type SimReply } from '../router';

const VMS = '/service/sites/:site/vms';

function stopMode(ctx: RouteContext): 'safe' | 'force' {
  const fromBody = asObject(jsonBody(ctx.req), 'body').mode;
  const mode = ctx.req.query.get('mode') ?? (typeof fromBody === 'string' ? fromBody : 'safe');
  if (mode !== 'safe' && mode !== 'force') throw invalid('mode must be safe or force');
  return mode;
}

function flag(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalid(`"${value}" is not a boolean`);
}

export function addVmRoutes(router: Router, sim: SimContext): void {
  router.add('GET', VMS, ({ req }) => {
    const vms = sim.vms.list({ name: req.query.get('name') ?? undefined, isTemplate: flag(req.query.get('isTemplate')) });
    return ok({ total: vms.length, vms: page(vms, req.query).map((vm) => sim.views.vm(vm)) });
  });
  router.add('GET', `${VMS}/:id`, ({ params }) => ok(sim.views.vm(sim.vms.get(idParam(params.id)))));
  router.add('DELETE', `${VMS}/:id`, ({ params, req, user }) => ok(sim.vms.delete(idParam(params.id), flag(req.query.get('isReserveDisks')) ?? false, user)));

  router.add('POST', `${VMS}/:id/action/:action`, (ctx): SimReply => {
    const id = idParam(ctx.params.id);
    const { user, req } = ctx;
    switch (ctx.params.action) {
      case 'clone':
        return ok(sim.vms.clone(id, jsonBody(req), user));
      case 'start':
        return ok(sim.vms.start(id, user));
      case 'stop':
        return ok(sim.vms.stop(id, stopMode(ctx), user));
      case 'attachvol':
        return ok(sim.volumes.attach(id, jsonBody(req), user));
      case 'detachvol':
        return ok(sim.volumes.detach(id, jsonBody(req), user));
      case 'attachCdrom':
        return ok(sim.media.attachCdrom(id, jsonBody(req), user));
      case 'detachCdrom':
        return ok(sim.media.detachCdrom(id, user));
      default:
        throw notFound(`unknown VM action ${ctx.params.action ?? ''}`);
    }
  });
}
