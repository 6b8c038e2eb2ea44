// DCS API: volumes, datastore files and uploads. The upload target (`/sim-host/...`) stands in
// for the DCS host the real applyUpload points at; its one-time ticket is the credential.

import { idParam, page, type SimContext } from '../context';
import { jsonBody, ok, type Router } from '../router';

const SITE = '/service/sites/:site';

export function addStorageRoutes(router: Router, sim: SimContext): void {
  router.add('POST', `${SITE}/volumes`, ({ req, user }) => ok(sim.volumes.create(jsonBody(req), user)));
  router.add('GET', `${SITE}/volumes`, ({ req }) => {
    const volumes = sim.volumes.list(req.query.get('name') ?? undefined);
    return ok({ total: volumes.length, volumes: page(volumes, req.query).map((v) => sim.views.volume(v)) });
  });
  router.add('GET', `${SITE}/volumes/:id`, ({ params }) => ok(sim.views.volume(sim.volumes.get(idParam(params.id)))));
  router.add('DELETE', `${SITE}/volumes/:id`, ({ params, user }) => ok(sim.volumes.delete(idParam(params.id), user)));

  router.add('POST', `${SITE}/datastores/:id/action/applyUpload`, ({ params, req }) => ok(sim.media.applyUpload(idParam(params.id), jsonBody(req))));
  router.add('GET', `${SITE}/datastores/:id/files`, ({ params }) => {
    const ds = sim.media.datastore(idParam(params.id));
    return ok({ files: Object.values(ds.files).map((f) => sim.views.file(ds, f)) });
  });
  router.add('DELETE', `${SITE}/datastores/:id/files/:name`, ({ params }) => {
    sim.media.deleteFile(idParam(params.id), params.name ?? '');
    return ok({});
  });
  router.add('PUT', '/sim-host/:host/upload/:ticket', ({ params, req }) => ok(sim.media.receiveUpload(params.ticket ?? '', req.body)), {
    auth: false,
  });
}
