// Which schemas the lint command validates against: the catalog bundled next to dist/cli.js, or the CRDs
// installed in a live management cluster (--kubeconfig / --kube-context), through the same conversion.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CatalogSchemaChecker } from '../../server/engine/schemaChecker';
import type { SchemaChecker } from '../../server/engine/validate';
import { loadBundledCatalog } from '../shared/schema/bundled';
import { catalogFromCluster } from '../shared/schema/fromCluster';
import { ManifestValidator } from '../shared/schema/validate';
import { UsageError, type LintArgs } from './args';

export async function loadSchemas(args: LintArgs): Promise<SchemaChecker> {
  if (args.kubeconfig !== undefined || args.kubeContext !== undefined) {
    const kubeconfig = args.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config');
    try {
      const catalog = await catalogFromCluster(kubeconfig, { context: args.kubeContext });
      return new CatalogSchemaChecker(new ManifestValidator(catalog));
    } catch (error) {
      throw new UsageError(`cannot read the CRDs of the management cluster (${kubeconfig}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const schemaDir = process.env.CAPI_DCS_SCHEMA_DIR ?? join(__dirname, 'schemas');
  return new CatalogSchemaChecker(new ManifestValidator(loadBundledCatalog(schemaDir)));
}
