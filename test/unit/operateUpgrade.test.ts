// The immutable upgrade, computed from the example cluster: new template names and copies, the control plane
// and worker patches in both CAPI shapes, the refusals, and the notice about replaced machines and disks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OperateAnnotations } from '../../src/operate/ids';
import { replacedGroup, replacementNotice } from '../../src/operate/replacement';
import { newTemplateName, templateCopy } from '../../src/operate/templateCopy';
import { planUpgrade, type UpgradePlan, type UpgradeRequest } from '../../src/operate/upgradePlan';
import { compareVersions, minorsAhead, parseVersion, type KubeVersion } from '../../src/operate/versions';
import { exampleState, find } from './operateFixtures';

const v = (text: string): KubeVersion => {
  const parsed = parseVersion(text);
  assert.ok(parsed, text);
  return parsed;
};

const TO_135: UpgradeRequest = {
  controlPlane: { version: 'v1.35.2-1', vmTemplateName: 'alaudaos-v4.4.0-x86' },
  workers: { version: 'v1.35.2-1', vmTemplateName: 'alaudaos-v4.4.0-x86' },
};

function okPlan(request: UpgradeRequest, state = exampleState()): UpgradePlan {
  const outcome = planUpgrade(state, request);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.errors.join('\n'));
  return outcome.plan;
}

function refusals(request: UpgradeRequest, state = exampleState()): string[] {
  const outcome = planUpgrade(state, request);
  assert.ok(!outcome.ok, 'the plan should be refused');
  return [...outcome.errors];
}

describe('versions', () => {
  it('parses CAPI and Alauda versions and orders builds after the release', () => {
    assert.equal(v('1.35.2').text, 'v1.35.2');
    assert.equal(parseVersion('v1.35'), undefined);
    assert.ok(compareVersions(v('v1.34.5-3'), v('v1.34.5-10')) < 0);
    assert.ok(compareVersions(v('v1.34.5'), v('v1.34.5-1')) < 0);
    assert.ok(compareVersions(v('v1.35.0'), v('v1.34.9-9')) > 0);
    assert.equal(minorsAhead(v('v1.34.5-3'), v('v1.36.0')), 2);
  });
});

describe('template names and copies', () => {
  it('moves the version token of the name, or counts a -vN suffix up, never reusing a name', () => {
    assert.equal(newTemplateName('lab-b-cp-k8s1345', v('v1.34.5-3'), v('v1.35.2-1'), new Set()), 'lab-b-cp-k8s1352');
    assert.equal(newTemplateName('lab-b-cp-k8s1345', v('v1.34.5-3'), v('v1.35.2-1'), new Set(['lab-b-cp-k8s1352'])), 'lab-b-cp-k8s1352-v2');
    assert.equal(newTemplateName('lab-b-cp-k8s1345', v('v1.34.5-3'), v('v1.34.5-4'), new Set()), 'lab-b-cp-k8s1345-v2');
    assert.equal(newTemplateName('md-0-v2', v('v1.34.5'), v('v1.35.0'), new Set(['md-0-v3'])), 'md-0-v4');
  });

  it('copies spec and labels, drops what the server owns, sets the VM template and where it came from', () => {
    const old = find(exampleState().templates, 'DCSMachineTemplate', 'lab-b-cp-k8s1345');
    const live = { ...old, metadata: { ...old.metadata, uid: 'u', resourceVersion: '9', managedFields: [{}], creationTimestamp: 't' }, status: {} };
    const copy = templateCopy(live, 'lab-b-cp-k8s1352', 'alaudaos-v4.4.0-x86');
    assert.deepEqual(Object.keys(copy.metadata).sort(), ['annotations', 'labels', 'name', 'namespace']);
    assert.equal(copy.metadata.annotations?.[OperateAnnotations.copiedFrom], 'lab-b-cp-k8s1345');
    assert.equal((copy.spec as { template: { spec: { vmTemplateName: string } } }).template.spec.vmTemplateName, 'alaudaos-v4.4.0-x86');
    assert.equal('status' in copy, false);
    assert.deepEqual((copy.spec as { template: { spec: { vmConfig: unknown } } }).template.spec.vmConfig, (old.spec as { template: { spec: { vmConfig: unknown } } }).template.spec.vmConfig);
  });
});

