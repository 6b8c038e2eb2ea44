// The string formats the Kubernetes API server validates in CRD schemas, implemented the way it
// checks them. Formats not listed here are ignored, as the API server ignores unknown formats.
import { isIPv4Sloppy, isIPv6Strict } from './ip';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAC = /^([0-9A-Fa-f]{2}([:-]))([0-9A-Fa-f]{2}\2){4}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\.?$/;

function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4Sloppy(address)) return Number(bits) <= 32;
  return isIPv6Strict(address) && Number(bits) <= 128;
}

/** Format name -> check. Keys are the names the catalog keeps in converted schemas. */
export const kubernetesFormats: Readonly<Record<string, (text: string) => boolean>> = {
  ipv4: isIPv4Sloppy,
  ipv6: (t) => isIPv6Strict(t) || /^::ffff:/i.test(t),
  cidr: isCidr,
  mac: (t) => MAC.test(t),
  'date-time': (t) => RFC3339.test(t) && !Number.isNaN(Date.parse(t.replace(' ', 'T'))),
  date: (t) => DATE.test(t) && !Number.isNaN(Date.parse(t)),
  byte: (t) => BASE64.test(t.replace(/\s/g, '')),
  uuid: (t) => UUID.test(t),
  hostname: (t) => HOSTNAME.test(t),
  'k8s-short-name': (t) => t.length <= 63 && DNS_LABEL.test(t),
  'k8s-long-name': (t) => t.length <= 253 && DNS_SUBDOMAIN.test(t),
};

/** Human wording of each format for messages ("must be an IPv4 address"). */
export const formatDescriptions: Readonly<Record<string, string>> = {
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  cidr: 'a CIDR such as 10.0.0.0/16',
  mac: 'a MAC address',
  'date-time': 'an RFC 3339 date-time such as 2026-01-02T15:04:05Z',
  date: 'a date such as 2026-01-02',
  byte: 'base64 encoded data',
  uuid: 'a UUID',
  hostname: 'a host name',
  'k8s-short-name': 'a lowercase DNS label (at most 63 characters)',
  'k8s-long-name': 'a lowercase DNS subdomain (at most 253 characters)',
};

/** The catalog's name for a CRD format, or undefined when the API server would not check it. */
export function normalizeFormat(format: string): string | undefined {
  const name = format === 'datetime' ? 'date-time' : format;
  return name in kubernetesFormats ? name : undefined;
}
