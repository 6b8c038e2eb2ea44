// Kubernetes versions as CAPI writes them ("v1.34.5", Alauda's "v1.34.5-3"): parsing, ordering, the
// one-minor-at-a-time rule, and the compact token template names carry ("k8s1345").

export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** What follows the patch ("-3"), '' when nothing does. */
  readonly suffix: string;
  /** Normalised text, always with the leading v. */
  readonly text: string;
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.+-]+)?$/;

export function parseVersion(text: string): KubeVersion | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const suffix = match[4] ?? '';
  return { major, minor, patch, suffix, text: `v${major}.${minor}.${patch}${suffix}` };
}

/**
 * Orders versions by major, minor, patch, then suffix. A suffix counts as a later build of the same release
 * (Alauda numbers its builds "-1", "-2", …), compared numerically where both are numbers.
 */
export function compareVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || compareSuffix(a.suffix, b.suffix);
}

function compareSuffix(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  const [na, nb] = [Number(a.slice(1)), Number(b.slice(1))];
  if (Number.isInteger(na) && Number.isInteger(nb)) return na - nb;
  return a.localeCompare(b);
}

/** How many minors `to` is ahead of `from` (negative when behind); across majors the difference is unbounded. */
export function minorsAhead(from: KubeVersion, to: KubeVersion): number {
  if (from.major !== to.major) return (to.major - from.major) * 1000;
  return to.minor - from.minor;
}

/** "v1.34.5-3" -> "1345": the token templates are often named with ("lab-b-cp-k8s1345"). */
export function versionToken(v: KubeVersion): string {
  return `${v.major}${v.minor}${v.patch}`;
}

export function minorOf(v: KubeVersion): string {
  return `v${v.major}.${v.minor}`;
}
