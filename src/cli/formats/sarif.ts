// SARIF 2.1.0, the format code-scanning UIs read.
import { rules } from '../../../server/engine/rules';
import type { Severity } from '../../../server/engine/rule';
import type { LintResult } from '../lint';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(result: LintResult, version: string): string {
  const used = [...new Set(result.problems.map((p) => p.ruleId))].sort();
  const described = new Map(rules.map((r) => [r.id, r.description]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'capi-dcs',
            version,
            informationUri: 'https://cluster-api.sigs.k8s.io',
            rules: used.map((id) => ({ id, shortDescription: { text: described.get(id) ?? id } })),
          },
        },
        results: result.problems.map((p) => ({
          ruleId: p.ruleId,
          ruleIndex: used.indexOf(p.ruleId),
          level: LEVEL[p.severity],
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: p.uri.startsWith('file://') ? p.file.split('\\').join('/') : p.uri },
                region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
