// Opens the workspace YAML file that defines a live object (same kind, name and namespace).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { findManifest, type ManifestMatch } from '../explorer/manifestLocator';
import type { LiveTarget } from '../explorer/targets';

const MAX_FILES = 5_000;

export async function revealInWorkspace(ctx: Ctx, target: LiveTarget): Promise<void> {
  const matches = await vscode.window.withProgress(
    { location: { viewId: 'capi-dcs.clusters' }, title: `Looking for ${target.kind} ${target.name}` },
    async (_progress, token) => findInWorkspace(target, token),
  );
  const what = `${target.kind} ${target.namespace}/${target.name}`;
  if (matches.length === 0) {
    const generated = target.kind === 'Machine' || target.kind === 'DCSMachine' || target.kind === 'MachineSet';
    void vscode.window.showInformationMessage(`No workspace file defines ${what}.${generated ? ' Controllers create this kind; look for its owner instead.' : ''}`);
    return;
  }
  const best = matches.length === 1 ? matches[0] : await pick(matches, what);
  if (!best) return;
  ctx.log.info(`${what} is defined in ${best.uri.fsPath}:${best.match.line + 1}`);
  const position = new vscode.Position(best.match.line, best.match.character);
  await vscode.window.showTextDocument(best.uri, { selection: new vscode.Range(position, position) });
}

interface Found {
  readonly uri: vscode.Uri;
  readonly match: ManifestMatch;
}

async function findInWorkspace(target: LiveTarget, token: vscode.CancellationToken): Promise<Found[]> {
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '{**/node_modules/**,**/.git/**}', MAX_FILES, token);
  const found: Found[] = [];
  for (const uri of files) {
    if (token.isCancellationRequested) return [];
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const match = findManifest(text, target);
    if (match) found.push({ uri, match });
  }
  // Files that name the namespace first.
  return found.sort((a, b) => Number(b.match.namespaceMatched) - Number(a.match.namespaceMatched));
}

async function pick(matches: readonly Found[], what: string): Promise<Found | undefined> {
  const items = matches.map((m) => ({ label: vscode.workspace.asRelativePath(m.uri), description: `line ${m.match.line + 1}${m.match.namespaceMatched ? '' : ' · no namespace in the file'}`, found: m }));
  return (await vscode.window.showQuickPick(items, { title: `${what} is defined in several files` }))?.found;
}
