// `npm run playground [-- --port N]`: builds, then serves the browser playground on 127.0.0.1 until Ctrl-C.
import { startPlayground } from './playground';

function portArg(argv: readonly string[]): number | undefined {
  const i = argv.indexOf('--port');
  if (i < 0) return undefined;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port: "${argv[i + 1] ?? ''}" is not a TCP port`);
  return port;
}

async function main(): Promise<void> {
  const playground = await startPlayground({ port: portArg(process.argv.slice(2)) });
  console.log(`capi-dcs playground: ${playground.url} (Ctrl-C stops it)`);
  const stop = (): void => {
    void playground.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
