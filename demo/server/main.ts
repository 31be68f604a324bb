/**
 * The reference server: docs/protocol.md over HTTP and a WebSocket, the MemoryConnector as its engine, and its
 * data in an SQLite file (sql.js), so it survives a restart. Run it with `node demo/server/run.mjs [options]`
 * (or `npm run server -- [options]`); `--help` lists the options.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { createDemoSeed } from '../../src/connector/memory/demo-seed.js';
import { SeedError, validateSeed } from '../../src/connector/memory/seed.js';
import { Backend } from './backend.js';
import { EventHub } from './events.js';
import type { TokenVerdict } from './events.js';
import { createRequestHandler } from './http.js';
import { StoreError } from './store.js';

export const BASE_PATH = '/api/v1';

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  readonly db: string;
  readonly reset: boolean;
  readonly seed: string | null;
  readonly traffic: number | null;
  readonly offers: number;
  readonly tokens: readonly string[];
  readonly expiredTokens: readonly string[];
  /** Tokens that sign in with another role of the seed than the agent's own. */
  readonly roleTokens: readonly { readonly role: string; readonly token: string }[];
  readonly allowOrigins: readonly string[];
  readonly eventRetention: number;
  readonly pingSeconds: number;
  readonly fsync: boolean;
  readonly stopAfter: number | null;
  readonly pidFile: string | null;
  readonly quiet: boolean;
}

const USAGE = `Usage: node demo/server/run.mjs [options]   (or: npm run server -- [options])

The cc-workspace reference server: the HTTP + WebSocket protocol of docs/protocol.md, data kept in an SQLite file.

  --host <address>         address to bind (default 127.0.0.1)
  --port <n>               port (default 8787; 0 picks a free one, printed in the ready line)
  --db <file>              database file (default .cache/server/cc-workspace.sqlite); created from the seed if missing
  --reset                  delete the database first and start again from the seed
  --seed <file>            JSON seed (docs/seed-format.md) for a new database (default: the demo seed)
  --traffic <per-minute>   simulated inbound traffic, events per minute (default off)
  --offers <n>             keep n work offers open for the agent, on queued conversations (default 0)
  --token <token>          a bearer token to accept; repeatable (default: demo-token)
  --expired-token <token>  a token that answers 401 as expired; repeatable
  --role-token <role>:<token>  a token that signs in with this role of the seed (its permissions, PII masked
                           without view-pii); repeatable
  --allow-origin <origin>  a browser origin allowed by CORS besides http://127.0.0.1:* and http://localhost:*; repeatable
  --event-retention <n>    events kept per stream for "subscribe since" (default 10000)
  --ping-interval <s>      how often the event socket sends { "type": "ping" } (default 15)
  --no-fsync               do not fsync on commit (a process crash loses nothing; a power cut may)
  --stop-after <seconds>   stop by itself after this long (a safety net for tests)
  --pid-file <file>        write the process id here while running
  --quiet                  print only the ready line and errors
  --help                   show this text

Prints "cc-workspace reference server listening on http://<host>:<port>/api/v1" when ready. SIGTERM or SIGINT
stops it gracefully (exit code 0).`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the command line; `--name value` and `--name=value` both work. */
export function parseArguments(argv: readonly string[], root: string): ServerOptions | 'help' {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const takesValue = new Set([
    'host', 'port', 'db', 'seed', 'traffic', 'offers', 'token', 'expired-token', 'role-token', 'allow-origin', 'event-retention', 'ping-interval', 'stop-after', 'pid-file',
  ]);
  const isFlag = new Set(['reset', 'no-fsync', 'quiet', 'help']);
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`Unexpected argument ${JSON.stringify(arg)}.`);
    const name = match[1] ?? '';
    if (isFlag.has(name)) {
      if (match[2] !== undefined) throw new UsageError(`--${name} takes no value.`);
      flags.add(name);
      continue;
    }
    if (!takesValue.has(name)) throw new UsageError(`Unknown option --${name}.`);
    let value = match[2];
    if (value === undefined) {
      index += 1;
      value = argv[index];
      if (value === undefined) throw new UsageError(`--${name} needs a value.`);
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  if (flags.has('help')) return 'help';
  const last = (name: string): string | undefined => values.get(name)?.at(-1);
  const all = (name: string): string[] => values.get(name) ?? [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = last(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(text)}.`);
    return value;
  };
  const positive = (name: string): number | null => {
    const text = last(name);
    if (text === undefined) return null;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number, 0 or more; got ${JSON.stringify(text)}.`);
    return value;
  };
  const traffic = positive('traffic');
  const tokens = all('token').filter((token) => token !== '');
  return {
    host: last('host') ?? '127.0.0.1',
    port: integer('port', 8787, 0, 65_535),
    db: resolve(last('db') ?? join(root, '.cache', 'server', 'cc-workspace.sqlite')),
    reset: flags.has('reset'),
    seed: last('seed') === undefined ? null : resolve(last('seed') ?? ''),
    traffic: traffic === 0 ? null : traffic,
    offers: integer('offers', 0, 0, 1000),
    tokens: tokens.length > 0 ? tokens : ['demo-token'],
    expiredTokens: all('expired-token'),
    roleTokens: all('role-token').map((text) => {
      const match = /^([^:\s]+):(\S+)$/.exec(text);
      if (!match) throw new UsageError(`--role-token takes <role>:<token>; got ${JSON.stringify(text)}.`);
      return { role: match[1] ?? '', token: match[2] ?? '' };
    }),
    allowOrigins: all('allow-origin'),
    eventRetention: integer('event-retention', 10_000, 1, 10_000_000),
    pingSeconds: positive('ping-interval') || 15,
    fsync: !flags.has('no-fsync'),
    stopAfter: positive('stop-after'),
    pidFile: last('pid-file') === undefined ? null : resolve(last('pid-file') ?? ''),
    quiet: flags.has('quiet'),
  };
}

