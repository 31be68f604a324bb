// Helpers for the reference-server tests: start the real server process on a free port with a temporary
// database, talk HTTP and WebSocket to it, stop it by its PID.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TOKEN = 'demo-token';

/** A temporary folder, removed by the returned `remove()`. */
export function temporaryFolder() {
  const path = mkdtempSync(join(tmpdir(), 'cc-server-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Starts `node demo/server/run.mjs --port 0 --db <db> --pid-file <file> --stop-after <s> ...args` and resolves
 * once it prints its ready line. The server stops by itself after `stopAfter` seconds whatever happens here.
 */
export async function startServer({ db, args = [], stopAfter = 120, readyTimeoutMs = 30_000 }) {
  const pidFile = `${db}.pid`;
  const child = spawn(
    process.execPath,
    [join(root, 'demo/server/run.mjs'), '--port', '0', '--db', db, '--pid-file', pidFile, '--stop-after', String(stopAfter), ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolvePromise) => child.once('exit', (code, signal) => resolvePromise({ code, signal })));
  const port = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not get ready within ${readyTimeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, readyTimeoutMs);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /cc-workspace reference server listening on http:\/\/127\.0\.0\.1:(\d+)\/api\/v1/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolvePromise(Number(match[1]));
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (code ${code}, signal ${signal}) before it was ready.\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const waitForExit = async (timeoutMs) => {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`The server (pid ${pid}) did not exit within ${timeoutMs} ms.`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    pid,
    port,
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    eventsUrl: `ws://127.0.0.1:${port}/api/v1/events`,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    /** SIGTERM by PID, then waits for the exit (SIGKILL after 10 s). */
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return exited;
      }
      try {
        return await waitForExit(10_000);
      } catch (error) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        throw error;
      }
    },
    /** kill -9 by PID: no chance to flush or clean up. */
    async kill() {
      process.kill(pid, 'SIGKILL');
      return waitForExit(10_000);
    },
  };
}

/** One HTTP call; resolves { status, body, headers } (body parsed as JSON when there is one). */
export async function api(baseUrl, method, path, { body, key, token = TOKEN, headers = {} } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key === undefined ? {} : { 'idempotency-key': key }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

/** Every page of a listing, following nextCursor. */
export async function allPages(baseUrl, path, limit = 200) {
  const items = [];
  let cursor = null;
  const separator = path.includes('?') ? '&' : '?';
  for (let page = 0; page < 10_000; page += 1) {
    const query = `${separator}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const { status, body } = await api(baseUrl, 'GET', `${path}${query}`);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body)}`);
    items.push(...body.items);
    if (body.nextCursor === null) return items;
    cursor = body.nextCursor;
  }
  throw new Error('Too many pages.');
}

/**
 * An event socket that records what it receives. `next(predicate)` resolves with the first message (from the
 * start) matching it that no earlier `next` took.
 */
export async function openSocket(url) {
  const socket = new WebSocket(url);
  const messages = [];
  const taken = new Set();
  const waiters = [];
  const closed = new Promise((resolvePromise) => socket.once('close', (code, reason) => resolvePromise({ code, reason: String(reason) })));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    messages.push(message);
    for (const waiter of [...waiters]) waiter();
  });
  await new Promise((resolvePromise, reject) => {
    socket.once('open', resolvePromise);
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    close: () => socket.close(),
    /** Events received so far. */
    events: () => messages.filter((message) => message.type === 'event').map((message) => message.event),
    next(predicate = () => true, timeoutMs = 10_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const index = messages.findIndex((message, position) => !taken.has(position) && predicate(message));
          if (index === -1) return false;
          taken.add(index);
          cleanup();
          resolvePromise(messages[index]);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`No matching socket message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 2000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          const position = waiters.indexOf(check);
          if (position !== -1) waiters.splice(position, 1);
        };
        if (!check()) waiters.push(check);
      });
    },
    /** Waits until `count` events arrived (or fails after the timeout). */
    async waitForEvents(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (this.events().length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} events, got ${this.events().length}.`);
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
      }
      return this.events();
    },
  };
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
