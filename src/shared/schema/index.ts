// Public surface of the schema catalog and validator, for the language server, the extension and tests.
// catalogFromCluster lives in ./fromCluster, imported directly: it pulls in @kubernetes/client-node.
export { CAPI_SCHEMA_FILE, loadBundledCatalog } from './bundled';
export { SchemaCatalog, entriesFromCrd, type CatalogEntry, type CatalogOrigin } from './catalog';
export { substituteVariables, templateVariables, type TemplateVariable } from './clusterctlTemplate';
export { ManifestValidator, ValidatorRuleIds, type Problem, type ValidateOptions } from './validate';
export { SchemaRuleIds } from './ajvProblems';
export { DcsRuleIds } from './dcsRules';
export { GenericRuleIds } from './celGeneric';
export { ListRuleIds } from './ruleTree';
export type { PathSegment } from './celRule';
export type { JsonSchema } from './convert';
