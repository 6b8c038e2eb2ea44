// Which schemas the lint command validates against: none yet (the schema catalog plugs in here).
import type { SchemaChecker } from '../../server/engine/validate';
import type { LintArgs } from './args';

export function loadSchemas(_args: LintArgs): Promise<SchemaChecker | undefined> {
  return Promise.resolve(undefined);
}
