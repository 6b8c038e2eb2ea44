// The pieces under the validator: IP checks with the API server's semantics, the TypeScript twins of
// CEL rules, string formats and clusterctl variables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recognizeCelRule } from '../../src/shared/schema/celGeneric';
import type { CelCheck } from '../../src/shared/schema/celRule';
import { findCelCheck } from '../../src/shared/schema/celLookup';
import { substituteVariables, templateVariables } from '../../src/shared/schema/clusterctlTemplate';
import { DcsRuleIds, dcsRules } from '../../src/shared/schema/dcsRules';
import { kubernetesFormats, normalizeFormat } from '../../src/shared/schema/formats';
import { ipv4SubnetContains, isIP, isIPv4Sloppy, isIPv4Strict, isIPv6Strict } from '../../src/shared/schema/ip';

describe('IP checks', () => {
  it('reads IPv4 as the API server does: format ipv4 tolerates leading zeros, CEL isIP does not', () => {
    assert.ok(isIPv4Sloppy('010.0.0.1'));
    assert.ok(!isIPv4Strict('010.0.0.1'));
    assert.ok(isIPv4Strict('127.0.10.11'));
    for (const bad of ['127.0.10.256', '127.0.10', '1.2.3.4.5', ' 1.2.3.4', '']) assert.ok(!isIPv4Sloppy(bad), bad);
  });

  it('accepts IPv6 without zones or IPv4-mapped forms, as CEL isIP', () => {
    assert.ok(isIPv6Strict('fd00::11'));
    assert.ok(!isIPv6Strict('fe80::1%eth0'));
    assert.ok(!isIPv6Strict('::ffff:1.2.3.4'));
    assert.ok(!isIPv6Strict('fd00::11::2'));
    assert.ok(isIP('::1') && isIP('127.0.0.1') && !isIP('localhost'));
  });

  it('tells whether a gateway is inside ip/prefix, and skips what CEL would skip', () => {
    assert.equal(ipv4SubnetContains('127.0.10.11', '24', '127.0.10.1'), true);
    assert.equal(ipv4SubnetContains('127.0.10.11', '24', '127.0.11.1'), false);
    assert.equal(ipv4SubnetContains('127.0.10.11', '16', '127.0.11.1'), true);
    assert.equal(ipv4SubnetContains('127.0.10.11', '0', '10.0.0.1'), true);
    assert.equal(ipv4SubnetContains('127.0.10.11', '32', '127.0.10.11'), true);
    assert.equal(ipv4SubnetContains('${IP}', '24', '127.0.10.1'), undefined);
    assert.equal(ipv4SubnetContains('127.0.10.11', '33', '127.0.10.1'), undefined);
  });
});