/** Takes the lock file next to the database, so two servers never write one file. */
function takeLock(db: string): string {
  const lock = `${db}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new StoreError(`The database ${db} is in use by process ${holder} (lock file ${lock}).`);
      }
      // Left behind by a process that died: take it over.
      rmSync(lock, { force: true });
    }
  }
  throw new StoreError(`Cannot take the lock file ${lock}.`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files of a write that a killed process did not finish. */
function removeLeftovers(db: string): void {
  const prefix = `${basename(db)}.tmp-`;
  try {
    for (const name of readdirSync(dirname(db))) if (name.startsWith(prefix)) rmSync(join(dirname(db), name), { force: true });
  } catch {
    // The folder does not exist yet.
  }
}

/** Starts the server; resolves once it listens. The process exits when the server stops. */
export async function main(argv: readonly string[], context: { readonly root: string }): Promise<void> {
  let options: ServerOptions;
  try {
    const parsed = parseArguments(argv, context.root);
    if (parsed === 'help') {
      console.log(USAGE);
      return;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }

  const log = (line: string): void => {
    if (!options.quiet) console.error(`[server] ${line}`);
  };
  const cleanups: (() => void)[] = [];
  const cleanUp = (): void => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        cleanup();
      } catch {
        // Best effort on the way out.
      }
    }
  };
  process.on('exit', cleanUp);

  const fail = (message: string, code = 1): void => {
    console.error(`[server] ${message}`);
    cleanUp();
    process.exit(code);
  };

  let backend: Backend;
  let created = false;
  try {
    mkdirSync(dirname(options.db), { recursive: true });
    const lock = takeLock(options.db);
    cleanups.push(() => rmSync(lock, { force: true }));
    removeLeftovers(options.db);
    if (options.reset) rmSync(options.db, { force: true });
    const seedText = options.seed === null ? null : readFileSync(options.seed, 'utf8');
    backend = await Backend.open({
      dbPath: options.db,
      createSeed: () => {
        created = true;
        log(`New database from ${options.seed ?? 'the demo seed'}.`);
        return validateSeed(seedText ?? createDemoSeed(), { now: Date.now() });
      },
      trafficPerMinute: options.traffic,
      eventRetention: options.eventRetention,
      offers: options.offers,
      fsync: options.fsync,
      log,
      onFatal: (error) => {
        console.error(`[server] The database could not be written; stopping so nothing unsaved is served: ${String(error)}`);
        setTimeout(() => fail('Stopped after a storage failure.'), 100).unref();
      },
    });
    if (!created && options.seed !== null) log(`${options.db} exists, so --seed is not used (add --reset to start again from the seed).`);
  } catch (error) {
    if (error instanceof SeedError) return fail(`The seed ${options.seed ?? ''} is not valid: ${error.message}`, 2);
    if (error instanceof StoreError) return fail(error.message, 1);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.seed !== null) return fail(`The seed file ${options.seed} does not exist.`, 2);
    throw error;
  }

  const validTokens = new Set([...options.tokens, ...options.roleTokens.map(({ token }) => token)]);
  const expiredTokens = new Set(options.expiredTokens);
  const checkToken = (token: string): TokenVerdict => (expiredTokens.has(token) ? 'expired' : validTokens.has(token) ? 'valid' : 'invalid');
  const roleOfToken = new Map(options.roleTokens.map(({ role, token }) => [token, role]));
  let ownPermissions: ReturnType<Backend['permissionsOf']>;
  const permissionsOfRole = new Map<string, ReturnType<Backend['permissionsOf']>>();
  try {
    ownPermissions = backend.permissionsOf(null);
    for (const role of roleOfToken.values()) permissionsOfRole.set(role, backend.permissionsOf(role));
  } catch (error) {
    await backend.close();
    return fail(`--role-token: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  const permissionsOf = (token: string): ReturnType<Backend['permissionsOf']> => {
    const role = roleOfToken.get(token);
    return role === undefined ? ownPermissions : (permissionsOfRole.get(role) ?? null);
  };
  const present = backend.engine.presentEvent.bind(backend.engine);

  const http = createServer(createRequestHandler({ backend, basePath: BASE_PATH, checkToken, permissionsOf, allowedOrigins: options.allowOrigins, log }));
  http.keepAliveTimeout = 5_000;
  const hub = new EventHub({ store: backend.store, path: `${BASE_PATH}/events`, checkToken, permissionsOf, present, log, pingMs: options.pingSeconds * 1000 });
  backend.onCommitted = (events) => hub.broadcast(events);
  hub.attach(http);

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`Stopping (${reason}).`);
    const force = setTimeout(() => fail('Did not stop within 10 s; exiting.'), 10_000);
    force.unref();
    http.close();
    hub.close();
    await backend.close();
    http.closeAllConnections();
    clearTimeout(force);
    cleanUp();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  if (options.stopAfter !== null) {
    const seconds = options.stopAfter;
    setTimeout(() => void stop(`--stop-after ${seconds}`), seconds * 1000).unref();
  }

  await new Promise<void>((resolvePromise, reject) => {
    http.once('error', reject);
    http.listen({ port: options.port, host: options.host, backlog: 4096 }, () => {
      http.off('error', reject);
      resolvePromise();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    fail(`Cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`);
  });

  if (options.pidFile !== null) {
    const pidFile = options.pidFile;
    writeFileSync(pidFile, `${process.pid}\n`);
    cleanups.push(() => {
      if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) rmSync(pidFile, { force: true });
    });
  }
  const { port } = http.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  console.log(`cc-workspace reference server listening on http://${host}:${port}${BASE_PATH}`);
}