describe('planUpgrade', () => {
  it('creates one new template per old one and patches version and template together', () => {
    const plan = okPlan(TO_135);
    assert.deepEqual(plan.templates.map((t) => t.metadata.name), ['lab-b-cp-k8s1352', 'lab-b-wk-k8s1352']);
    assert.deepEqual(plan.controlPlane?.ref, { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', namespace: 'cpaas-system', name: 'lab-b-kcp' });
    assert.deepEqual(plan.controlPlane.patch, {
      metadata: { annotations: { [OperateAnnotations.previous]: '{"name":"lab-b-cp-k8s1345","version":"v1.34.5-3"}' } },
      spec: { version: 'v1.35.2-1', machineTemplate: { spec: { infrastructureRef: { name: 'lab-b-cp-k8s1352' } } } },
    });
    assert.deepEqual(plan.deployments.map((d) => d.patch), [{
      metadata: { annotations: { [OperateAnnotations.previous]: '{"name":"lab-b-wk-k8s1345","version":"v1.34.5-3"}' } },
      spec: { template: { spec: { version: 'v1.35.2-1', infrastructureRef: { name: 'lab-b-wk-k8s1352' } } } },
    }]);
  });

  it('writes the v1beta1 shape for objects stored in it', () => {
    const state = exampleState((objects) => {
      const kcpSpec = find(objects, 'KubeadmControlPlane').spec as Record<string, unknown>;
      kcpSpec.machineTemplate = { infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachineTemplate', name: 'lab-b-cp-k8s1345' } };
    });
    const plan = okPlan({ controlPlane: TO_135.controlPlane }, state);
    assert.equal(plan.controlPlane?.ref.apiVersion, 'controlplane.cluster.x-k8s.io/v1beta1');
    assert.deepEqual((plan.controlPlane.patch.spec as Record<string, unknown>).machineTemplate, { infrastructureRef: { name: 'lab-b-cp-k8s1352' } });
  });

  it('sets the CoreDNS and etcd tags of the new release where the control plane has them', () => {
    const plan = okPlan({ controlPlane: { ...TO_135.controlPlane, version: 'v1.35.2-1', vmTemplateName: 'x', imageTags: { coredns: '1.15.0', etcd: 'v3.6.1' } } });
    assert.deepEqual((plan.controlPlane?.patch.spec as { kubeadmConfigSpec: unknown }).kubeadmConfigSpec, { clusterConfiguration: { dns: { imageTag: '1.15.0' }, etcd: { local: { imageTag: 'v3.6.1' } } } });
  });

  it('re-images on the same version under a -v2 name, and does nothing when nothing changes', () => {
    const plan = okPlan({ workers: { version: 'v1.34.5-3', vmTemplateName: 'alaudaos-v4.3.3-x86' } });
    assert.deepEqual(plan.templates.map((t) => t.metadata.name), ['lab-b-wk-k8s1345-v2']);
    assert.equal(plan.controlPlane, undefined);
    assert.match(refusals({ workers: { version: 'v1.34.5-3', vmTemplateName: 'alaudaos-v4.3.2-x86' } })[0] ?? '', /Nothing to upgrade/);
  });

  it('refuses a control plane jump of two minors, a downgrade, and workers ahead of the control plane', () => {
    assert.match(refusals({ controlPlane: { version: 'v1.36.1', vmTemplateName: 'x' } }).join(), /one minor at a time: v1.34.5-3 → v1.36.1 skips 1 minor\. Upgrade to v1\.35\.x first/);
    assert.match(refusals({ controlPlane: { version: 'v1.33.9', vmTemplateName: 'x' } }).join(), /cannot go back from v1.34.5-3 to v1.33.9/);
    assert.match(refusals({ workers: { version: 'v1.35.2-1', vmTemplateName: 'x' } }).join(), /Workers may never run a newer Kubernetes than the control plane: v1.35.2-1 is ahead of the control plane's v1.34.5-3/);
    assert.match(
      refusals({ controlPlane: { version: 'v1.35.1', vmTemplateName: 'x' }, workers: { version: 'v1.35.2', vmTemplateName: 'x' } }).join(),
      /v1.35.2 is ahead of the control plane's v1.35.1/,
    );
    assert.match(refusals({ controlPlane: { version: '1.35', vmTemplateName: 'x' } }).join(), /is not a Kubernetes version/);
    assert.match(refusals({ workers: { version: 'v1.34.5-3', vmTemplateName: 'x', deployments: ['nope'] } }).join(), /MachineDeployment nope does not belong/);
  });

  it('leaves clusters built from a ClusterClass to their topology', () => {
    const state = exampleState((objects) => {
      (find(objects, 'Cluster').spec as Record<string, unknown>).topology = { classRef: { name: 'dcs' }, version: 'v1.34.5-3' };
    });
    assert.match(refusals(TO_135, state).join(), /built from a ClusterClass: upgrade it by changing spec\.topology\.version/);
  });

  it('refuses to move the control plane again while its Machines still run the older minor', () => {
    const state = exampleState((objects) => {
      const kcp = find(objects, 'KubeadmControlPlane');
      (kcp.spec as { version: string }).version = 'v1.35.2-1';
      kcp.status = { versions: [{ version: 'v1.34.5-3', replicas: 2 }, { version: 'v1.35.2-1', replicas: 1 }] };
    });
    assert.match(refusals({ controlPlane: { version: 'v1.36.0', vmTemplateName: 'x' } }, state).join(), /still rolling out to v1.35.2-1 \(Machines still run v1.34.5-3\)/);
    assert.match(refusals({ workers: { version: 'v1.35.2-1', vmTemplateName: 'x' } }, state).join(), /still runs v1.34.5-3 on some Machines/);
  });
});

describe('replacement notice', () => {
  it('names the machines that go, the disks that go with them, and the persistent disks that stay', () => {
    const state = exampleState();
    const cp = replacedGroup(state, find([...(state.controlPlane ? [state.controlPlane] : [])], 'KubeadmControlPlane'));
    assert.deepEqual(cp.machines, ['lab-b-kcp-7x2lq', 'lab-b-kcp-9fk3d', 'lab-b-kcp-q8w2m']);
    assert.deepEqual(cp.templateDisks, ['system disk', '/var/lib/kubelet', '/var/lib/containerd', '/var/lib/etcd']);
    assert.deepEqual(cp.persistentDisks, ['/var/cpaas']);
    const text = replacementNotice([cp, replacedGroup(state, find(state.deployments, 'MachineDeployment'))]);
    assert.match(text, /^Control plane lab-b-kcp: lab-b-kcp-7x2lq, lab-b-kcp-9fk3d, lab-b-kcp-q8w2m will be replaced one by one by new VMs\./);
    assert.match(text, /deleted together with its system disk, \/var\/lib\/kubelet, \/var\/lib\/containerd and \/var\/lib\/etcd; what was stored there is lost/);
    assert.deepEqual([cp.maxSurge, cp.isControlPlane], [0, true]);
    assert.match(text, /Pool lab-b-cp-pool declares persistent disks \(\/var\/cpaas\): each old machine is deleted before its replacement is created \(maxSurge 0\), so they move to the replacement machines\./);
    assert.doesNotMatch(text, /do not move/);
    assert.match(text, /MachineDeployment lab-b-md-0: lab-b-md-0-abcde-h5k2p, lab-b-md-0-abcde-t9r4s will be replaced/);
  });

  it('does not promise the disks move when the rollout surges (maxSurge above 0, or the default 1)', () => {
    const state = exampleState((objects) => {
      const md = find(objects, 'MachineDeployment').spec as { rollout: { strategy: { rollingUpdate: Record<string, unknown> } } };
      md.rollout.strategy.rollingUpdate = { maxSurge: '50%', maxUnavailable: 0 };
      // Without a rollout strategy a KubeadmControlPlane surges by 1.
      Reflect.deleteProperty(find(objects, 'KubeadmControlPlane').spec as object, 'rollout');
    });
    const md = replacedGroup(state, find(state.deployments, 'MachineDeployment'));
    const kcp = replacedGroup(state, find(state.controlPlane ? [state.controlPlane] : [], 'KubeadmControlPlane'));
    assert.deepEqual([md.maxSurge, kcp.maxSurge], [1, 1]);
    const text = replacementNotice([kcp, md]);
    assert.doesNotMatch(text, /they move to the replacement machines/);
    assert.match(text, /Pool lab-b-cp-pool declares persistent disks \(\/var\/cpaas\), but the rollout runs with maxSurge 1: .*do not move to the replacements\. Set maxSurge: 0 in the KubeadmControlPlane's rollout strategy first \(allowed with 3 or more replicas\)/);
    assert.match(text, /Pool lab-b-worker-pool declares persistent disks \(\/var\/cpaas\), but the rollout runs with maxSurge 1: .* Set maxSurge: 0 \(and maxUnavailable: 1\) in the MachineDeployment's rollout strategy first/);
  });

  it('says plainly when the pool keeps nothing', () => {
    const state = exampleState((objects) => {
      const poolSpec = find(objects, 'DCSIpHostnamePool', 'lab-b-worker-pool').spec as { pool: Record<string, unknown>[] };
      for (const entry of poolSpec.pool) Reflect.deleteProperty(entry, 'persistentDisk');
    });
    const text = replacementNotice([replacedGroup(state, find(state.deployments, 'MachineDeployment'))]);
    assert.match(text, /Pool lab-b-worker-pool declares no persistent disks: nothing on these machines survives\./);
  });
});