describe('CEL twins', () => {
  it('finds our rules by rule text and message, and nothing for unknown rules', () => {
    for (const rule of Object.values(dcsRules)) assert.equal(findCelCheck({ rule: rule.rule, message: rule.message })?.id, rule.id);
    assert.equal(findCelCheck({ rule: 'self.size() > 2', message: 'x' }), undefined);
    // Same text, other message: the generic immutability rule, not ours.
    assert.equal(findCelCheck({ rule: 'self == oldSelf', message: 'field is immutable' })?.id, 'cel-immutable');
  });

  it('checks uniqueness, the single system disk and the datastore choice like the CEL rules', () => {
    const hostnames = dcsRules[DcsRuleIds.uniqueHostname].check([{ hostname: 'a' }, {}, { hostname: 'b' }, { hostname: 'a' }], undefined);
    assert.deepEqual(hostnames.map((v) => v.at), [[3, 'hostname']]);
    const system = dcsRules[DcsRuleIds.singleSystemDisk].check([{ systemVolume: true }, { systemVolume: false }, { systemVolume: true }], undefined);
    assert.deepEqual(system.map((v) => v.at), [[2, 'systemVolume']]);
    const datastore = dcsRules[DcsRuleIds.persistentDiskDatastore];
    assert.equal(datastore.check({ datastoreName: 'a' }, undefined).length, 0);
    assert.match(datastore.check({ datastoreName: 'a', datastoreClusterName: 'b' }, undefined)[0]?.message ?? '', /both are set/);
    assert.equal(dcsRules[DcsRuleIds.diskSize].check({ systemVolume: true, quantity: 0 }, undefined).length, 0);
  });

  it('compares persistent disk fields with the stored value, absence included', () => {
    const format = dcsRules[DcsRuleIds.persistentDiskFormatImmutable];
    assert.equal(format.transition, true);
    assert.equal(format.check({ format: 'xfs' }, { format: 'xfs' }).length, 0);
    assert.equal(format.check({}, { format: 'xfs' }).length, 1);
    assert.equal(format.check({ format: 'xfs' }, {}).length, 1);
  });

  const recognized = (rule: string, message: string): CelCheck => {
    const check = recognizeCelRule(rule, message);
    assert.ok(check, `not recognized: ${rule}`);
    return check;
  };

  it('recognizes the rule shapes Cluster API uses', () => {
    const unique = recognized('self.all(x, self.exists_one(y, x.name == y.name))', 'names must be unique');
    assert.deepEqual(unique.check([{ name: 'a' }, { name: 'b' }, { name: 'a' }], undefined).map((v) => v.at), [[2, 'name']]);
    const items = recognized('self.all(x, self.exists_one(y, x == y))', 'entries must be unique');
    assert.equal(items.check(['a', 'a'], undefined).length, 1);
    const notIn = recognized("!(self in ['Ready','Available'])", 'reserved');
    assert.equal(notIn.check('Ready', undefined).length, 1);
    assert.equal(notIn.check('Other', undefined).length, 0);
    const matches = recognized("self.matches('^(Linux|LVM)$')", 'bad type');
    assert.equal(matches.check('LVM', undefined).length, 0);
    assert.equal(matches.check('NTFS', undefined).length, 1);
    const oneOf = recognized('[has(self.layout),has(self.diskLayout)].filter(x,x==true).size() == 1', 'exactly one');
    assert.equal(oneOf.check({ layout: 1 }, undefined).length, 0);
    assert.equal(oneOf.check({}, undefined).length, 1);
    assert.equal(oneOf.check({ layout: 1, diskLayout: 2 }, undefined).length, 1);
  });
});

describe('formats', () => {
  it('checks the formats the API server checks', () => {
    const check = (format: string, value: string): boolean => kubernetesFormats[format]?.(value) ?? false;
    assert.ok(check('date-time', '2026-01-02T15:04:05Z') && !check('date-time', '2026-01-02'));
    assert.ok(check('byte', 'Y2FwaS1kY3M=') && !check('byte', 'not base64!'));
    assert.ok(check('cidr', '10.0.0.0/16') && !check('cidr', '10.0.0.0/33'));
    assert.ok(check('uuid', '0F8FAD5B-D9CB-469F-A165-70867728950E') && !check('uuid', 'nope'));
    assert.equal(normalizeFormat('datetime'), 'date-time');
    assert.equal(normalizeFormat('int32'), undefined);
  });
});

describe('clusterctl variables', () => {
  it('lists variables once with their defaults', () => {
    assert.deepEqual(templateVariables('a: ${A}\nb: ${B:=2}\nc: ${A}\nd: ${C-x}'), [{ name: 'A' }, { name: 'B', defaultValue: '2' }, { name: 'C', defaultValue: 'x' }]);
  });

  it('substitutes values and defaults and reports missing variables', () => {
    const text = 'a: ${A}\nb: ${B:=2}\nc: ${C:-3}\nd: ${D=4}\ne: ${E}';
    const result = substituteVariables(text, { A: '1', C: '', D: '' });
    // envsubst, which clusterctl uses, takes the default for an empty value in every form.
    assert.equal(result.text, 'a: 1\nb: 2\nc: 3\nd: 4\ne: ');
    assert.deepEqual(result.missing, ['E']);
  });
});
