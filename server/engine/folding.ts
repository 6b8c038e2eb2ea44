// Folding ranges: each document of a multi-document file, and each block whose lines are indented
// deeper than the line that opens it (a map key or a list item), as VS Code folds YAML by indentation.
export interface FoldRange {
  readonly startLine: number;
  readonly endLine: number;
}

function indentOf(line: string): number | undefined {
  const trimmed = line.trimStart();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined; // blank and comment lines do not end a block
  return line.length - trimmed.length;
}

export function foldingRanges(text: string): FoldRange[] {
  const lines = text.split('\n');
  const ranges: FoldRange[] = [];
  // Documents: from each marker (or the start) to the line before the next marker.
  let docStart = 0;
  lines.forEach((line, i) => {
    if (/^---(\s|$)/.test(line) && i > 0) {
      if (i - 1 > docStart) ranges.push({ startLine: docStart, endLine: i - 1 });
      docStart = i;
    }
  });
  if (lines.length - 1 > docStart) ranges.push({ startLine: docStart, endLine: lastContentLine(lines, lines.length - 1) });
  // Blocks: a stack of open lines with their indentation.
  const open: { line: number; indent: number }[] = [];
  let lastContent = 0;
  const close = (indent: number) => {
    for (let top = open.at(-1); top && top.indent >= indent; top = open.at(-1)) {
      open.pop();
      if (lastContent > top.line) ranges.push({ startLine: top.line, endLine: lastContent });
    }
  };
  lines.forEach((line, i) => {
    const indent = indentOf(line);
    if (indent === undefined) return;
    if (/^---(\s|$)/.test(line)) {
      close(0);
      lastContent = i;
      return;
    }
    close(indent);
    open.push({ line: i, indent });
    lastContent = i;
  });
  close(0);
  return ranges;
}

function lastContentLine(lines: readonly string[], from: number): number {
  let i = from;
  while (i > 0 && (lines[i] ?? '').trim() === '') i--;
  return i;
}
