// The language server's settings, as the client sends them (section `capi-dcs`). Shared by the extension,
// the language server and the lint command, so the three read the same names.

export type RuleSeverity = 'error' | 'warning' | 'info' | 'hint' | 'off';

export interface ServerSettings {
  /**
   * enable: validate at all. schemaSource: the bundled catalog, or the CRDs installed in a management
   * cluster (the kubeconfig below, clusterContext or its current context), so files are checked against
   * exactly what that cluster runs.
   */
  readonly validation: { readonly enable: boolean; readonly schemaSource: 'bundled' | 'cluster'; readonly clusterContext: string };
  /** The extension's kubeconfig setting; empty for $KUBECONFIG or ~/.kube/config. */
  readonly kubeconfig: string;
  /** Per rule id: a severity or 'off'. */
  readonly rules: Readonly<Record<string, RuleSeverity>>;
  /** clusterctl variable values used to validate templates as `clusterctl generate cluster` would render them. */
  readonly variables: Readonly<Record<string, string>>;
  /** The CAPI version the project targets: objects quick fixes create, apiVersion completion, deprecation notes. */
  readonly capiVersion: 'v1beta1' | 'v1beta2';
  /** Glob patterns of the workspace files the index reads (relative to each workspace folder). */
  readonly files: { readonly include: readonly string[]; readonly exclude: readonly string[] };
}

export const defaultServerSettings: ServerSettings = {
  validation: { enable: true, schemaSource: 'bundled', clusterContext: '' },
  kubeconfig: '',
  rules: {},
  variables: {},
  capiVersion: 'v1beta2',
  files: { include: ['**/*.yaml', '**/*.yml'], exclude: ['**/node_modules/**', '**/.git/**'] },
};

/** Fills what a partial settings object leaves out with the defaults. */
export function withDefaults(partial: unknown): ServerSettings {
  const p = (typeof partial === 'object' && partial !== null ? partial : {}) as Partial<ServerSettings>;
  return {
    validation: {
      enable: p.validation?.enable ?? defaultServerSettings.validation.enable,
      schemaSource: p.validation?.schemaSource === 'cluster' ? 'cluster' : 'bundled',
      clusterContext: p.validation?.clusterContext ?? '',
    },
    kubeconfig: typeof p.kubeconfig === 'string' ? p.kubeconfig : '',
    rules: { ...p.rules },
    // YAML reads WORKER_MACHINE_COUNT: 3 as a number; clusterctl substitutes text.
    variables: Object.fromEntries(Object.entries((p.variables ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    capiVersion: p.capiVersion === 'v1beta1' ? 'v1beta1' : 'v1beta2',
    files: {
      include: p.files?.include ?? defaultServerSettings.files.include,
      exclude: p.files?.exclude ?? defaultServerSettings.files.exclude,
    },
  };
}

/** The ServerSettings fields as VS Code setting names under `capi-dcs.` (a test checks them against package.json). */
export const SERVER_SETTING_KEYS = [
  'validation.enable',
  'validation.schemaSource',
  'validation.clusterContext',
  'kubeconfig',
  'rules',
  'variables',
  'capiVersion',
  'files.include',
  'files.exclude',
] as const;

/**
 * The settings the user set explicitly (in any scope), nested as ServerSettings. What is left at its
 * default stays absent, so a repository's .capi-dcs.yaml decides it.
 */
export function explicitSettings(isSet: (key: string) => boolean, get: (key: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SERVER_SETTING_KEYS) {
    if (!isSet(key)) continue;
    const [head = key, leaf] = key.split('.');
    out[head] = leaf === undefined ? get(key) : { ...(out[head] as Record<string, unknown> | undefined), [leaf]: get(key) };
  }
  return out;
}
