// DCS connections per credential Secret (reference §3): the Secret named by
// DCSCluster.spec.credentialSecretRef holds authUser, authKey, endpoint, site and optionally
// userType. One client (one DCS session) is shared by every cluster and machine using the same
// Secret content; the Secret is read again after a minute so rotated keys are picked up. The key
// is registered with the logger for masking and never appears in errors or logs. A refused login
// blocks the connection of that content (AuthGuard), so a Secret read again with the same content
// does not log in again, while a changed Secret gets a new connection and logs in at once.
// Our additions (silent in the reference): optional keys `caBundle` (PEM) and
// `insecureSkipVerify: "true"` for the HTTPS endpoint's self-signed certificate.

import { createHash } from 'node:crypto';
import type { DcsClient, DcsUserType } from '../../shared/dcs/client';
import { HttpDcsClient } from '../../shared/dcs/http';
import { nodeTransport, type DcsTransport } from '../../shared/dcs/transport';
import { Kinds, type DCSCluster, type Secret } from '../api/kinds';
import { Reasons } from '../api/conditions';
import type { KubeClient } from '../runtime/kubeClient';
import { isNotFound } from '../runtime/kubeErrors';
import type { Logger } from '../runtime/log';
import { objectPath } from '../runtime/resources';
import { DcsInventory, ProvisioningError } from './dcsInventory';

export interface DcsConnection {
  readonly client: DcsClient;
  readonly inventory: DcsInventory;
  readonly site: string;
  readonly endpoint: string;
  readonly auth: AuthGuard;
}

/**
 * Stops every caller from trying a refused login again for a while: each failed login counts
 * towards the DCS lockout, and a thousand machines retrying would keep an account locked.
 */
export class AuthGuard {
  private blocked: { until: number; error: Error } | undefined;

  /** Throws the remembered login failure while it is fresh. */
  check(): void {
    if (this.blocked && this.blocked.until > Date.now()) throw this.blocked.error;
    this.blocked = undefined;
  }

  /** Blocks for `forMs`; false (and no change) when `error` is the one already blocking (check() threw it). */
  block(error: Error, forMs: number): boolean {
    if (this.blocked?.error === error && this.blocked.until > Date.now()) return false;
    this.blocked = { until: Date.now() + forMs, error };
    return true;
  }
}

export interface DcsConnectionsOptions {
  readonly kube: KubeClient;
  readonly log: Logger;
  /** Wraps the transport (the metrics counter). */
  readonly wrapTransport?: (transport: DcsTransport) => DcsTransport;
  readonly requestTimeoutMs?: number;
  readonly secretTtlMs?: number;
}

interface CachedSecret {
  readonly fetchedAt: number;
  readonly connection: Promise<DcsConnection>;
}

const USER_TYPES: Record<string, DcsUserType> = { '': 'interconnect', interconnect: 'interconnect', domain: 'domain' };

export class DcsConnections {
  private readonly bySecret = new Map<string, CachedSecret>();
  private readonly byContent = new Map<string, DcsConnection>();

  constructor(private readonly options: DcsConnectionsOptions) {}

  /** The connection of a DCSCluster; throws ProvisioningError with a DCSConnected reason. */
  forCluster(dcsCluster: DCSCluster): Promise<DcsConnection> {
    const namespace = dcsCluster.metadata.namespace ?? '';
    const secretName = dcsCluster.spec.credentialSecretRef.name;
    const key = `${namespace}/${secretName}`;
    const cached = this.bySecret.get(key);
    const now = Date.now();
    if (cached && now - cached.fetchedAt < (this.options.secretTtlMs ?? 60_000)) return cached.connection;
    const connection = this.load(namespace, secretName, dcsCluster.spec.site);
    this.bySecret.set(key, { fetchedAt: now, connection });
    connection.catch(() => {
      if (this.bySecret.get(key)?.connection === connection) this.bySecret.delete(key);
    });
    return connection;
  }

  /** Forget the Secret (after an authentication failure) so it is read again. */
  invalidate(dcsCluster: DCSCluster): void {
    this.bySecret.delete(`${dcsCluster.metadata.namespace ?? ''}/${dcsCluster.spec.credentialSecretRef.name}`);
  }

  private async load(namespace: string, name: string, specSite: string | undefined): Promise<DcsConnection> {
    let secret: Secret;
    try {
      secret = await this.options.kube.get<Secret>(objectPath(Kinds.secret, namespace, name));
    } catch (err: unknown) {
      if (isNotFound(err)) throw new ProvisioningError(`credential Secret ${namespace}/${name} does not exist`, Reasons.credentialSecretNotFound);
      throw err;
    }
    const fields = decode(secret);
    for (const secretValue of [fields.authKey, createHash('sha256').update(fields.authKey ?? '').digest('hex')]) {
      if (secretValue) this.options.log.redact(secretValue);
    }
    const invalid = (what: string): ProvisioningError =>
      new ProvisioningError(`credential Secret ${namespace}/${name}: ${what}`, Reasons.credentialSecretInvalid);
    const { authUser, authKey, endpoint } = fields;
    if (!authUser || !authKey || !endpoint) throw invalid('authUser, authKey and endpoint are required');
    if (!/^https?:\/\//.test(endpoint)) throw invalid('endpoint must start with https:// (the DCS REST port is 7443)');
    const site = specSite ?? fields.site;
    if (!site) throw invalid('no site: set DCSCluster.spec.site or the Secret key site');
    const userType = USER_TYPES[(fields.userType ?? '').toLowerCase()];
    if (!userType) throw invalid('userType must be interconnect or domain');

    const contentKey = createHash('sha256').update(JSON.stringify([endpoint, site, authUser, authKey, userType, fields.caBundle, fields.insecureSkipVerify])).digest('hex');
    const existing = this.byContent.get(contentKey);
    if (existing) return existing;
    const base = nodeTransport({ ca: fields.caBundle, insecureSkipVerify: fields.insecureSkipVerify === 'true' });
    const client = new HttpDcsClient({
      endpoint,
      site,
      credentials: { authUser, authKey, userType },
      transport: this.options.wrapTransport ? this.options.wrapTransport(base) : base,
      timeoutMs: this.options.requestTimeoutMs ?? 30_000,
    });
    const connection: DcsConnection = { client, inventory: new DcsInventory(client), site, endpoint, auth: new AuthGuard() };
    this.byContent.set(contentKey, connection);
    this.options.log.info('DCS connection configured', { secret: `${namespace}/${name}`, endpoint, site });
    return connection;
  }
}

function decode(secret: Secret): Partial<Record<'authUser' | 'authKey' | 'endpoint' | 'site' | 'userType' | 'caBundle' | 'insecureSkipVerify', string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {})) out[key] = Buffer.from(value, 'base64').toString('utf8').trim();
  return out;
}
