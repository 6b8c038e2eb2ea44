// code-server for the extension tests: the lab's launcher (src/lab/codeServer.ts), and the checkout's root.
import { resolve } from 'node:path';

export { startCodeServer, type CodeServer } from '../../src/lab/codeServer';
export const repoRoot = resolve(__dirname, '..', '..');
