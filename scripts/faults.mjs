// `npm run test:faults`: the fault run of issue 5 against the REAL reference server process.
//
//   browser (Debian Chromium, the demo on Vite, ?server=<proxy>)  ─┐
//   a raw WebSocket watcher in Node (resumes with since)          ─┼─▶ TCP proxy (test/faults/proxy.mjs) ─▶ server
//
// 1,000 sends across 10 conversations (the composer's `messageSubmitted` intent dispatched on the page's store,
// each text numbered per conversation), while the proxy cuts every open connection 50 times (some followed by a
// short refusal of new ones), the page is reloaded 3 times (unsent sends resume from the IndexedDB outbox) and
// the server is restarted once on the same database. Then: the outbox drains, the server holds exactly the 1,000
// (0 lost, 0 duplicated, per-conversation order kept), and the watcher saw no seq gap or duplicate.
// Then the 10,000-event run (test/faults/events.mjs; skipped with --no-events): the real desk store in Node on an
// HttpConnector through the proxy, a second client writing on a fresh server until its sequences advanced by at
// least 10,000 events, the store's connection cut at 100 random points; 0 gaps, 0 duplicates applied, and the
// store's final state equal to the server's.
//
// Last line: {"sent", "stored", "lost", "duplicated", "outOfOrder", "socketKills", "reloads", "serverRestarts",
// "eventsChecked", "gaps", "duplicateEvents", "events10k": {"serverEvents", "delivered", "applied",
// "coveredBySnapshots", "gaps", "duplicatesApplied", "drops", "stateEqual", "mismatches"}} (the keys before
// events10k are the send run's and its watcher's); exit 1 when any failure count is not 0, 2 on an error.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../test/helpers/chromium.mjs';
import { allPages, api, startServer, temporaryFolder, TOKEN } from '../test/server/helpers.mjs';
import { startProxy } from '../test/faults/proxy.mjs';
import { startWatcher } from '../test/faults/watcher.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const found = args.find((arg) => arg.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const SENDS = option('sends', 1000);
const CONVERSATIONS = option('conversations', 10);
const KILLS = option('kills', 50);
const RELOADS = 3;
const EVENTS = !args.includes('--no-events');
const HARD_LIMIT_MS = option('limit-s', EVENTS ? 480 : 330) * 1000;
const started = Date.now();
const log = (line) => console.error(`[faults +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
const random = (min, max) => min + Math.random() * (max - min);

const cleanups = [];
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await Promise.race([step(), sleep(12_000)]);
      } catch (error) {
        log(`cleanup: ${error?.message ?? error}`);
      }
    }
  })();
  return cleaning;
}
const hardLimit = setTimeout(async () => {
  log(`hard time limit (${HARD_LIMIT_MS / 1000} s) reached: stopping everything`);
  await cleanup();
  process.exit(2);
}, HARD_LIMIT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().then(() => process.exit(130)));

/** `vite` (the demo, as `npm run demo` serves it) on a free-ish port, by its own PID (no npx in between). */
async function startVite() {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), '--config', 'vite.config.ts', '--strictPort', '--host', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  cleanups.push(async () => {
    if (child.exitCode !== null) return;
    process.kill(child.pid, 'SIGTERM');
    if ((await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) === false) process.kill(child.pid, 'SIGKILL');
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite exited: ${output}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error(`vite did not answer within 60 s: ${output}`);
    await sleep(250);
  }
  return { url, pid: child.pid };
}

async function main() {
  const folder = temporaryFolder();
  cleanups.push(async () => folder.remove());
  const db = join(folder.path, 'faults.sqlite');
  const serverArgs = ['--no-fsync', '--quiet'];
  let server = await startServer({ db, args: serverArgs, stopAfter: 400 });
  cleanups.push(async () => server.stop());
  log(`server pid ${server.pid} on ${server.port}`);
  const proxy = await startProxy({ targetPort: server.port });
  cleanups.push(async () => proxy.close());
  const proxyBase = `http://127.0.0.1:${proxy.port}/api/v1`;
  const vite = await startVite();
  log(`vite pid ${vite.pid} at ${vite.url}; proxy on ${proxy.port}`);

  const session = (await api(server.baseUrl, 'GET', '/session')).body;
  const agentId = session.agent.id;
  const mine = (await allPages(server.baseUrl, '/conversations?scope=mine')).filter((conversation) => conversation.status === 'open');
  if (mine.length < CONVERSATIONS) throw new Error(`The seed has only ${mine.length} open conversations of the agent.`);
  const conversations = mine.slice(0, CONVERSATIONS).map((conversation) => conversation.id);
  const snapshot = (await api(server.baseUrl, 'GET', '/snapshot')).body;
  const watcher = startWatcher({ eventsUrl: `ws://127.0.0.1:${proxy.port}/api/v1/events`, token: TOKEN, since: snapshot.sequences, log });
  cleanups.push(async () => watcher.stop());

  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000 });
  cleanups.push(async () => browser.close());
  const page = await browser.newPage();
  // Vite's client reloads the page when a source file changes (as in test/e2e/helpers.ts): its socket gets a silent
  // stand-in, so an edit elsewhere in the tree cannot add a reload the run did not plan.
  const viteHost = new URL(vite.url).host;
  await page.routeWebSocket((url) => url.host === viteHost && url.pathname === '/' && url.searchParams.has('token'), () => undefined);
  page.setDefaultTimeout(30_000);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  const deskUrl = `${vite.url}?traffic=0&server=${encodeURIComponent(proxyBase)}`;

  const waitLive = async () => {
    try {
      await page.waitForFunction(() => document.querySelector('cc-workspace')?.store?.getState().connection.sync === 'live', null, { timeout: 60_000, polling: 100 });
    } catch (error) {
      const state = await page.evaluate(() => {
        const store = document.querySelector('cc-workspace')?.store;
        if (!store) return 'no store';
        const { connection, outbox } = store.getState();
        return JSON.stringify({ ...connection, sequences: undefined, outbox: outbox.entries.keys().length });
      });
      throw new Error(`The desk did not go live: ${state}; proxy open ${proxy.open}`, { cause: error });
    }
  };
  /** The client keys in the page's IndexedDB outbox (null while the database does not exist yet). */
  const storedOutbox = () =>
    page.evaluate(async (name) => {
      const names = (await indexedDB.databases()).map((database) => database.name);
      if (!names.includes(name)) return null;
      const database = await new Promise((ok, fail) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => ok(request.result);
        request.onerror = () => fail(request.error);
      });
      try {
        if (!database.objectStoreNames.contains('outbox')) return null;
        return await new Promise((ok, fail) => {
          const request = database.transaction('outbox').objectStore('outbox').getAllKeys();
          request.onsuccess = () => ok(request.result.map(String));
          request.onerror = () => fail(request.error);
        });
      } finally {
        database.close();
      }
    }, `cc-workspace:${agentId}`);
  /** Which of these client keys the server holds a message for (read only on a failure). */
  const serverMessagesByKey = async (keys) => {
    const found = new Set();
    for (const conversationId of conversations) {
      for (const message of await allPages(server.baseUrl, `/conversations/${encodeURIComponent(conversationId)}/messages`)) {
        if (keys.includes(message.clientKey)) found.add(message.clientKey);
      }
    }
    return keys.map((key) => [key, found.has(key)]);
  };
  const pendingInStore = () => page.evaluate(() => document.querySelector('cc-workspace').store.getState().outbox.entries.keys());

  await page.goto(deskUrl);
  await waitLive();
  log('desk live');

  // The plan: SENDS sends in KILLS batches; a kill after each; reloads and the restart between batches.
  const batches = KILLS;
  const perBatch = Math.ceil(SENDS / batches);
  const reloadAfter = new Set([Math.floor(batches * 0.25), Math.floor(batches * 0.5), Math.floor(batches * 0.75)]);
  const restartAfter = Math.floor(batches * 0.62);
  const counters = new Map(conversations.map((id) => [id, 0]));
  const runId = randomUUID().slice(0, 8);
  const expected = new Map(conversations.map((id) => [id, []]));
  let sent = 0;
  let socketKills = 0;
  let reloads = 0;
  let serverRestarts = 0;
  let next = 0;

  for (let batch = 0; batch < batches; batch += 1) {
    const items = [];
    for (let i = 0; i < perBatch && sent + items.length < SENDS; i += 1) {
      const conversationId = conversations[next++ % conversations.length];
      const number = counters.get(conversationId) + 1;
      counters.set(conversationId, number);
      const text = `fault-run ${runId} ${conversationId} #${number}`;
      expected.get(conversationId).push(number);
      items.push({ conversationId, clientKey: randomUUID(), text });
    }
    await page.evaluate((list) => {
      const store = document.querySelector('cc-workspace').store;
      for (const { conversationId, clientKey, text } of list) {
        store.dispatch({
          type: '[Composer] message submitted',
          payload: { conversationId, clientKey, text, internal: false, authorName: 'Fault run', submittedAt: Date.now() },
        });
      }
    }, items);
    sent += items.length;
    await sleep(random(20, 400));
    socketKills += 1;
    const cut = proxy.killAll();
    if (batch % 5 === 4) proxy.refuse(random(300, 2000));
    if (reloadAfter.has(batch)) {
      // What the page holds unsent must be in IndexedDB before the page goes: that is what survives a reload.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [pending, stored] = [await pendingInStore(), await storedOutbox()];
        const storedSet = new Set(stored ?? []);
        if (stored !== null && pending.every((key) => storedSet.has(key))) {
          log(`reload ${reloads + 1}: ${pending.length} unconfirmed in the store, ${storedSet.size} in the IndexedDB outbox`);
          break;
        }
        if (Date.now() > deadline) {
          // Which sends, in what state, and whether the server has them: the failure says what went wrong.
          const missing = pending.filter((key) => !storedSet.has(key));
          const states = await page.evaluate(
            (keys) => keys.map((key) => [key, document.querySelector('cc-workspace').store.getState().outbox.entries.get(key)]),
            missing.slice(0, 5),
          );
          const onServer = await serverMessagesByKey(missing.slice(0, 5));
          throw new Error(
            `The outbox did not reach IndexedDB within 30 s: ${missing.length} of ${pending.length} unconfirmed sends are not in it, e.g. ${JSON.stringify(states)}; on the server: ${JSON.stringify(onServer)}.`,
          );
        }
        await sleep(50);
      }
      await page.reload();
      reloads += 1;
      await waitLive();
    }
    if (batch === restartAfter) {
      const port = server.port;
      const stopped = await server.stop();
      log(`server pid ${server.pid} stopped (${JSON.stringify(stopped)}); restarting on the same database and port ${port}`);
      server = await startServer({ db, args: [...serverArgs, '--port', String(port)], stopAfter: 400 });
      proxy.setTarget(server.port);
      serverRestarts += 1;
      log(`server pid ${server.pid} on ${server.port}`);
    }
    if (batch % 10 === 9) log(`batch ${batch + 1}/${batches}: sent ${sent}, kills ${socketKills} (last cut ${cut} connections)`);
  }
  proxy.accept();

  // Drain: the store's outbox and the IndexedDB outbox both empty.
  const drainDeadline = Date.now() + 120_000;
  for (;;) {
    const [pending, stored] = [await pendingInStore(), await storedOutbox()];
    if (pending.length === 0 && stored !== null && stored.length === 0) break;
    if (Date.now() > drainDeadline) throw new Error(`The outbox did not drain within 120 s: ${pending.length} in the store, ${stored?.length} stored.`);
    await sleep(200);
  }
  log('outbox empty');

  // The watcher catches up with the server's sequences.
  const finalSequences = (await api(server.baseUrl, 'GET', '/snapshot')).body.sequences;
  const watchDeadline = Date.now() + 30_000;
  while (Object.entries(finalSequences).some(([stream, seq]) => (watcher.since.get(stream) ?? 0) < seq)) {
    if (Date.now() > watchDeadline) {
      log(`watcher behind: ${JSON.stringify(Object.fromEntries(watcher.since))} vs ${JSON.stringify(finalSequences)}`);
      break;
    }
    await sleep(100);
  }
  watcher.stop();

  // The server's word: every message of the run, per conversation, in the server's order.
  let stored = 0;
  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  const pattern = new RegExp(`^fault-run ${runId} (\\S+) #(\\d+)$`);
  for (const conversationId of conversations) {
    const messages = await allPages(server.baseUrl, `/conversations/${encodeURIComponent(conversationId)}/messages`);
    const ordered = [...messages].sort((a, b) => a.sentAt - b.sentAt || Number(a.id.replace(/\D/g, '')) - Number(b.id.replace(/\D/g, '')));
    const numbers = [];
    for (const message of ordered) {
      const match = pattern.exec(message.text);
      if (!match) continue;
      if (match[1] !== conversationId) throw new Error(`${message.id} is in ${conversationId} but was sent to ${match[1]}.`);
      numbers.push(Number(match[2]));
    }
    stored += numbers.length;
    const seen = new Set(numbers);
    duplicated += numbers.length - seen.size;
    lost += expected.get(conversationId).filter((number) => !seen.has(number)).length;
    for (let i = 1; i < numbers.length; i += 1) {
      if (numbers[i] >= numbers[i - 1]) continue;
      outOfOrder += 1;
      if (outOfOrder <= 5) log(`out of order in ${conversationId}: …${numbers.slice(Math.max(0, i - 3), i + 3).join(', ')}…`);
    }
  }
  if (pageErrors.length > 0) log(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
  log(`watcher: ${JSON.stringify(watcher.stats)}`);

  const result = {
    sent,
    stored,
    lost,
    duplicated,
    outOfOrder,
    socketKills,
    reloads,
    serverRestarts,
    eventsChecked: watcher.stats.events,
    gaps: watcher.stats.gaps,
    duplicateEvents: watcher.stats.duplicates,
  };
  return result;
}

