// Bad input never crashes or hangs the language server: each case gets a clear diagnostic or is skipped,
// and the server still answers afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../helpers/lspClient';

const HEADER = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';

describe('language server robustness', () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start(undefined);
  });

  after(async () => {
    await client.stop();
  });

  async function diagnose(name: string, text: string, timeoutMs = 30_000) {
    const uri = `file:///robust/${name}.yaml`;
    const started = Date.now();
    await client.open(uri, text);
    const diagnostics = await client.diagnosticsFor(uri, () => true, timeoutMs);
    return { diagnostics, ms: Date.now() - started };
  }

  it('malformed YAML: an unclosed flow map gets a syntax error', async () => {
    const { diagnostics } = await diagnose('malformed', `${HEADER}data: {a: [1, 2\n`);
    assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax'));
  });

  it('tabs used for indentation: a clear syntax error', async () => {
    const { diagnostics } = await diagnose('tabs', `${HEADER}data:\n\tkey: value\n`);
    assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax'), JSON.stringify(diagnostics));
  });

  it('a YAML bomb (exponential aliases) is reported, not expanded', async () => {
    const lines = [HEADER.trimEnd(), 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) {
      const prev = String.fromCharCode(97 + i);
      lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const { diagnostics, ms } = await diagnose('bomb', lines.join('\n'));
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.ok(diagnostics.some((d) => JSON.stringify(d.message).includes('cannot be read')), JSON.stringify(diagnostics));
  });

  it('deeply nested input is handled', async () => {
    const depth = 2000;
    const { diagnostics } = await diagnose('deep', `${HEADER}data: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    assert.ok(Array.isArray(diagnostics));
  });

  it('a binary file opened as YAML is skipped quietly', async () => {
    const { diagnostics } = await diagnose('binary', '\u0000\u0001\u0002PNG\u0000garbage');
    assert.deepEqual(diagnostics, []);
  });

  it('a 10 MB manifest is validated without hanging the server', async () => {
    const doc = `${HEADER.replace('name: x', 'name: big-NNN')}data:\n${Array.from({ length: 40 }, (_, i) => `  key${i}: "${'v'.repeat(40)}"`).join('\n')}\n`;
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const d = doc.replace('NNN', String(i));
      docs.push(d);
      size += d.length + 4;
    }
    const { ms } = await diagnose('big', docs.join('---\n'), 120_000);
    assert.ok(ms < 120_000);
  });

  it('still answers afterwards', async () => {
    const { diagnostics } = await diagnose('after', `${HEADER}data: {a: [\n`);
    assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax'));
  });
});
