// The inventory `capi-dcs-sim` uses without --inventory. Kept as text in a module so the
// bundled dist/simulator.js carries it. Loopback lab only; the user below is a lab credential.

export const DEFAULT_INVENTORY_YAML = `# capi-dcs-sim default inventory (loopback lab).
site: {id: SIM0001A, name: sim-site-a}
users:
  - {name: capi-sim, key: "sim-Passw0rd!", type: interconnect}
auth: {tokenIdleSeconds: 1800, maxFailedLogins: 5, lockoutSeconds: 300}
tasks:
  latencyMs: 500
  perKindMs: {clone: 2000, createvol: 300}
clusters:
  - name: cluster-a
    drsEnabled: true
    hosts:
      - {name: CNA-01, ip: 127.0.10.1}
      - {name: CNA-02, ip: 127.0.10.2}
      - {name: CNA-03, ip: 127.0.10.3}
datastores:
  - {name: ds-gold, capacityGB: 4000, usedGB: 200, storageType: SAN}
  - {name: ds-gold-2, capacityGB: 4000, usedGB: 100, storageType: SAN}
  - {name: ds-silver, capacityGB: 1000, storageType: NAS}
datastoreClusters:
  - {name: dsc-gold, datastores: [ds-gold, ds-gold-2]}
dvSwitches:
  - name: dvs-prod
    portGroups: [{name: pg-k8s, vlanId: 100}]
  - name: dvs-stor
    portGroups: [{name: pg-stor, vlanId: 200}]
folders: [k8s-demo]
templates:
  - name: alaudaos-v4.3.2-x86
    cluster: cluster-a
    cpu: 4
    memoryMB: 8192
    disks: [{sizeGB: 80, datastore: ds-gold}]
    nics: [{dvSwitch: dvs-prod, portGroup: pg-k8s}]
  - name: alaudaos-v4.2.1-x86
    cluster: cluster-a
    cpu: 4
    memoryMB: 8192
    disks: [{sizeGB: 80, datastore: ds-gold}]
    nics: [{dvSwitch: dvs-prod, portGroup: pg-k8s}]
`;
