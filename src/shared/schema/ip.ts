// IP address checks with the semantics of the Kubernetes API server, so that the catalog and the
// server agree on what a valid address is.

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function octetsOf(text: string, allowLeadingZeros: boolean): number[] | undefined {
  const match = DOTTED_QUAD.exec(text);
  if (!match) return undefined;
  const parts = match.slice(1);
  if (!allowLeadingZeros && parts.some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/**
 * The CRD `format: ipv4` check: Go's sloppy parser, which tolerates leading zeros ("010.0.0.1").
 */
export function isIPv4Sloppy(text: string): boolean {
  return octetsOf(text, true) !== undefined;
}

/** CEL `isIP()` for IPv4: canonical dotted decimal, no leading zeros. */
export function isIPv4Strict(text: string): boolean {
  return octetsOf(text, false) !== undefined;
}

/** CEL `isIP()` for IPv6: no zone, no IPv4-mapped form. */
export function isIPv6Strict(text: string): boolean {
  if (!text.includes(':') || text.includes('%') || text.includes('[') || text.includes('/')) return false;
  let canonical: string;
  try {
    canonical = new URL(`http://[${text}]/`).hostname;
  } catch {
    return false;
  }
  return !/^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/.test(canonical);
}

/** CEL `isIP()`: an IPv4 or IPv6 address as Go's netip.ParseAddr reads it, without zones or IPv4-in-IPv6. */
export function isIP(text: string): boolean {
  return isIPv4Strict(text) || isIPv6Strict(text);
}

function toUint32(octets: readonly number[]): number {
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/**
 * CEL `cidr(ip + '/' + prefix).containsIP(other)` for IPv4. Returns undefined when the inputs are not
 * an IPv4 address, a prefix length 0-32 and another IPv4 address (the CEL rule skips those cases).
 */
export function ipv4SubnetContains(ip: string, prefixLength: string, other: string): boolean | undefined {
  const base = octetsOf(ip, false);
  const candidate = octetsOf(other, false);
  if (!base || !candidate || !/^\d{1,2}$/.test(prefixLength)) return undefined;
  const bits = Number(prefixLength);
  if (bits > 32) return undefined;
  const hostBits = 2 ** (32 - bits);
  return Math.floor(toUint32(base) / hostBits) === Math.floor(toUint32(candidate) / hostBits);
}
