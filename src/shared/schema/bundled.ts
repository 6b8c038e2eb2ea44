// The catalog shipped with the extension: DCS CRDs and core kinds compiled in, Cluster API CRDs read
// from the build output of scripts/gen-capi-schemas.ts (dist/schemas/capi-crds.json in the VSIX).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import configMap from '../../../schemas/core/v1.ConfigMap.json';
import namespace from '../../../schemas/core/v1.Namespace.json';
import secret from '../../../schemas/core/v1.Secret.json';
import { dcsCrds } from '../api/dcsCrds.generated';
import { entriesFromCrd, SchemaCatalog, type CatalogEntry } from './catalog';
import { isCustomResourceDefinition, type CustomResourceDefinition, type StructuralSchema } from './crd';

/** File name of the generated Cluster API schema bundle inside a schema directory. */
export const CAPI_SCHEMA_FILE = 'capi-crds.json';

/** The content of capi-crds.json. */
export interface CapiSchemaBundle {
  readonly module: string;
  readonly version: string;
  readonly crds: CustomResourceDefinition[];
}

interface CoreSchemaFile {
  readonly apiVersion: string;
  readonly kind: string;
  readonly scope: string;
  readonly schema: unknown;
}

function coreEntry(file: CoreSchemaFile): CatalogEntry {
  return {
    apiVersion: file.apiVersion,
    group: '',
    version: file.apiVersion,
    kind: file.kind,
    namespaced: file.scope === 'Namespaced',
    served: true,
    storage: true,
    deprecated: false,
    origin: 'core',
    structural: file.schema as StructuralSchema,
  };
}

export function coreEntries(): CatalogEntry[] {
  return [namespace, secret, configMap].map(coreEntry);
}

export function dcsEntries(): CatalogEntry[] {
  return dcsCrds.flatMap((crd) => entriesFromCrd(crd, 'dcs'));
}

export function readCapiBundle(schemaDir: string): CapiSchemaBundle {
  const path = join(schemaDir, CAPI_SCHEMA_FILE);
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as Partial<CapiSchemaBundle>;
  if (!Array.isArray(bundle.crds) || !bundle.crds.every(isCustomResourceDefinition)) {
    throw new Error(`${path} is not a Cluster API schema bundle`);
  }
  return bundle as CapiSchemaBundle;
}

/**
 * DCS and core kinds always; Cluster API kinds when `schemaDir` holds capi-crds.json. A missing
 * directory or file leaves the Cluster API kinds out; a corrupt file throws.
 */
export function loadBundledCatalog(schemaDir?: string): SchemaCatalog {
  const capi =
    schemaDir !== undefined && existsSync(join(schemaDir, CAPI_SCHEMA_FILE))
      ? readCapiBundle(schemaDir).crds.flatMap((crd) => entriesFromCrd(crd, 'capi'))
      : [];
  return new SchemaCatalog([...coreEntries(), ...capi, ...dcsEntries()]);
}
