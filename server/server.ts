// The language server process: one connection, one CapiDcsServer, the bundled schema catalog.
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadBundledCatalog } from '../src/shared/schema/bundled';
import { catalogFromCluster } from '../src/shared/schema/fromCluster';
import { ManifestValidator } from '../src/shared/schema/validate';
import { CapiDcsServer } from './capiDcsServer';
import { CatalogSchemaChecker } from './engine/schemaChecker';
import { warmUpWhenIdle } from './idleWarmUp';

// dist/schemas next to dist/server.js in the VSIX; tests running the sources point at the build output.
const schemaDir = process.env.CAPI_DCS_SCHEMA_DIR ?? join(__dirname, 'schemas');
const connection = createConnection(ProposedFeatures.all);
// Partial compiles: the first diagnostics compile only the schema parts their objects use; the idle
// warm-up below compiles the whole schemas.
const validator = new ManifestValidator(loadBundledCatalog(schemaDir), { partialCompile: true });
const fromCluster = async (kubeconfig: string | undefined, context: string | undefined) =>
  new CatalogSchemaChecker(new ManifestValidator(await catalogFromCluster(kubeconfig, { context }), { partialCompile: true }));
const server = new CapiDcsServer(connection, new CatalogSchemaChecker(validator), fromCluster);
connection.listen();
// Compile the schemas in idle time, so a document of a kind not seen yet does not wait for them.
warmUpWhenIdle(validator, () => server.idleFor());
