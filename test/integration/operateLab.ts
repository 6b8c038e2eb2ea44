// What the operate integration tests share: an ObjectApi on a kubeconfig of the lab's management plane,
// the example cluster applied with the extension's own apply, and Machines as CAPI would have made them.
import { KubeConfig } from '@kubernetes/client-node';
import { planApply, type ApplyPlan } from '../../src/operate/applyPlan';
import { commitApply, type CommitResult } from '../../src/operate/applyRun';
import { kubeClient } from '../../src/operate/kubeClient';
import { ObjectApi, refOf, type KubeObject } from '../../src/operate/objectApi';
import { EXAMPLE_URI, exampleMachines, exampleText } from '../unit/operateFixtures';

export function objectApi(kubeconfigPath: string): ObjectApi {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return new ObjectApi(kubeClient(kc));
}

export function examplePlan(text = exampleText()): ApplyPlan {
  return planApply([{ uri: EXAMPLE_URI, text }]);
}

export async function applyExample(api: ObjectApi): Promise<CommitResult> {
  const result = await commitApply(api, examplePlan());
  const failed = result.entries.filter((e) => e.outcome === 'failed');
  if (failed.length > 0) throw new Error(`the example did not apply: ${failed.map((e) => `${e.ref.kind} ${e.ref.name}: ${String(e.error)}`).join('; ')}`);
  return result;
}

/** Creates the example's Machines (no CAPI controller runs in the lab to make them). */
export async function createMachines(api: ObjectApi): Promise<void> {
  for (const machine of exampleMachines()) await api.apply(machine, { fieldManager: 'operate-test', force: true });
}

/** resourceVersion of each object, by kind/name. */
export async function resourceVersions(api: ObjectApi, objects: readonly KubeObject[]): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const o of objects) out[`${o.kind}/${o.metadata.name}`] = (await api.get(refOf(o)))?.metadata.resourceVersion;
  return out;
}
