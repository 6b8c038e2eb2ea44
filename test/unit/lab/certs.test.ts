import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLabCerts, type LabCerts } from '../../../src/lab/certs';

describe('lab certificates', () => {
  let dir = '';
  let certs: LabCerts;
  const load = (path: string): X509Certificate => new X509Certificate(readFileSync(path));
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'capi-dcs-certs-test-'));
    certs = await makeLabCerts(dir);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs every certificate with the lab CA', () => {
    const ca = load(certs.caCertPath);
    assert.ok(ca.ca);
    for (const pair of [certs.serving, certs.admin, certs.controller]) {
      const cert = load(pair.certPath);
      assert.ok(cert.verify(ca.publicKey), pair.certPath);
      assert.ok(!cert.ca);
    }
  });

  it('serves 127.0.0.1 and localhost', () => {
    const serving = load(certs.serving.certPath);
    assert.ok(serving.checkIP('127.0.0.1'));
    assert.equal(serving.checkHost('localhost'), 'localhost');
    assert.equal(serving.checkIP('10.0.0.1'), undefined);
  });

  it('makes the admin a cluster admin and the controller a plain user', () => {
    assert.match(load(certs.admin.certPath).subject, /O=system:masters/);
    const controller = load(certs.controller.certPath).subject;
    assert.match(controller, /CN=capi-dcs-controller/);
    assert.doesNotMatch(controller, /O=/);
  });

  it('keeps private keys readable by the owner only', () => {
    for (const key of [certs.serving.keyPath, certs.admin.keyPath, certs.controller.keyPath, certs.serviceAccountKeyPath]) {
      assert.equal(statSync(key).mode & 0o077, 0, key);
    }
    assert.match(readFileSync(certs.serviceAccountPublicKeyPath, 'utf8'), /BEGIN PUBLIC KEY/);
  });
});
