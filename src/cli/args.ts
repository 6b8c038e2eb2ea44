// Command-line arguments of `capi-dcs lint`.
import type { RuleSeverity } from '../shared/settings';

export type OutputFormat = 'human' | 'json' | 'sarif' | 'junit';
export type FailOn = Exclude<RuleSeverity, 'off'> | 'none';

export interface LintArgs {
  readonly paths: string[];
  readonly format: OutputFormat;
  readonly failOn: FailOn;
  readonly quiet: boolean;
  readonly maxWarnings: number | undefined;
  readonly exclude: string[];
  readonly config: string | undefined;
  readonly envFiles: string[];
  readonly vars: Record<string, string>;
  readonly kubeconfig: string | undefined;
  readonly kubeContext: string | undefined;
  readonly capiVersion: 'v1beta1' | 'v1beta2' | undefined;
  readonly color: boolean;
}

export class UsageError extends Error {}

const FORMATS: readonly OutputFormat[] = ['human', 'json', 'sarif', 'junit'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'hint', 'none'];

export const USAGE = `Usage: capi-dcs lint [options] [PATH|DIR|-]...

Checks Cluster API and DCS manifests as the capi-dcs language server does: schemas, clusterctl
\${VARIABLES} and the cross-document rules. Folders are walked for *.yaml and *.yml, honouring .gitignore.

Options:
  --format human|json|sarif|junit   output format (default human)
  --fail-on error|warning|info|hint|none
                                    exit 1 when a problem at or above this severity is found (default error)
  --max-warnings N                  exit 1 when more than N warnings are found
  --quiet                           report errors only
  --exclude GLOB                    skip matching files (repeatable)
  --config FILE                     configuration file (default: .capi-dcs.yaml in the repository root)
  --var KEY=VALUE                   a clusterctl variable value (repeatable); renders templates first
  --env-file FILE                   KEY=VALUE lines, as --var
  --kubeconfig FILE, --kube-context NAME
                                    validate against the CRDs installed in a live management cluster
  --capi-version v1beta1|v1beta2    the CAPI version the project targets (overrides capiVersion in the
                                    configuration file); with v1beta1, v1beta1 objects get no deprecation note
  --no-color                        plain output even on a terminal
Exit status: 0 clean, 1 problems at or above --fail-on (or over --max-warnings), 2 usage or I/O errors.`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} takes one of ${allowed.join(', ')}${value === undefined ? '' : `, not "${value}"`}`);
}

export function parseLintArgs(argv: readonly string[], isTty: boolean): LintArgs {
  const paths: string[] = [];
  const exclude: string[] = [];
  const envFiles: string[] = [];
  const vars: Record<string, string> = {};
  let format: OutputFormat = 'human';
  let failOn: FailOn = 'error';
  let quiet = false;
  let maxWarnings: number | undefined;
  let config: string | undefined;
  let kubeconfig: string | undefined;
  let kubeContext: string | undefined;
  let capiVersion: 'v1beta1' | 'v1beta2' | undefined;
  let color = isTty && process.env.NO_COLOR === undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': format = oneOf(flag, value(), FORMATS); break;
      case '--fail-on': failOn = oneOf(flag, value(), FAIL_ON); break;
      case '--quiet': quiet = true; break;
      case '--max-warnings': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings takes a whole number, not "${v}"`);
        maxWarnings = Number(v);
        break;
      }
      case '--exclude': exclude.push(value()); break;
      case '--config': config = value(); break;
      case '--env-file': envFiles.push(value()); break;
      case '--var': {
        const v = value();
        const eq = v.indexOf('=');
        if (eq <= 0) throw new UsageError(`--var takes KEY=VALUE, not "${v}"`);
        vars[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '--kubeconfig': kubeconfig = value(); break;
      case '--kube-context': kubeContext = value(); break;
      case '--capi-version': capiVersion = oneOf(flag, value(), ['v1beta1', 'v1beta2'] as const); break;
      case '--no-color': color = false; break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        paths.push(arg);
    }
  }
  return { paths: paths.length > 0 ? paths : ['.'], format, failOn, quiet, maxWarnings, exclude, config, envFiles, vars, kubeconfig, kubeContext, capiVersion, color };
}
