// The schema catalog: (apiVersion, kind) -> JSON schema, over entries from CRDs (bundled or read from
// a live cluster) and hand-written core schemas. Conversion happens on first use and is cached.
import objectMetaSchema from '../../../schemas/core/objectmeta.schema.json';
import { apiVersionOf } from '../gvk';
import { convertRootSchema, type JsonSchema } from './convert';
import type { CustomResourceDefinition, PrinterColumn, StructuralSchema } from './crd';

/** Where an entry came from: our CRDs, Cluster API's CRDs, core Kubernetes, or a live cluster. */
export type CatalogOrigin = 'dcs' | 'capi' | 'core' | 'cluster';

export interface CatalogEntry {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural?: string;
  readonly shortNames?: readonly string[];
  readonly namespaced: boolean;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
  readonly origin: CatalogOrigin;
  readonly structural: StructuralSchema;
  readonly printerColumns?: readonly PrinterColumn[];
}

const keyOf = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;

/** One entry per version of a CRD that carries a schema. */
export function entriesFromCrd(crd: CustomResourceDefinition, origin: CatalogOrigin): CatalogEntry[] {
  const { group, names, scope } = crd.spec;
  return crd.spec.versions.flatMap((v) => {
    const structural = v.schema?.openAPIV3Schema;
    if (!structural) return [];
    return [
      {
        apiVersion: apiVersionOf({ group, version: v.name }),
        group,
        version: v.name,
        kind: names.kind,
        plural: names.plural,
        shortNames: names.shortNames ?? [],
        namespaced: scope === 'Namespaced',
        served: v.served,
        storage: v.storage,
        deprecated: v.deprecated ?? false,
        ...(v.deprecationWarning === undefined ? {} : { deprecationWarning: v.deprecationWarning }),
        origin,
        structural,
        ...(v.additionalPrinterColumns ? { printerColumns: v.additionalPrinterColumns } : {}),
      },
    ];
  });
}

export class SchemaCatalog {
  private readonly byKey = new Map<string, CatalogEntry>();
  private readonly converted = new Map<string, JsonSchema>();

  /** Later entries replace earlier ones with the same apiVersion and kind. */
  constructor(entries: Iterable<CatalogEntry>) {
    for (const entry of entries) this.byKey.set(keyOf(entry.apiVersion, entry.kind), entry);
  }

  /** A new catalog with `entries` laid over this one's (e.g. a live cluster's CRDs over the bundled ones). */
  overlay(entries: Iterable<CatalogEntry>): SchemaCatalog {
    return new SchemaCatalog([...this.byKey.values(), ...entries]);
  }

  entries(): CatalogEntry[] {
    return [...this.byKey.values()];
  }

  getEntry(apiVersion: string, kind: string): CatalogEntry | undefined {
    return this.byKey.get(keyOf(apiVersion, kind));
  }

  /** The JSON schema (draft-07) of a whole object of this apiVersion and kind. */
  getSchema(apiVersion: string, kind: string): JsonSchema | undefined {
    const key = keyOf(apiVersion, kind);
    const cached = this.converted.get(key);
    if (cached) return cached;
    const entry = this.byKey.get(key);
    if (!entry) return undefined;
    const schema = convertRootSchema(entry.structural, entry, objectMetaSchema);
    this.converted.set(key, schema);
    return schema;
  }

  /** The kinds known for an API group, with their versions (for messages such as "did you mean"). */
  versionsOf(group: string, kind: string): string[] {
    return this.entries()
      .filter((e) => e.group === group && e.kind === kind)
      .map((e) => e.version);
  }
}
