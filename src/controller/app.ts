// Builds the controller from its options: the Kubernetes client, the manager with one informer
// per kind, the services (DCS connections, pool writer, task tracker, provisioner, teardown), the
// three reconcilers and the event wiring between kinds. State lives on the objects built here.

import type { DcsTransport } from '../shared/dcs/transport';
import { Kinds, type Cluster, type DCSCluster, type DCSIpHostnamePool, type DCSMachine, type Machine } from './api/kinds';
import { Labels } from './api/names';
import { CLUSTER_INDEX, reconcileDcsCluster } from './controllers/dcsCluster';
import { reconcilePool } from './controllers/dcsIpHostnamePool';
import { reconcileDcsMachine, type MachineDeps } from './controllers/dcsMachine';
import { PersistentDisks } from './controllers/persistentDisks';
import type { ControllerOptions } from './flags';
import { Controller } from './runtime/controller';
import { EventRecorder } from './runtime/events';
import type { Informer } from './runtime/informer';
import { KubeClient } from './runtime/kubeClient';
import type { Logger } from './runtime/log';
import { Manager } from './runtime/manager';
import { Metrics } from './runtime/metrics';
import { ObjectWriter } from './runtime/objectWriter';
import { keyOf } from './runtime/resources';
import { DcsConnections } from './services/dcsConnections';
import { PoolStatusWriter } from './services/poolStatusWriter';
import { POOL_INDEX, SlotAllocator } from './services/slotClaims';
import { TaskTracker } from './services/taskTracker';
import { VmLookup } from './services/vmLookup';
import { VmProvisioner } from './services/vmProvisioner';
import { VmTeardown } from './services/vmTeardown';

/** A refused credential is not tried again for this long unless its Secret changes (see DcsConnections). */
const AUTH_RETRY_MS = 5 * 60_000;

export interface RunningController {
  readonly manager: Manager;
  stop(): Promise<void>;
}

