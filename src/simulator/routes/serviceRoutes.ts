// DCS API: session, site and inventory listings, clusters (DRS) and tasks (reference §8).

import { notFound } from '../apiError';
import { idParam, page, type SimContext } from '../context';
import { jsonBody, ok, type Router } from '../router';

const SITE = '/service/sites/:site';

export function addServiceRoutes(router: Router, sim: SimContext): void {
  router.add(
    'POST',
    '/service/session',
    ({ req }) => {
      const { token, result } = sim.auth.login({
        user: req.headers['x-auth-user'],
        key: req.headers['x-auth-key'],
        algorithm: req.headers['x-encrypt-algorithm'],
      });
      return { status: 200, body: result, headers: { 'X-Auth-Token': token } };
    },
    { auth: false },
  );
  router.add('DELETE', '/service/session', ({ req }) => {
    sim.auth.logout(req.headers['x-auth-token']);
    return ok({});
  });

  router.add('GET', '/service/sites', () => ok({ sites: [sim.views.site()] }));
  router.add('GET', SITE, () => ok(sim.views.site()));

  router.add('GET', `${SITE}/clusters`, () =>
    ok({ clusters: Object.values(sim.store.state.clusters).map((c) => sim.views.cluster(c)) }),
  );
  router.add('GET', `${SITE}/clusters/:id`, ({ params }) => ok(sim.views.cluster(sim.clusters.get(idParam(params.id)))));
  router.add('PUT', `${SITE}/clusters/:id`, ({ params, req, user }) => ok(sim.clusters.modify(idParam(params.id), jsonBody(req), user)));

  router.add('GET', `${SITE}/hosts`, () => ok({ hosts: sim.views.hosts() }));
  router.add('GET', `${SITE}/hosts/:id`, ({ params }) => {
    const host = sim.views.hosts().find((h) => h.urn.endsWith(`:${idParam(params.id)}`));
    if (!host) throw notFound(`host ${params.id ?? ''} does not exist`);
    return ok(host);
  });
  // The reference writes `folder?type=1`; the plural is accepted too.
  for (const path of [`${SITE}/folder`, `${SITE}/folders`]) router.add('GET', path, () => ok({ folders: sim.views.folders() }));

  router.add('GET', `${SITE}/datastores`, () =>
    ok({ datastores: Object.values(sim.store.state.datastores).map((d) => sim.views.datastore(d)) }),
  );
  router.add('GET', `${SITE}/datastores/:id`, ({ params }) => ok(sim.views.datastore(sim.media.datastore(idParam(params.id)))));
  router.add('GET', `${SITE}/datastoreclusters`, () => ok({ datastoreClusters: sim.views.datastoreClusters() }));

  router.add('GET', `${SITE}/dvswitchs`, () => ok({ dvSwitchs: sim.views.dvSwitches() }));
  router.add('GET', `${SITE}/dvswitchs/:id`, ({ params }) => {
    const dvs = sim.views.dvSwitches().find((d) => d.urn.endsWith(`:${idParam(params.id)}`));
    if (!dvs) throw notFound(`DVS ${params.id ?? ''} does not exist`);
    return ok(dvs);
  });
  router.add('GET', `${SITE}/dvswitchs/:id/portgroups`, ({ params }) => {
    const id = idParam(params.id);
    if (!sim.store.state.dvswitches[id]) throw notFound(`DVS ${id} does not exist`);
    return ok({ portGroups: sim.views.portGroups(id) });
  });
  router.add('GET', `${SITE}/dvswitchs/:id/portgroups/:pg`, ({ params }) => {
    const group = sim.views.portGroups(idParam(params.id)).find((g) => g.urn.endsWith(`:${params.pg ?? ''}`));
    if (!group) throw notFound(`port group ${params.pg ?? ''} does not exist`);
    return ok(group);
  });

  router.add('GET', `${SITE}/tasks`, ({ req }) => {
    const status = req.query.get('status');
    const tasks = Object.values(sim.store.state.tasks)
      .filter((t) => status === null || t.status === status)
      .sort((a, b) => b.startedAt - a.startedAt || Number(b.id) - Number(a.id));
    return ok({ total: tasks.length, tasks: page(tasks, req.query).map((t) => sim.tasks.view(t)) });
  });
  router.add('GET', `${SITE}/tasks/:id`, ({ params }) => {
    const task = sim.store.state.tasks[idParam(params.id)];
    if (!task) throw notFound(`task ${params.id ?? ''} does not exist`);
    return ok(sim.tasks.view(task));
  });
}