let exitCode = 2;
let result = null;
try {
  result = await main();
  await cleanup();
  let eventFailures = 0;
  if (EVENTS) {
    log('events run: test/faults/events.mjs');
    const { runEventFaults } = await import('../test/faults/events.mjs');
    const events = await runEventFaults({ log: (line) => log(`events: ${line}`), limitMs: Math.max(60_000, HARD_LIMIT_MS - (Date.now() - started) - 30_000) });
    result.events10k = {
      serverEvents: events.serverEvents,
      delivered: events.delivered,
      applied: events.applied,
      coveredBySnapshots: events.coveredBySnapshots,
      gaps: events.gaps,
      duplicatesApplied: events.duplicatesApplied,
      drops: events.drops,
      stateEqual: events.stateEqual,
      mismatches: events.mismatches,
    };
    eventFailures = events.gaps + events.duplicatesApplied + (events.stateEqual ? 0 : 1) + (events.serverEvents >= 10_000 && events.drops >= 100 ? 0 : 1);
    if (!events.stateEqual) log(`events run: the final store state differs from the server's (${events.mismatches} mismatches, problems: ${JSON.stringify(events.problems)})`);
  }
  const failures = result.lost + result.duplicated + result.outOfOrder + result.gaps + result.duplicateEvents + eventFailures;
  exitCode = failures === 0 && result.stored === result.sent ? 0 : 1;
} catch (error) {
  log(`error: ${error?.stack ?? error}`);
  exitCode = 2;
} finally {
  await cleanup();
  clearTimeout(hardLimit);
  log(`run time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result) console.log(JSON.stringify(result));
  process.exit(exitCode);
}
