// The 10,000-event fault run of issue 5 (run by scripts/faults.mjs after the send run; alone:
// `node test/faults/events.mjs`).
//
//   the REAL desk store in Node (test/faults/events-run.ts, bundled with esbuild) on an HttpConnector ─▶ proxy ─▶ server
//   a generator client (plain fetch, bearer token, an Idempotency-Key per write) ───────────────────────────────▶ server
//
// The generator writes on the reference server directly (sends and internal notes on every open conversation of the
// working set, customer tag edits, ticket edits, resolve-and-reopen pairs, mark-read) until the server's own
// sequences have advanced by at least 10,000 events; meanwhile the proxy cuts the store's connections at 100
// random points (some followed by a refusal of 100–800 ms). Then the store must come back live and caught up (its
// sequences equal to the server's), and its state must equal the server's: every conversation it holds, every
// customer it holds, every ticket it holds, and the threads of 20 conversations opened at the end.
//
// runEventFaults() resolves { delivered, applied, gaps, duplicatesApplied, drops, stateEqual, serverEvents, … }.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { api, startServer, temporaryFolder, TOKEN } from '../server/helpers.mjs';
import { startProxy } from './proxy.mjs';
import { importTypeScript } from '../../scripts/lib/import-ts.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
const random = (min, max) => min + Math.random() * (max - min);
const pick = (items) => items[Math.floor(Math.random() * items.length)];
const sum = (record) => Object.values(record).reduce((total, value) => total + value, 0);

const bundle = (outdir) => importTypeScript('test/faults/events-run.ts', outdir);

