// The language server process: one connection, one CapiDcsServer, the bundled schema catalog.
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadBundledCatalog } from '../src/shared/schema/bundled';
import { catalogFromCluster } from '../src/shared/schema/fromCluster';
import { ManifestValidator } from '../src/shared/schema/validate';
import { CapiDcsServer } from './capiDcsServer';
import { CatalogSchemaChecker } from './engine/schemaChecker';

// dist/schemas next to dist/server.js in the VSIX; tests running the sources point at the build output.
const schemaDir = process.env.CAPI_DCS_SCHEMA_DIR ?? join(__dirname, 'schemas');
const connection = createConnection(ProposedFeatures.all);
const validator = new ManifestValidator(loadBundledCatalog(schemaDir));
const fromCluster = async (kubeconfig: string, context: string | undefined) =>
  new CatalogSchemaChecker(new ManifestValidator(await catalogFromCluster(kubeconfig, { context })));
new CapiDcsServer(connection, new CatalogSchemaChecker(validator), fromCluster);
connection.listen();
// Compile the schemas in the background, so the first document does not wait for them.
void validator.warmUp();
