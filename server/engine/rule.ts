// The shape of a cross-document rule and of what it finds.
import type { FieldPath, Target } from './locate';
import type { IndexedObject, WorkspaceIndex } from './workspaceIndex';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Finding {
  readonly path: FieldPath;
  readonly target?: Target;
  readonly message: string;
  /** Data a quick fix needs (names, the object to create); never shown. */
  readonly data?: Record<string, unknown>;
}

export interface Rule {
  /** Stable id: the diagnostic code, the key of the severity setting, the CLI's rule id. */
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly description: string;
  check(object: IndexedObject, index: WorkspaceIndex): Finding[];
}