/** Every message of a conversation in the server's order (pages go backwards, each page oldest first). */
async function allMessages(baseUrl, conversationId) {
  let messages = [];
  let cursor = null;
  for (let page = 0; page < 1000; page += 1) {
    const query = `?limit=200${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const { status, body } = await api(baseUrl, 'GET', `/conversations/${encodeURIComponent(conversationId)}/messages${query}`);
    if (status !== 200) throw new Error(`GET messages of ${conversationId} answered ${status}`);
    messages = [...body.items, ...messages];
    if (body.nextCursor === null) return messages;
    cursor = body.nextCursor;
  }
  throw new Error('Too many pages.');
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export async function runEventFaults({
  log = (line) => console.error(`[events] ${line}`),
  events: targetEvents = 10_000,
  drops: targetDrops = 100,
  /** The generator's ceiling (writes per second); the server's one-write-at-a-time disk path is the real limit. */
  writesPerSecond = 400,
  limitMs = 150_000,
  /**
   * Events the server keeps per stream. The reference server rewrites its whole database file on every write, so
   * a smaller log keeps 10,000 events within the time budget; still far more than a store falls behind in a drop.
   */
  retention = 3000,
  debug = false,
} = {}) {
  const started = Date.now();
  const cleanups = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      try {
        await Promise.race([step(), sleep(12_000)]);
      } catch (error) {
        log(`cleanup: ${error?.message ?? error}`);
      }
    }
    cleanups.length = 0;
  };
  let expired = false;
  const deadline = started + limitMs;
  const check = () => {
    if (Date.now() > deadline) {
      expired = true;
      throw new Error(`The events run passed its time limit (${limitMs / 1000} s).`);
    }
  };
  try {
    const outdir = mkdtempSync(join(tmpdir(), 'cc-faults-events-'));
    cleanups.push(async () => rmSync(outdir, { recursive: true, force: true }));
    const folder = temporaryFolder();
    cleanups.push(async () => folder.remove());
    const [{ startEventStore, selectConversation }, server] = await Promise.all([
      bundle(outdir),
      startServer({ db: join(folder.path, 'events.sqlite'), args: ['--no-fsync', '--quiet', '--reset', '--event-retention', String(retention)], stopAfter: Math.ceil(limitMs / 1000) + 30 }),
    ]);
    cleanups.push(async () => server.stop());
    const proxy = await startProxy({ targetPort: server.port });
    cleanups.push(async () => proxy.close());
    log(`server pid ${server.pid} on ${server.port}, proxy on ${proxy.port}`);
    const direct = server.baseUrl;

    // The starting point and what the generator works on.
    const first = (await api(direct, 'GET', '/snapshot')).body;
    const startSequences = first.sequences;
    const working = first.conversations.filter((conversation) => conversation.status !== 'resolved');
    const customers = [...new Set(first.conversations.map((conversation) => conversation.customerId))];
    const agentId = first.agent.id;

    // The store, through the proxy.
    let socketCount = 0;
    const Traced = debug
      ? class extends WebSocket {
          constructor(...args) {
            super(...args);
            const n = ++socketCount;
            const t0 = Date.now();
            log(`ws ${n} new`);
            this.addEventListener('open', () => log(`ws ${n} open +${Date.now() - t0}`));
            this.addEventListener('error', (e) => log(`ws ${n} error ${e.message}`));
            this.addEventListener('close', (e) => log(`ws ${n} close ${e.code} +${Date.now() - t0}`));
          }
        }
      : WebSocket;
    const run = startEventStore({ baseUrl: `http://127.0.0.1:${proxy.port}/api/v1`, token: TOKEN, WebSocket: Traced, log });
    cleanups.push(async () => run.stop());
    const waitFor = async (what, predicate, timeoutMs) => {
      const until = Math.min(deadline, Date.now() + timeoutMs);
      while (!predicate()) {
        if (Date.now() > until) throw new Error(`${what} not within ${timeoutMs / 1000} s`);
        await sleep(50);
      }
    };
    await waitFor('the store live', () => run.state().connection.sync === 'live', 20_000);
    log(`store live; ${working.length} open conversations in the working set, ${customers.length} customers`);

    // Tickets to edit: one per few customers, made before the run.
    const tickets = [];
    for (const customerId of customers.slice(0, 6)) {
      const { status, body } = await api(direct, 'POST', '/tickets', {
        key: randomUUID(),
        body: { customerId, subject: `events run ${customerId}`, description: 'Edited by the events fault run.' },
      });
      if (status >= 300) throw new Error(`POST /tickets answered ${status}: ${JSON.stringify(body)}`);
      tickets.push({ id: body.id, version: body.version, busy: false });
    }

    // The generator.
    const ops = { sends: 0, notes: 0, tags: 0, ticketEdits: 0, statusChanges: 0, reads: 0, refused: 0, failed: 0 };
    const noteOnly = new Set();
    const busyConversations = new Set();
    const write = async (method, path, body) => {
      try {
        const answer = await api(direct, method, path, { body, key: randomUUID() });
        if (answer.status >= 500) ops.failed += 1;
        else if (answer.status >= 400) ops.refused += 1;
        return answer;
      } catch (error) {
        ops.failed += 1;
        return { status: 0, body: String(error) };
      }
    };
    const operation = async () => {
      const roll = Math.random();
      if (roll < 0.08) {
        const customerId = pick(customers);
        const tags = ['vip', 'events-run', 'late', 'refund', 'loyal'].filter(() => Math.random() < 0.5);
        if ((await write('PATCH', `/customers/${encodeURIComponent(customerId)}`, { tags })).status < 300) ops.tags += 1;
        return;
      }
      if (roll < 0.16) {
        const ticket = tickets.find((candidate) => !candidate.busy && Math.random() < 0.5) ?? null;
        if (ticket) {
          ticket.busy = true;
          const priority = pick(['low', 'normal', 'high', 'urgent']);
          const answer = await write('PATCH', `/tickets/${encodeURIComponent(ticket.id)}`, { baseVersion: ticket.version, priority });
          if (answer.status < 300) {
            ticket.version = answer.body.version;
            ops.ticketEdits += 1;
          } else if (answer.status === 409) {
            const fresh = await api(direct, 'GET', `/tickets/${encodeURIComponent(ticket.id)}`);
            if (fresh.status === 200) ticket.version = fresh.body.version;
          }
          ticket.busy = false;
          return;
        }
      }
      const conversation = pick(working);
      if (busyConversations.has(conversation.id)) return;
      busyConversations.add(conversation.id);
      try {
        const at = `/conversations/${encodeURIComponent(conversation.id)}`;
        if (roll < 0.2) {
          // Resolve and reopen: the conversation leaves the working set for a moment and comes back.
          if ((await write('POST', `${at}/status`, { status: 'resolved' })).status < 300) {
            ops.statusChanges += 1;
            if ((await write('POST', `${at}/status`, { status: 'open' })).status < 300) ops.statusChanges += 1;
          }
          return;
        }
        if (roll < 0.23) {
          if ((await write('POST', `${at}/read`, {})).status < 300) ops.reads += 1;
          return;
        }
        const internal = noteOnly.has(conversation.id) || Math.random() < 0.15;
        const answer = await write('POST', `${at}/messages`, { text: `events run ${randomUUID().slice(0, 8)}`, ...(internal ? { internal: true } : {}) });
        if (answer.status < 300) {
          if (internal) ops.notes += 1;
          else ops.sends += 1;
        } else if (answer.status === 400 && !internal) noteOnly.add(conversation.id); // a closed reply window
      } finally {
        busyConversations.delete(conversation.id);
      }
    };

    let serverEvents = 0;
    let generating = true;
    const counter = (async () => {
      while (generating) {
        try {
          const { status, body } = await api(direct, 'GET', '/snapshot');
          if (status === 200) serverEvents = sum(body.sequences) - sum(startSequences);
          else log(`counting the server's events: GET /snapshot answered ${status}`);
        } catch (error) {
          log(`counting the server's events: ${error?.message ?? error}`);
        }
        await sleep(100);
      }
    })();
    const WORKERS = 6;
    const workers = Array.from({ length: WORKERS }, async () => {
      while (generating) {
        const began = Date.now();
        await operation();
        await sleep(Math.max(0, (WORKERS * 1000) / writesPerSecond - (Date.now() - began)));
      }
    });

    // The drops: 100 random points of the generation (thresholds of the server's event count). At each, the proxy
    // cuts the store's connections once the store has a socket again (a cut while it is already down would drop
    // nothing): half the time as soon as it is connected (its snapshot may be in flight), half once it is live.
    const points = Array.from({ length: targetDrops }, () => Math.floor(random(0.01, 0.97) * targetEvents)).sort((a, b) => a - b);
    let drops = 0;
    let refusals = 0;
    let cut = 0;
    for (const point of points) {
      while (serverEvents < point) {
        check();
        await sleep(20);
      }
      // Half the time once the store is connected again (its snapshot may be in flight), half once it is live;
      // then a random dwell, so live events get applied between drops, and a socket that heard from the server
      // (a socket cut before its first message keeps the reconnect backoff growing, by design).
      const live = Math.random() < 0.5;
      const ready = () => {
        const { connection } = run.state();
        return connection.state === 'connected' && (!live || connection.sync === 'live');
      };
      const until = Date.now() + 30_000;
      for (;;) {
        check();
        if (ready()) {
          await sleep(random(20, 250));
          if (ready()) break;
        }
        if (Date.now() > until) {
          const { connection } = run.state();
          throw new Error(`The store did not reconnect within 30 s (drop ${drops + 1}): ${connection.state}, ${connection.sync}`);
        }
        await sleep(10);
      }
      const seenBefore = run.stats.reconnects;
      const cutNow = proxy.killAll();
      cut += cutNow;
      drops += 1;
      if (Math.random() < 0.3) {
        proxy.refuse(random(100, 800));
        refusals += 1;
      }
      // The socket's close arrives on a later tick: the next point must not find the old "connected" state.
      const seenUntil = Date.now() + 5_000;
      while (run.stats.reconnects === seenBefore) {
        check();
        if (Date.now() > seenUntil) throw new Error(`The store did not see drop ${drops} (${cutNow} connections cut) within 5 s.`);
        await sleep(5);
      }
      if (debug) log(`drop ${drops}: cut ${cutNow}, reconnects ${run.stats.reconnects}`);
      if (drops % 25 === 0) log(`drop ${drops}/${targetDrops}: ${serverEvents} server events so far, store ${JSON.stringify(run.stats)}`);
    }
    proxy.accept();
    while (serverEvents < targetEvents) {
      check();
      await sleep(100);
    }
    generating = false;
    await Promise.all([...workers, counter]);
    log(`generated ${serverEvents} events in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(ops)}; ${drops} drops (${refusals} with a refusal, ${cut} connections cut)`);

    // Caught up: live, connected, every stream at the server's sequence, asked again and again (the server still
    // writes delivery receipts of its own for a moment after the generator stops).
    const caughtUp = async (what) => {
      const until = Math.min(deadline, Date.now() + 45_000);
      let target = null;
      for (;;) {
        target = (await api(direct, 'GET', '/snapshot')).body.sequences;
        const { connection } = run.state();
        const held = run.sequences();
        if (connection.sync === 'live' && connection.state === 'connected' && Object.entries(target).every(([stream, seq]) => held[stream] === seq)) {
          // Still so a moment later: nothing was on its way.
          await sleep(300);
          const again = (await api(direct, 'GET', '/snapshot')).body.sequences;
          if (same(again, target) && same(run.sequences(), held)) return target;
          continue;
        }
        if (Date.now() > until) {
          throw new Error(`${what} not within 45 s: store ${JSON.stringify(held)} (${connection.state}, ${connection.sync}) vs server ${JSON.stringify(target)}`);
        }
        await sleep(100);
      }
    };
    await caughtUp('the store caught up');
    log(`store caught up after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Open 20 conversations (their threads load), then catch up with what opening them wrote (mark read).
    const sample = [...working].sort(() => Math.random() - 0.5).slice(0, 20).map((conversation) => conversation.id);
    for (const conversationId of sample) {
      selectConversation(run, conversationId);
      await waitFor(`the thread of ${conversationId}`, () => run.state().threads.byConversation.get(conversationId)?.status === 'loaded', 15_000);
    }
    await sleep(300);
    const finalSequences = await caughtUp('the store caught up after opening threads');

    // The state against the server.
    const mismatches = [];
    const mismatch = (line) => {
      mismatches.push(line);
      if (mismatches.length <= 10) log(`mismatch: ${line}`);
    };
    const state = run.state();
    const fields = ['status', 'assigneeId', 'queueId', 'lastMessageAt', 'lastMessagePreview', 'unreadCount', 'priority', 'customerId'];
    let conversationsCompared = 0;
    for (const held of state.conversations.entities.values()) {
      const { status, body } = await api(direct, 'GET', `/conversations/${encodeURIComponent(held.id)}`);
      conversationsCompared += 1;
      if (status !== 200) {
        mismatch(`conversation ${held.id}: the store holds it, the server answers ${status}`);
        continue;
      }
      for (const field of fields) if (!same(held[field], body[field])) mismatch(`conversation ${held.id}.${field}: store ${JSON.stringify(held[field])}, server ${JSON.stringify(body[field])}`);
    }
    // Every conversation of the server's working set is in the store.
    const serverSnapshot = (await api(direct, 'GET', '/snapshot')).body;
    for (const conversation of serverSnapshot.conversations) {
      if (!state.conversations.entities.has(conversation.id)) mismatch(`conversation ${conversation.id} is in the server's working set, not in the store`);
    }
    let customersCompared = 0;
    for (const held of state.customers.entities.values()) {
      const { status, body } = await api(direct, 'GET', `/customers/${encodeURIComponent(held.id)}`);
      customersCompared += 1;
      if (status !== 200) mismatch(`customer ${held.id}: the server answers ${status}`);
      else if (!same(held.tags, body.tags) || held.notes !== body.notes) mismatch(`customer ${held.id}: store tags ${JSON.stringify(held.tags)}, server ${JSON.stringify(body.tags)}`);
    }
    let ticketsCompared = 0;
    for (const held of state.tickets.entities.values()) {
      const { status, body } = await api(direct, 'GET', `/tickets/${encodeURIComponent(held.id)}`);
      ticketsCompared += 1;
      if (status !== 200) mismatch(`ticket ${held.id}: the server answers ${status}`);
      else if (held.version !== body.version || held.priority !== body.priority || held.status !== body.status) {
        mismatch(`ticket ${held.id}: store v${held.version} ${held.priority}/${held.status}, server v${body.version} ${body.priority}/${body.status}`);
      }
    }
    let threadsCompared = 0;
    let messagesCompared = 0;
    for (const conversationId of sample) {
      const thread = state.threads.byConversation.get(conversationId);
      if (thread?.status !== 'loaded') {
        mismatch(`thread ${conversationId}: ${thread?.status ?? 'not held'} in the store`);
        continue;
      }
      const serverIds = (await allMessages(direct, conversationId)).map((message) => message.id);
      const heldIds = thread.messages.map((message) => message.id);
      threadsCompared += 1;
      messagesCompared += heldIds.length;
      // The store holds the newest page (50) and whatever arrived after it: the tail of the server's thread.
      const tail = serverIds.slice(-heldIds.length);
      if (heldIds.length < Math.min(50, serverIds.length) || !same(heldIds, tail)) {
        mismatch(`thread ${conversationId}: store ${heldIds.length} ids …${heldIds.slice(-3).join(',')}, server ${serverIds.length} …${serverIds.slice(-3).join(',')}`);
      }
      for (const message of thread.messages) {
        if (message.delivery === 'sending' || message.delivery === 'failed') mismatch(`thread ${conversationId}: ${message.id} still ${message.delivery}`);
      }
    }
    if (state.agent.agent?.id !== agentId) mismatch(`agent: store ${state.agent.agent?.id}, server ${agentId}`);

    // Accounting: per stream, what was applied one by one plus what snapshots covered is what the server did.
    const perStream = {};
    for (const [stream, seq] of Object.entries(finalSequences)) {
      const entry = run.perStream.get(stream) ?? { applied: 0, coveredBySnapshots: 0 };
      const base = startSequences[stream] ?? 0;
      perStream[stream] = { server: seq - base, applied: entry.applied, coveredBySnapshots: entry.coveredBySnapshots };
      // The first snapshot may already be past the start (events written while the store connected).
      if (run.covered.get(stream) !== seq) mismatch(`stream ${stream}: the state reflects up to ${run.covered.get(stream)}, the server is at ${seq}`);
    }
    const stats = run.stats;
    const result = {
      serverEvents: sum(finalSequences) - sum(startSequences),
      delivered: stats.delivered,
      applied: stats.applied,
      coveredBySnapshots: stats.coveredBySnapshots,
      duplicatesIgnored: stats.duplicatesIgnored,
      gapsDetected: stats.gapsDetected,
      gaps: stats.gaps,
      duplicatesApplied: stats.duplicatesApplied,
      drops,
      reconnects: stats.reconnects,
      snapshots: stats.snapshots,
      stateEqual: mismatches.length === 0 && run.problems.length === 0,
      mismatches: mismatches.length,
      compared: { conversations: conversationsCompared, customers: customersCompared, tickets: ticketsCompared, threads: threadsCompared, messages: messagesCompared },
      perStream,
      ops,
      problems: run.problems.slice(0, 10),
      seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
    };
    log(
      `events: ${result.serverEvents} server events, ${drops} drops (${stats.reconnects} reconnects seen by the store, ${stats.snapshots} snapshots); ` +
        `store: ${stats.delivered} delivered, ${stats.applied} applied one by one, ${stats.coveredBySnapshots} covered by snapshots, ` +
        `${stats.duplicatesIgnored} duplicates ignored, ${stats.gapsDetected} gaps healed by resync; ` +
        `${result.gaps} gaps, ${result.duplicatesApplied} duplicates applied; state ${result.stateEqual ? 'equal to' : 'DIFFERENT from'} the server's ` +
        `(${conversationsCompared} conversations, ${customersCompared} customers, ${ticketsCompared} tickets, ${threadsCompared} threads / ${messagesCompared} messages) in ${result.seconds} s`,
    );
    return result;
  } catch (error) {
    if (expired) log('time limit reached');
    throw error;
  } finally {
    await cleanup();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const hardLimit = setTimeout(() => {
    console.error('[events] hard time limit: exiting');
    process.exit(2);
  }, 200_000);
  try {
    const result = await runEventFaults();
    console.log(JSON.stringify(result));
    clearTimeout(hardLimit);
    process.exit(result.gaps === 0 && result.duplicatesApplied === 0 && result.stateEqual ? 0 : 1);
  } catch (error) {
    console.error(`[events] error: ${error?.stack ?? error}`);
    process.exit(2);
  }
}
