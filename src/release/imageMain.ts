// `npm run release:image [-- --out DIR]`: the controller image (default out/release/image): an OCI image
// layout and a docker-save tarball (`kind load image-archive FILE`). Prints the digest and sizes.
import { parseArgs } from 'node:util';
import { version as packageVersion } from '../../package.json';
import { buildControllerImage } from './image';
import { releaseVersion } from './repository';

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'out/release/image' } } });
  const started = Date.now();
  const image = await buildControllerImage(values.out, releaseVersion(packageVersion), (line) => console.log(line));
  console.log(`[image] ${image.tag} (node ${image.nodeVersion}; ${image.debianPackages.join(', ')})`);
  console.log(`[image] digest ${image.digest} (image ID ${image.configDigest})`);
  console.log(`[image] size ${(image.compressedBytes / MB).toFixed(1)} MB compressed, ${(image.uncompressedBytes / MB).toFixed(1)} MB uncompressed`);
  console.log(`[image] OCI layout ${image.ociLayoutDir}`);
  console.log(`[image] tarball ${image.tarballPath}   (kind load image-archive ${image.tarballPath})`);
  console.log(`[image] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(`release:image: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
