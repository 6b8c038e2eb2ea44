// Which schemas the lint command validates against: the catalog bundled next to dist/cli.js, or the CRDs
// installed in a live management cluster (--kubeconfig / --kube-context), through the same conversion.
import { join } from 'node:path';
import { CatalogSchemaChecker } from '../../server/engine/schemaChecker';
import type { SchemaChecker } from '../../server/engine/validate';
import { kubeconfigFiles } from '../shared/kubeconfig';
import { loadBundledCatalog } from '../shared/schema/bundled';
import { catalogFromCluster } from '../shared/schema/fromCluster';
import { ManifestValidator } from '../shared/schema/validate';
import { UsageError, type LintArgs } from './args';

export async function loadSchemas(args: LintArgs): Promise<SchemaChecker> {
  if (args.kubeconfig !== undefined || args.kubeContext !== undefined) {
    try {
      const catalog = await catalogFromCluster(args.kubeconfig, { context: args.kubeContext });
      return new CatalogSchemaChecker(new ManifestValidator(catalog));
    } catch (error) {
      const files = kubeconfigFiles(args.kubeconfig).join(', ') || 'no kubeconfig';
      throw new UsageError(`cannot read the CRDs of the management cluster (${files}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const schemaDir = process.env.CAPI_DCS_SCHEMA_DIR ?? join(__dirname, 'schemas');
  return new CatalogSchemaChecker(new ManifestValidator(loadBundledCatalog(schemaDir)));
}
