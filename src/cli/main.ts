// `capi-dcs`: the editor's checks on the command line (`capi-dcs lint`), for CI and pre-commit hooks.
import { version } from '../../package.json';
import { UsageError, USAGE } from './args';
import { EXIT_CLEAN, EXIT_USAGE, lint } from './lintCommand';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`capi-dcs ${version}\n`);
    return EXIT_CLEAN;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? EXIT_USAGE : EXIT_CLEAN;
  }
  if (command !== 'lint') {
    process.stderr.write(`capi-dcs: unknown command "${command}"\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    const { output, status } = await lint(rest, process.cwd());
    process.stdout.write(output);
    return status;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`capi-dcs lint: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`capi-dcs lint: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}

void main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