export async function startController(options: ControllerOptions, log: Logger, signal: AbortSignal, onFatal: (err: Error) => void): Promise<RunningController> {
  const metrics = new Metrics();
  const apiRequests = metrics.counter('capi_dcs_kube_api_requests_total', 'Kubernetes API requests by verb, resource and HTTP code.');
  const apiSeconds = metrics.counter('capi_dcs_kube_api_request_seconds_total', 'Time spent in Kubernetes API requests (not watches), by verb.');
  const dcsSeconds = metrics.counter('capi_dcs_dcs_api_request_seconds_total', 'Time spent in DCS REST requests.');
  const dcsRequests = metrics.counter('capi_dcs_dcs_api_requests_total', 'DCS REST requests by method and HTTP code.');
  const kube = await KubeClient.create({
    kubeconfig: options.kubeconfig,
    context: options.context,
    qps: options.kubeApiQps,
    burst: options.kubeApiBurst,
    onRequest: (verb, resource, code, seconds) => {
      apiRequests.inc({ verb, resource, code: String(code) });
      apiSeconds.inc({ verb }, seconds);
    },
  });
  log.info('connecting to the API server', { server: kube.server.origin, user: kube.userName, namespace: options.namespace ?? '(all)' });
  const manager = new Manager({
    client: kube,
    log,
    metrics,
    namespace: options.namespace,
    healthAddr: options.healthAddr,
    metricsAddr: options.metricsAddr,
    leaderElection: options.leaderElect
      ? {
          namespace: options.leaderElectionNamespace,
          name: options.leaderElectionId,
          identity: options.identity,
          leaseDurationMs: options.leaseDurationMs,
          renewDeadlineMs: options.renewDeadlineMs,
          retryPeriodMs: options.retryPeriodMs,
        }
      : undefined,
  });

  const dcsMachines = manager.informer<DCSMachine>(Kinds.dcsMachine);
  const machines = manager.informer<Machine>(Kinds.machine);
  const clusters = manager.informer<Cluster>(Kinds.cluster);
  const dcsClusters = manager.informer<DCSCluster>(Kinds.dcsCluster);
  const pools = manager.informer<DCSIpHostnamePool>(Kinds.dcsPool);
  const clusterKey = (o: DCSMachine | DCSCluster): string[] => {
    const name = o.metadata.labels?.[Labels.clusterName];
    return name ? [`${o.metadata.namespace ?? ''}/${name}`] : [];
  };
  dcsMachines.addIndex(POOL_INDEX, (m) => [`${m.metadata.namespace ?? ''}/${m.spec.ipHostPoolRef.name}`]);
  dcsMachines.addIndex(CLUSTER_INDEX, clusterKey);
  dcsClusters.addIndex(CLUSTER_INDEX, clusterKey);

  const countingTransport = (base: DcsTransport): DcsTransport => async (request) => {
    const started = performance.now();
    try {
      const response = await base(request);
      dcsRequests.inc({ method: request.method, code: String(response.status) });
      dcsSeconds.inc({}, (performance.now() - started) / 1000);
      return response;
    } catch (err: unknown) {
      dcsRequests.inc({ method: request.method, code: 'error' });
      throw err;
    }
  };
  const connections = new DcsConnections({ kube, log, wrapTransport: countingTransport });
  const events = new EventRecorder(kube, log, { component: 'capi-dcs-controller' });
  const poolWriter = new PoolStatusWriter(kube, pools);
  const tasks = new TaskTracker({ inlineWaitMs: Math.min(3_000, options.pollMs * 2), firstPollMs: 20, maxPollMs: 500 });
  const lookup = new VmLookup();
  const disks = new PersistentDisks(tasks, pools, poolWriter, options.pollMs, log);
  const timing = { pollMs: options.pollMs, slotRetryMs: options.slotRetryMs, resyncMs: options.resyncMs, authRetryMs: AUTH_RETRY_MS, credentialRecheckMs: options.credentialRecheckMs };

  const controllerOptions = (name: string, concurrency: number): ConstructorParameters<typeof Controller>[0] => ({
    name,
    concurrency,
    log,
    metrics: manager.controllerMetrics,
  });
  const wakePoolWaiters = (namespace: string, pool: string): void => {
    for (const m of dcsMachines.byIndex(POOL_INDEX, `${namespace}/${pool}`)) if (m.status?.ready !== true) machineController.enqueue(keyOf(m));
  };
  const machineDeps: MachineDeps = {
    log,
    kube,
    dcsMachines,
    machines,
    clusters,
    dcsClusters,
    pools,
    writer: new ObjectWriter(kube, Kinds.dcsMachine, dcsMachines),
    connections,
    slots: new SlotAllocator(pools, dcsMachines, poolWriter),
    provisioner: new VmProvisioner(tasks, lookup, disks, options.pollMs),
    teardown: new VmTeardown(tasks, lookup, { pollMs: options.pollMs, safeStopTimeoutMs: options.safeStopTimeoutMs }),
    disks,
    events,
    wakePoolWaiters,
    timing,
  };
  const machineController = new Controller(controllerOptions('dcsmachine', options.concurrency), (key) => reconcileDcsMachine(key, machineDeps));
  // DCSCluster writes notify: machines wait for the DCSCluster to be ready.
  const clusterDeps = { log, dcsClusters, clusters, dcsMachines, writer: new ObjectWriter(kube, Kinds.dcsCluster, dcsClusters, true), connections, events, tasks, timing };
  const clusterController = new Controller(controllerOptions('dcscluster', 4), (key) => reconcileDcsCluster(key, clusterDeps));
  const poolDeps = { log, pools, dcsMachines, writer: poolWriter, objects: new ObjectWriter(kube, Kinds.dcsPool, pools) };
  const poolController = new Controller(controllerOptions('dcsiphostnamepool', 2), (key) => reconcilePool(key, poolDeps));
  for (const c of [machineController, clusterController, poolController]) manager.add(c);
  wireEvents({ dcsMachines, machines, clusters, dcsClusters, pools }, { machine: machineController, cluster: clusterController, pool: poolController });

  await manager.start(signal, onFatal);
  return { manager, stop: () => manager.stop() };
}

