// Runs an upgrade plan against the API server: a dry run of every step for the preview, then the real thing
// in order (templates, control plane, optionally wait for it, workers). Each step has its own result.
import { describeFailure } from './apiErrors';
import { isAbort } from './applyRun';
import { APPLY_FIELD_MANAGER, OPERATE_FIELD_MANAGER, OperateAnnotations } from './ids';
import { describeRef, refOf, type KubeObject, type ObjectApi, type ObjectRef } from './objectApi';
import type { PatchStep, UpgradePlan } from './upgradePlan';

export type UpgradeStepKind = 'template' | 'controlPlane' | 'deployment';

export interface UpgradeStepResult {
  readonly kind: UpgradeStepKind;
  readonly ref: ObjectRef;
  readonly description: string;
  readonly live?: KubeObject;
  readonly result?: KubeObject;
  readonly error?: unknown;
  /** True for steps not attempted because an earlier one failed or the run was cancelled. */
  readonly skipped?: boolean;
}

interface Step {
  readonly kind: UpgradeStepKind;
  readonly ref: ObjectRef;
  readonly description: string;
  readonly run: (dryRun: boolean, signal?: AbortSignal) => Promise<KubeObject>;
}

export function upgradeSteps(api: ObjectApi, plan: UpgradePlan): Step[] {
  const patchStep = (kind: UpgradeStepKind, s: PatchStep): Step => ({
    kind,
    ref: s.ref,
    description: `${describeRef(s.ref)}: ${s.fromVersion} → ${s.toVersion}, template ${s.fromTemplate} → ${s.toTemplate}`,
    run: (dryRun, signal) => api.mergePatch(s.ref, s.patch, { dryRun, signal, fieldManager: OPERATE_FIELD_MANAGER }),
  });
  return [
    ...plan.templates.map((t): Step => ({
      kind: 'template',
      ref: refOf(t),
      description: `new DCSMachineTemplate ${t.metadata.name} (copy of ${t.metadata.annotations?.[OperateAnnotations.copiedFrom] ?? '?'})`,
      // The apply field manager: re-applying the written-back workspace file then finds its own fields.
      run: (dryRun, signal) => api.create(t, { dryRun, signal, fieldManager: APPLY_FIELD_MANAGER }),
    })),
    ...(plan.controlPlane ? [patchStep('controlPlane', plan.controlPlane)] : []),
    ...plan.deployments.map((d) => patchStep('deployment', d)),
  ];
}

/** A dry run of every step: the live objects and what they would become, for the diff. Never stops early. */
export async function previewUpgrade(api: ObjectApi, plan: UpgradePlan, signal?: AbortSignal): Promise<UpgradeStepResult[]> {
  const out: UpgradeStepResult[] = [];
  for (const step of upgradeSteps(api, plan)) {
    signal?.throwIfAborted();
    try {
      const live = step.kind === 'template' ? undefined : await api.get(step.ref, signal);
      out.push({ kind: step.kind, ref: step.ref, description: step.description, live, result: await step.run(true, signal) });
    } catch (error) {
      if (isAbort(error)) throw error;
      out.push({ kind: step.kind, ref: step.ref, description: step.description, error });
    }
  }
  return out;
}

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  readonly onStep?: (index: number, total: number, description: string) => void;
  /** Called after the control plane patch, before the first worker patch; throws to stop (the workers stay as they are). */
  readonly waitForControlPlane?: (ref: ObjectRef) => Promise<void>;
}

export interface ExecuteResult {
  readonly steps: readonly UpgradeStepResult[];
  readonly ok: boolean;
  /** Why the run stopped before the end: a failed step, a cancel, or the wait for the control plane. */
  readonly stoppedBecause?: string;
}

export async function executeUpgrade(api: ObjectApi, plan: UpgradePlan, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const steps = upgradeSteps(api, plan);
  const results: UpgradeStepResult[] = [];
  const stop = (because: string): ExecuteResult => {
    for (const s of steps.slice(results.length)) results.push({ kind: s.kind, ref: s.ref, description: s.description, skipped: true });
    return { steps: results, ok: false, stoppedBecause: because };
  };
  for (const [i, step] of steps.entries()) {
    if (options.signal?.aborted) return stop('cancelled');
    if (step.kind === 'deployment' && steps[i - 1]?.kind === 'controlPlane' && plan.controlPlane && options.waitForControlPlane) {
      try {
        await options.waitForControlPlane(plan.controlPlane.ref);
      } catch (error) {
        return stop(isAbort(error) ? 'cancelled while waiting for the control plane' : describeFailure(error));
      }
    }
    options.onStep?.(i, steps.length, step.description);
    try {
      results.push({ kind: step.kind, ref: step.ref, description: step.description, result: await step.run(false, options.signal) });
    } catch (error) {
      results.push({ kind: step.kind, ref: step.ref, description: step.description, error });
      return stop(isAbort(error) ? 'cancelled' : `${describeRef(step.ref)}: ${describeFailure(error)}`);
    }
  }
  return { steps: results, ok: true };
}
