#!/usr/bin/env node
// `capi-dcs-sim`: runs the DCS simulator on a loopback address until SIGTERM/SIGINT.
// stdout carries exactly one JSON line once listening ({"msg":"ready","url":...}); structured
// logs go to stderr. Exit codes: 0 stopped by a signal, 1 startup failure, 2 bad usage.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_INVENTORY_YAML } from './defaultInventory';
import { faultPatchFromFlags } from './faults';
import { parseInventory, type SimUser } from './inventory';
import { asArray, asObject, optString, reqString } from './json';
import { jsonLogger, type Logger } from './log';
import { parseCli, USAGE, UsageError, type CliOptions } from './options';
import { listen, NotLoopbackError } from './server';
import { Simulator } from './simulator';

function readUsers(file: string): SimUser[] {
  return asArray(parseYaml(readFileSync(file, 'utf8')), file).map((item, i) => {
    const u = asObject(item, `${file}[${i}]`);
    const type = optString(u, 'type', `${file}[${i}]`, 'interconnect');
    return { name: reqString(u, 'name', `${file}[${i}]`), key: reqString(u, 'key', `${file}[${i}]`), type: type === 'domain' ? 'domain' : 'interconnect', mustChangePassword: false };
  });
}

async function start(cli: CliOptions, log: Logger): Promise<void> {
  const inventory = cli.inventoryFile
    ? parseInventory(readFileSync(cli.inventoryFile, 'utf8'), cli.inventoryFile)
    : parseInventory(DEFAULT_INVENTORY_YAML, 'built-in inventory');
  const tls = cli.tlsCert && cli.tlsKey ? { cert: readFileSync(cli.tlsCert), key: readFileSync(cli.tlsKey) } : undefined;
  const running = await listen(
    (baseUrl) =>
      new Simulator({
        inventory,
        stateFile: cli.stateFile,
        latencyMs: cli.latencyMs,
        tokenIdleMs: cli.tokenIdleSeconds === undefined ? undefined : cli.tokenIdleSeconds * 1000,
        users: cli.usersFile ? readUsers(cli.usersFile) : [],
        faults: faultPatchFromFlags(cli.faultFlags),
        log,
        baseUrl,
      }),
    { host: cli.host, port: cli.port, tls },
    log,
  );
  if (cli.stateFile === undefined) log.warn('no --state file: the state lives in memory and is lost on exit');
  process.stdout.write(`${JSON.stringify({ msg: 'ready', url: running.url, site: inventory.site.id, pid: process.pid, stateFile: cli.stateFile ?? null })}\n`);
  log.info('listening', { url: running.url, site: inventory.site.id, inventory: cli.inventoryFile ?? 'built-in', tls: tls !== undefined });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    void running.close().then(() => {
      log.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
}

function main(): void {
  let cli: CliOptions;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err: unknown) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const log = jsonLogger((line) => process.stderr.write(line), cli.logLevel);
  start(cli, log).catch((err: unknown) => {
    log.error('startup failed', { error: err instanceof Error ? err.message : String(err) });
    process.exit(err instanceof NotLoopbackError || err instanceof UsageError ? 2 : 1);
  });
}

main();
