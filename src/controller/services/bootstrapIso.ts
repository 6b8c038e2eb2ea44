// The bootstrap medium of a machine. The Machine's bootstrap Secret holds the payload in `value`
// and its format in `format` (`ignition`, the only format Alauda supports, or `cloud-config`).
// The literal tokens PROVIDER_ID and NODE_IP are replaced with `dcs://<machine name>` and the
// slot's IP (reference §4).
//
// The "ISO" is the rendered payload bytes as they are: real DCS boots a VM from an ISO 9660
// image holding the Ignition file; the simulator records whatever bytes it was given, so no ISO
// tooling is involved. A real deployment would wrap these bytes into a config-2/ignition ISO here.

import { createHash } from 'node:crypto';
import type { Secret } from '../api/kinds';
import { ProvisioningError } from './dcsInventory';

export type BootstrapFormat = 'ignition' | 'cloud-config';

export interface BootstrapMedium {
  readonly format: BootstrapFormat;
  readonly bytes: Buffer;
  readonly sha256: string;
}

export const BootstrapTokens = { providerId: 'PROVIDER_ID', nodeIp: 'NODE_IP' } as const;

/** Reads `value` and `format` from the bootstrap Secret and renders the payload. */
export function renderBootstrap(secret: Secret, values: { providerId: string; nodeIp: string }): BootstrapMedium {
  const name = `${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''}`;
  const encoded = secret.data?.value;
  if (!encoded) throw new ProvisioningError(`bootstrap Secret ${name} has no "value"`, 'BootstrapDataInvalid');
  const rawFormat = secret.data?.format === undefined ? 'cloud-config' : Buffer.from(secret.data.format, 'base64').toString('utf8').trim();
  if (rawFormat !== 'ignition' && rawFormat !== 'cloud-config') {
    throw new ProvisioningError(`bootstrap Secret ${name}: format "${rawFormat.slice(0, 40)}" is neither ignition nor cloud-config`, 'BootstrapDataInvalid');
  }
  const payload = Buffer.from(encoded, 'base64').toString('utf8');
  const rendered = payload.split(BootstrapTokens.providerId).join(values.providerId).split(BootstrapTokens.nodeIp).join(values.nodeIp);
  if (rawFormat === 'ignition') {
    try {
      JSON.parse(rendered);
    } catch {
      // Never quote the payload: it carries join tokens and keys.
      throw new ProvisioningError(`bootstrap Secret ${name}: format is ignition but value is not JSON`, 'BootstrapDataInvalid');
    }
  }
  const bytes = Buffer.from(rendered, 'utf8');
  return { format: rawFormat, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The file name of a machine's medium on the datastore: unique per DCSMachine UID. */
export function isoFileName(vmName: string, uid: string): string {
  const safe = vmName.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 80);
  return `${safe}-${uid.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}.iso`;
}
