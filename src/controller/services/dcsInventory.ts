// Name-to-URN lookups against one DCS site, cached for a minute: VM templates, datastores and
// datastore clusters, port groups, folders and compute clusters. Misses are not cached, so a
// template imported later is found on the next try.

import type { DcsClient } from '../../shared/dcs/client';
import type { DcsDatastore, DcsDatastoreCluster, DcsVm } from '../../shared/dcs/types';
import { TtlCache } from './ttlCache';

const TTL_MS = 60_000;

export class ProvisioningError extends Error {
  constructor(
    message: string,
    /** A condition reason (Reasons.*). */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}

export class DcsInventory {
  private readonly templates = new TtlCache<DcsVm | undefined>(TTL_MS);
  private readonly datastores = new TtlCache<{ stores: DcsDatastore[]; clusters: DcsDatastoreCluster[] }>(TTL_MS);
  private readonly urns = new TtlCache<string | undefined>(TTL_MS);

  constructor(private readonly dcs: DcsClient) {}

  template(name: string): Promise<DcsVm | undefined> {
    return this.templates.get(name, () => this.dcs.findTemplateByName(name), (vm) => vm !== undefined);
  }

  /** The URN of a datastore or a datastore cluster by name (exactly one of them). */
  async datastoreUrn(ref: { datastoreName?: string; datastoreClusterName?: string }, what: string): Promise<string> {
    const all = await this.allDatastores();
    if (ref.datastoreName) {
      const found = all.stores.find((d) => d.name === ref.datastoreName)?.urn;
      if (found) return found;
      this.datastores.delete('all');
      throw new ProvisioningError(`${what}: datastore ${ref.datastoreName} does not exist in DCS`, 'DatastoreNotFound');
    }
    if (ref.datastoreClusterName) {
      const found = all.clusters.find((d) => d.name === ref.datastoreClusterName)?.urn;
      if (found) return found;
      this.datastores.delete('all');
      throw new ProvisioningError(`${what}: datastore cluster ${ref.datastoreClusterName} does not exist in DCS`, 'DatastoreNotFound');
    }
    throw new ProvisioningError(`${what}: set datastoreName or datastoreClusterName`, 'DatastoreNotFound');
  }

  /** A datastore (not a cluster) by name or the first member of a cluster: ISO uploads need a real one. */
  async uploadDatastore(ref: { datastoreName?: string; datastoreClusterName?: string }, what: string): Promise<DcsDatastore> {
    const all = await this.allDatastores();
    const urn = ref.datastoreClusterName
      ? all.clusters.find((c) => c.name === ref.datastoreClusterName)?.datastores[0]
      : all.stores.find((d) => d.name === ref.datastoreName)?.urn;
    const store = all.stores.find((d) => d.urn === urn);
    if (store) return store;
    this.datastores.delete('all');
    throw new ProvisioningError(`${what}: no datastore named ${ref.datastoreName ?? ref.datastoreClusterName ?? '(none)'} in DCS`, 'DatastoreNotFound');
  }

  /** The datastore holding a URN-identified disk (for the default ISO location). */
  async datastoreByUrn(urn: string): Promise<DcsDatastore | undefined> {
    const all = await this.allDatastores();
    return all.stores.find((d) => d.urn === urn);
  }

  private allDatastores(): Promise<{ stores: DcsDatastore[]; clusters: DcsDatastoreCluster[] }> {
    return this.datastores.get('all', async () => ({ stores: await this.dcs.listDatastores(), clusters: await this.dcs.listDatastoreClusters() }));
  }

  async portGroupUrn(dvSwitchName: string, portGroupName: string, what: string): Promise<string> {
    const urn = await this.urns.get(`pg/${dvSwitchName}/${portGroupName}`, async () => (await this.dcs.findPortGroup(dvSwitchName, portGroupName))?.urn, (u) => u !== undefined);
    if (urn) return urn;
    throw new ProvisioningError(`${what}: port group ${portGroupName} in DVS ${dvSwitchName} does not exist in DCS`, 'PortGroupNotFound');
  }

  async locationUrn(location: { type: 'folder' | 'cluster'; name?: string; urn?: string }): Promise<string> {
    if (location.urn) return location.urn;
    const name = location.name ?? '';
    const urn = await this.urns.get(
      `${location.type}/${name}`,
      async () => {
        const items = location.type === 'folder' ? await this.dcs.listFolders() : await this.dcs.listClusters();
        return items.find((i) => i.name === name)?.urn;
      },
      (u) => u !== undefined,
    );
    if (urn) return urn;
    throw new ProvisioningError(`location: ${location.type} ${name} does not exist in DCS`, 'LocationNotFound');
  }
}
