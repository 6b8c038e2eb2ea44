// Renders state records as the DCS reply shapes of src/shared/dcs/types.ts.

import type * as T from '../shared/dcs/types';
import { dcsUri, dcsUrn, portGroupUri, portGroupUrn, siteUri } from '../shared/dcs/urn';
import type { ClusterRecord, DatastoreRecord, FileRecord, SimState, VmRecord, VolumeRecord } from './model';
import { freeGB, usedGB } from './placement';

export class Views {
  constructor(private readonly state: () => SimState) {}

  private get s(): SimState {
    return this.state();
  }

  urn(kind: Parameters<typeof dcsUrn>[1], id: string): string {
    return dcsUrn(this.s.site.id, kind, id);
  }

  uri(kind: Parameters<typeof dcsUri>[1], id: string): string {
    return dcsUri(this.s.site.id, kind, id);
  }

  site(): T.DcsSite {
    const { id, name } = this.s.site;
    return { urn: `urn:sites:${id}`, uri: siteUri(id), name, id };
  }

  cluster(c: ClusterRecord): T.DcsCluster {
    return {
      urn: this.urn('clusters', c.id),
      uri: this.uri('clusters', c.id),
      name: c.name,
      drsSetting: { drsEnabled: c.drsEnabled, drsRules: c.drsRules },
    };
  }

  hosts(): T.DcsHost[] {
    return Object.values(this.s.hosts).map((h) => ({
      urn: this.urn('hosts', h.id),
      uri: this.uri('hosts', h.id),
      name: h.name,
      ip: h.ip,
      status: h.status,
      clusterUrn: this.urn('clusters', h.clusterId),
      clusterName: this.s.clusters[h.clusterId]?.name ?? '',
    }));
  }

  folders(): T.DcsFolder[] {
    return Object.values(this.s.folders).map((f) => ({ urn: this.urn('folders', f.id), uri: this.uri('folders', f.id), name: f.name, type: 1 }));
  }

  datastore(ds: DatastoreRecord): T.DcsDatastore {
    const free = freeGB(this.s, ds);
    return {
      urn: this.urn('datastores', ds.id),
      uri: this.uri('datastores', ds.id),
      name: ds.name,
      status: 'NORMAL',
      storageType: ds.storageType,
      capacityGB: ds.capacityGB,
      usedSizeGB: Math.min(ds.capacityGB, free === 0 ? ds.capacityGB : usedGB(this.s, ds)),
      freeSizeGB: free,
      hosts: ds.hostIds.map((id) => this.urn('hosts', id)),
    };
  }

  datastoreClusters(): T.DcsDatastoreCluster[] {
    return Object.values(this.s.datastoreClusters).map((dc) => ({
      urn: this.urn('datastoreclusters', dc.id),
      uri: this.uri('datastoreclusters', dc.id),
      name: dc.name,
      datastores: dc.datastoreIds.map((id) => this.urn('datastores', id)),
    }));
  }

  dvSwitches(): T.DcsDvSwitch[] {
    return Object.values(this.s.dvswitches).map((d) => ({ urn: this.urn('dvswitchs', d.id), uri: this.uri('dvswitchs', d.id), name: d.name }));
  }

  portGroups(dvsId: string): T.DcsPortGroup[] {
    const site = this.s.site.id;
    return (this.s.dvswitches[dvsId]?.portGroups ?? []).map((g) => ({
      urn: portGroupUrn(site, dvsId, g.id),
      uri: portGroupUri(site, dvsId, g.id),
      name: g.name,
      vlanId: g.vlanId,
    }));
  }

  file(ds: DatastoreRecord, f: FileRecord): T.DcsDatastoreFile {
    return { name: f.name, sizeBytes: f.sizeBytes, sha256: f.sha256, devicePath: devicePathOf(ds, f.name), datastoreUrn: this.urn('datastores', ds.id) };
  }

  vm(vm: VmRecord): T.DcsVm {
    const s = this.s;
    const host = s.hosts[vm.hostId];
    const cluster = s.clusters[vm.clusterId];
    const folder = s.folders[vm.folderId];
    const cdRomDs = vm.cdRom ? s.datastores[vm.cdRom.datastoreId] : undefined;
    return {
      urn: this.urn('vms', vm.id),
      uri: this.uri('vms', vm.id),
      name: vm.name,
      description: vm.description,
      status: vm.status,
      isTemplate: vm.isTemplate,
      hostUrn: host ? this.urn('hosts', host.id) : '',
      hostName: host?.name ?? '',
      clusterUrn: cluster ? this.urn('clusters', cluster.id) : '',
      clusterName: cluster?.name ?? '',
      location: folder ? this.urn('folders', folder.id) : cluster ? this.urn('clusters', cluster.id) : '',
      pvDriverStatus: vm.guestTools && vm.status === 'running' ? 'running' : 'notRunning',
      cdRomStatus: vm.cdRom ? 'mounted' : 'empty',
      cdRomDevicePath: vm.cdRom && cdRomDs ? devicePathOf(cdRomDs, vm.cdRom.fileName) : '',
      createTime: new Date(vm.createdAt).toISOString(),
      vmConfig: {
        cpu: { quantity: vm.cpu },
        memory: { quantityMB: vm.memoryMB },
        disks: vm.disks
          .map((d) => ({ d, v: s.volumes[d.volumeId] }))
          .filter((x): x is { d: (typeof vm.disks)[number]; v: VolumeRecord } => x.v !== undefined)
          .sort((a, b) => a.d.sequenceNum - b.d.sequenceNum)
          .map(({ d, v }) => ({
            sequenceNum: d.sequenceNum,
            quantityGB: v.quantityGB,
            datastoreUrn: this.urn('datastores', v.datastoreId),
            volumeUrn: this.urn('volumes', v.id),
            pciType: v.pciType,
            isThin: v.isThin,
          })),
        nics: vm.nics.map((n) => ({ sequenceNum: n.sequenceNum, portGroupUrn: portGroupUrn(s.site.id, n.dvsId, n.portGroupId), mac: n.mac, ip: n.ip })),
      },
    };
  }

  volume(v: VolumeRecord): T.DcsVolume {
    return {
      urn: this.urn('volumes', v.id),
      uri: this.uri('volumes', v.id),
      name: v.name,
      quantityGB: v.quantityGB,
      datastoreUrn: this.urn('datastores', v.datastoreId),
      datastoreName: this.s.datastores[v.datastoreId]?.name ?? '',
      isThin: v.isThin,
      type: v.type,
      indepDisk: v.indepDisk,
      persistentDisk: v.persistentDisk,
      pciType: v.pciType,
      status: v.status,
      vmUrn: v.vmId === undefined ? '' : this.urn('vms', v.vmId),
      sequenceNum: v.vmId === undefined ? 0 : v.sequenceNum,
    };
  }
}

/** Silent in the reference: the CD-ROM device path of an uploaded file is `<datastore name>/<file>`. */
export function devicePathOf(ds: DatastoreRecord, fileName: string): string {
  return `${ds.name}/${fileName}`;
}
