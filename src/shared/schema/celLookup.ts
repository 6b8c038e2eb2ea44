// Finds the TypeScript twin of an `x-kubernetes-validations` entry: first our own DCS rules (exact
// rule text and message), then the generic shapes. Unknown rules are left to the API server.
import type { CelCheck } from './celRule';
import { recognizeCelRule } from './celGeneric';
import { dcsRules } from './dcsRules';

export interface CrdValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

const ownRuleKey = (rule: string, message: string): string => `${rule}\u0000${message}`;

const ownRules: ReadonlyMap<string, CelCheck> = new Map(
  Object.values(dcsRules).map((r) => [ownRuleKey(r.rule, r.message), r] as const),
);

export function findCelCheck(validation: CrdValidationRule): CelCheck | undefined {
  const message = validation.message ?? `failed rule: ${validation.rule}`;
  return ownRules.get(ownRuleKey(validation.rule, message)) ?? recognizeCelRule(validation.rule, message);
}

/** True when the rule reads the stored object, so it is only evaluated on updates. */
export function usesOldSelf(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}
