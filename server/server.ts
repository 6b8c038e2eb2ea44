// The language server process: one connection, one CapiDcsServer.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { CapiDcsServer } from './capiDcsServer';

const connection = createConnection(ProposedFeatures.all);
new CapiDcsServer(connection);
connection.listen();
