// `npm run release:provider [-- --out DIR]`: the provider release as a clusterctl local repository
// (default out/release). Prints what it wrote and the clusterctl configuration to use.
import { parseArgs } from 'node:util';
import { version as packageVersion } from '../../package.json';
import { releaseVersion, writeProviderRelease } from './repository';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'out/release' } } });
  const release = await writeProviderRelease(values.out, releaseVersion(packageVersion));
  for (const file of release.files) console.log(`[release] ${release.dir}/${file}`);
  console.log(`[release] clusterctl configuration: ${release.clusterctlConfigPath}`);
  console.log(`[release] clusterctl init --config ${release.clusterctlConfigPath} --infrastructure dcs:${release.version}`);
}

main().catch((err: unknown) => {
  console.error(`release:provider: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
