// JUnit XML: one test suite per file, one failing test case per problem (or one passing case when clean).
import type { LintResult } from '../lint';

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

export function formatJunit(result: LintResult): string {
  let tests = 0;
  const suites = result.files.map((file) => {
    const problems = result.problems.filter((p) => p.file === file);
    const cases =
      problems.length === 0
        ? [`    <testcase classname="capi-dcs" name="${xml(file)}"/>`]
        : problems.map(
            (p) =>
              `    <testcase classname="capi-dcs.${xml(p.ruleId)}" name="${xml(`${file}:${p.line}:${p.column}`)}">\n      <failure type="${p.severity}" message="${xml(p.message)}">${xml(`${p.ruleId}: ${p.message}`)}</failure>\n    </testcase>`,
          );
    tests += cases.length;
    return `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${problems.length}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const failures = result.problems.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="capi-dcs lint" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