interface Informers {
  readonly dcsMachines: Informer<DCSMachine>;
  readonly machines: Informer<Machine>;
  readonly clusters: Informer<Cluster>;
  readonly dcsClusters: Informer<DCSCluster>;
  readonly pools: Informer<DCSIpHostnamePool>;
}

/** Which changes wake which reconciler (controller-runtime's Watches with mapping functions). */
function wireEvents(i: Informers, c: { machine: Controller; cluster: Controller; pool: Controller }): void {
  const onAny = <T>(handler: (obj: T) => void) => ({ onAdd: handler, onUpdate: (_old: T, obj: T) => handler(obj), onDelete: handler });
  const wakeCluster = (m: DCSMachine): void => {
    const name = m.metadata.labels?.[Labels.clusterName];
    if (name) for (const dc of i.dcsClusters.byIndex(CLUSTER_INDEX, `${m.metadata.namespace ?? ''}/${name}`)) c.cluster.enqueue(keyOf(dc));
  };
  const isControlPlane = (m: DCSMachine): boolean => m.metadata.labels?.[Labels.controlPlane] !== undefined;
  i.dcsMachines.addHandlers({
    onAdd: (m) => c.machine.enqueue(keyOf(m)),
    onUpdate: (old, m) => {
      c.machine.enqueue(keyOf(m));
      // The control plane's DRS rule lists the VMs: a VM created or a machine leaving changes it.
      if (isControlPlane(m) && (old.spec.vmUrn !== m.spec.vmUrn || old.metadata.deletionTimestamp !== m.metadata.deletionTimestamp)) wakeCluster(m);
    },
    // A cluster or a pool being deleted waits for its machines.
    onDelete: (m) => {
      wakeCluster(m);
      c.pool.enqueue(`${m.metadata.namespace ?? ''}/${m.spec.ipHostPoolRef.name}`);
    },
  });
  i.machines.addHandlers(
    onAny<Machine>((m) => {
      const ref = m.spec.infrastructureRef;
      if (ref.kind === 'DCSMachine') c.machine.enqueue(`${m.metadata.namespace ?? ''}/${ref.name}`);
    }),
  );
  i.clusters.addHandlers(
    onAny<Cluster>((cl) => {
      const key = `${cl.metadata.namespace ?? ''}/${cl.metadata.name ?? ''}`;
      for (const m of i.dcsMachines.byIndex(CLUSTER_INDEX, key)) c.machine.enqueue(keyOf(m));
      for (const dc of i.dcsClusters.byIndex(CLUSTER_INDEX, key)) c.cluster.enqueue(keyOf(dc));
      const ref = cl.spec?.infrastructureRef;
      if (ref?.kind === 'DCSCluster') c.cluster.enqueue(`${cl.metadata.namespace ?? ''}/${ref.name}`);
    }),
  );
  i.dcsClusters.addHandlers(
    onAny<DCSCluster>((dc) => {
      c.cluster.enqueue(keyOf(dc));
      for (const key of dc.metadata.labels?.[Labels.clusterName] ? [`${dc.metadata.namespace ?? ''}/${dc.metadata.labels[Labels.clusterName]}`] : []) {
        for (const m of i.dcsMachines.byIndex(CLUSTER_INDEX, key)) if (m.status?.ready !== true) c.machine.enqueue(keyOf(m));
      }
    }),
  );
  i.pools.addHandlers(
    onAny<DCSIpHostnamePool>((p) => {
      c.pool.enqueue(keyOf(p));
      for (const m of i.dcsMachines.byIndex(POOL_INDEX, keyOf(p))) if (m.status?.ready !== true) c.machine.enqueue(keyOf(m));
    }),
  );
}
