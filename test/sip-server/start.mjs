// Kamailio for the SIP browser tests and `npm run bench:call`: SIP over WebSocket on 127.0.0.1 only, on a free
// port (or SIP_WS_PORT), started and stopped by PID, without systemd. A detached watchdog stops it by PID after
// `stopAfterSeconds` whatever happens to the process that started it (a crashed test runner leaves nothing behind).
//
//   import { startKamailio } from './test/sip-server/start.mjs';
//   const sip = await startKamailio({ auth: false });   // { pid, wsUrl, log(), stop(), restart(), ... }
//
//   node test/sip-server/start.mjs [--auth] [--stop-after 600]   prints {"pid", "wsUrl", "runDir"} and leaves it
//   node test/sip-server/stop.mjs <runDir>                       stops it by the PID recorded in <runDir>
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const kamailioConfig = join(here, 'kamailio.cfg');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function portAccepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` is still the Kamailio we started (guards against a reused PID). */
function isOurKamailio(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(kamailioConfig);
  } catch {
    return false;
  }
}

// The watchdog is a tiny detached Node process: it kills the Kamailio (SIGTERM, then SIGKILL) after the timeout,
// but only if that PID is still our Kamailio.
function startWatchdog(pid, stopAfterSeconds) {
  const script = `
    const { readFileSync } = require('node:fs');
    const ours = () => { try { return readFileSync('/proc/${pid}/cmdline', 'utf8').includes(${JSON.stringify(kamailioConfig)}); } catch { return false; } };
    setTimeout(() => {
      if (ours()) { try { process.kill(${pid}, 'SIGTERM'); } catch {} }
      setTimeout(() => { if (ours()) { try { process.kill(${pid}, 'SIGKILL'); } catch {} } process.exit(0); }, 5000);
    }, ${Math.round(stopAfterSeconds * 1000)});
    setInterval(() => { if (!ours()) process.exit(0); }, 2000);
  `;
  const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}

async function launch({ wsPort, auth, runDir, stopAfterSeconds, readyTimeoutMs }) {
  if (await portAccepts(wsPort)) throw new Error(`Port ${wsPort} is already taken; Kamailio would not own it.`);
  const logFile = join(runDir, 'kamailio.log');
  const logFd = openSync(logFile, 'a');
  const args = ['-f', kamailioConfig, '-DD', '-E', '-m', '64', '-M', '8', '-Y', runDir, '-P', join(runDir, 'kamailio.pid'), '-A', `WS_PORT=${wsPort}`];
  if (auth) args.push('-A', 'WITH_AUTH');
  // -DD: stays in the foreground (its children are still forked), so the spawned PID is the main process.
  const child = spawn('kamailio', args, { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  writeFileSync(join(runDir, 'kamailio.bgpid'), String(pid));
  const watchdogPid = startWatchdog(pid, stopAfterSeconds);
  writeFileSync(join(runDir, 'watchdog.pid'), String(watchdogPid));
  const started = Date.now();
  while (Date.now() - started < readyTimeoutMs) {
    if (!alive(pid)) throw new Error(`Kamailio exited at start:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (await portAccepts(wsPort)) return { pid, watchdogPid, readyMs: Date.now() - started };
    await sleep(50);
  }
  await stopPid(pid, watchdogPid);
  throw new Error(`Kamailio did not open ws port ${wsPort} within ${readyTimeoutMs} ms.`);
}

async function stopPid(pid, watchdogPid) {
  if (isOurKamailio(pid)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const started = Date.now();
    while (alive(pid) && Date.now() - started < 5000) await sleep(50);
    if (isOurKamailio(pid)) process.kill(pid, 'SIGKILL');
  }
  if (watchdogPid) {
    try {
      process.kill(watchdogPid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

/**
 * Starts Kamailio on 127.0.0.1 and resolves once its WebSocket port accepts connections.
 * @param {{ wsPort?: number, auth?: boolean, stopAfterSeconds?: number, readyTimeoutMs?: number }} [options]
 */
export async function startKamailio({ wsPort, auth = false, stopAfterSeconds = 900, readyTimeoutMs = 5000 } = {}) {
  const runDir = mkdtempSync(join(tmpdir(), 'cc-kamailio-'));
  let port = wsPort ?? (process.env.SIP_WS_PORT ? Number(process.env.SIP_WS_PORT) : await freePort());
  let current;
  for (let attempt = 0; ; attempt += 1) {
    try {
      current = await launch({ wsPort: port, auth, runDir, stopAfterSeconds, readyTimeoutMs });
      break;
    } catch (error) {
      // Another process may take a freshly probed port before Kamailio binds it: probe again, twice.
      if (wsPort !== undefined || process.env.SIP_WS_PORT || attempt >= 2) throw error;
      port = await freePort();
    }
  }
  return {
    get pid() {
      return current.pid;
    },
    wsPort: port,
    wsUrl: `ws://127.0.0.1:${port}`,
    runDir,
    readyMs: current.readyMs,
    /** Kamailio's log so far (one `REQ <method> ...` line per request it received). */
    log: () => (existsSync(join(runDir, 'kamailio.log')) ? readFileSync(join(runDir, 'kamailio.log'), 'utf8') : ''),
    /** SIGTERM by PID (SIGKILL after 5 s); stops the watchdog too. */
    async stop() {
      await stopPid(current.pid, current.watchdogPid);
    },
    /** Starts it again on the same port (after `stop()`); registrations are gone (no database). */
    async start() {
      const started = Date.now();
      while (await portAccepts(port)) {
        if (Date.now() - started > 5000) throw new Error(`Port ${port} is still taken.`);
        await sleep(50);
      }
      current = await launch({ wsPort: port, auth, runDir, stopAfterSeconds, readyTimeoutMs });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const stopAfterIndex = argv.indexOf('--stop-after');
  const server = await startKamailio({
    auth: argv.includes('--auth'),
    stopAfterSeconds: stopAfterIndex >= 0 ? Number(argv[stopAfterIndex + 1]) : 900,
  });
  console.log(JSON.stringify({ pid: server.pid, wsUrl: server.wsUrl, runDir: server.runDir, readyMs: server.readyMs }));
}
