// The event socket (docs/protocol.md, "Events: one WebSocket"): auth, subscribe since, replay of exactly the
// missing events, too-old for evicted ones, live events, pings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, openSocket, sleep, startServer, temporaryFolder } from './helpers.mjs';

/** Checks that every stream's seqs in `events` rise by exactly 1 from `from[stream] + 1`. */
function assertContiguous(events, from = {}) {
  const last = { ...from };
  for (const event of events) {
    const expected = (last[event.stream] ?? event.seq - 1) + 1;
    assert.equal(event.seq, expected, `stream ${event.stream}: seq ${event.seq} after ${last[event.stream]}`);
    assert.equal(typeof event.at, 'number');
    last[event.stream] = event.seq;
  }
  return last;
}

async function subscribed(server, since) {
  const socket = await openSocket(server.eventsUrl);
  socket.send({ type: 'auth', token: 'demo-token' });
  socket.send({ type: 'subscribe', since });
  return socket;
}

/** Each (stream, seq) at most once. */
function assertNoRepeats(events) {
  const seen = new Set(events.map((event) => `${event.stream}#${event.seq}`));
  assert.equal(seen.size, events.length, 'no event twice');
}

const added = (events) => events.filter((event) => event.type === 'message.added');
/** Sent messages get a delivery receipt (message.updated) 800 ms later; waiting lets them land. */
const settle = () => sleep(1_200);
const missingSince = (since, now) => Object.keys(now).reduce((sum, stream) => sum + now[stream] - (since[stream] ?? 0), 0);

describe('reference server: events', { timeout: 120_000 }, () => {
  let folder;
  let server;
  let base;
  let conversationIds;
  let sent = 0;

  /** Sends `count` internal notes and returns the stored messages. */
  const sendNotes = async (count, prefix = 'note') => {
    const answers = [];
    for (let index = 0; index < count; index += 1) {
      sent += 1;
      const id = conversationIds[sent % conversationIds.length];
      const answer = await api(base, 'POST', `/conversations/${id}/messages`, { body: { text: `${prefix} ${sent}`, internal: true }, key: `${prefix}-${sent}` });
      assert.equal(answer.status, 200);
      answers.push(answer.body);
    }
    return answers;
  };

  before(async () => {
    folder = temporaryFolder();
    server = await startServer({ db: `${folder.path}/db.sqlite`, args: ['--ping-interval', '0.5'] });
    base = server.baseUrl;
    const { body } = await api(base, 'GET', '/conversations?scope=all&limit=5');
    conversationIds = body.items.map((conversation) => conversation.id);
  });

  after(async () => {
    await server?.stop();
    folder?.remove();
  });

  test('subscribe with the snapshot sequences delivers live events, in order, each once', async () => {
    const { body: snapshot } = await api(base, 'GET', '/snapshot');
    const socket = await subscribed(server, snapshot.sequences);
    await sleep(100);
    const notes = await sendNotes(5, 'live');
    await settle();
    const events = socket.events();
    assert.deepEqual(added(events).map((event) => event.message.id), notes.map((note) => note.id));
    assertContiguous(events, snapshot.sequences);
    assertNoRepeats(events);
    const { body: now } = await api(base, 'GET', '/snapshot');
    assert.equal(events.length, missingSince(snapshot.sequences, now.sequences), 'every event the server numbered');
    socket.close();
  });

  test('a stream missing from since replays from its first event; named streams from their since', async () => {
    await sendNotes(2, 'before-subscribe');
    await settle();
    const { body: snapshot } = await api(base, 'GET', '/snapshot');
    const { conversations: _omitted, ...others } = snapshot.sequences;
    const socket = await subscribed(server, others);
    const total = snapshot.sequences.conversations;
    const replayed = await socket.waitForEvents(total);
    assert.ok(replayed.every((event) => event.stream === 'conversations'), 'the named streams replay nothing');
    assert.deepEqual(replayed.map((event) => event.seq), Array.from({ length: total }, (_, index) => index + 1));
    const [note] = await sendNotes(1, 'after-subscribe');
    const live = await socket.waitForEvents(total + 1);
    assert.deepEqual([live[total].message.id, live[total].seq], [note.id, total + 1]);
    socket.close();

    // An empty since replays every retained event of every stream.
    await settle();
    const { body: now } = await api(base, 'GET', '/snapshot');
    const everything = await subscribed(server, {});
    const all = await everything.waitForEvents(missingSince({}, now.sequences));
    assertContiguous(all, {});
    assertNoRepeats(all);
    everything.close();
  });

  test('subscribe since replays exactly the events a closed socket missed, then continues live', async () => {
    const { body: snapshot } = await api(base, 'GET', '/snapshot');
    const first = await subscribed(server, snapshot.sequences);
    await sendNotes(3, 'seen');
    await settle();
    const seen = first.events();
    const applied = assertContiguous(seen, snapshot.sequences);
    first.close();
    await first.closed;

    const missed = await sendNotes(4, 'missed');
    await settle();
    const { body: now } = await api(base, 'GET', '/snapshot');
    const expected = missingSince(applied, now.sequences);
    assert.ok(expected >= 4);
    const second = await subscribed(server, applied);
    const replayed = await second.waitForEvents(expected);
    assert.deepEqual(added(replayed).map((event) => event.message.id), missed.map((note) => note.id));
    const current = assertContiguous(replayed, applied);
    assert.deepEqual(current, now.sequences);

    const [live] = await sendNotes(1, 'after-replay');
    const [liveEvent] = added((await second.waitForEvents(expected + 1)).slice(expected));
    assert.deepEqual([liveEvent.message.id, liveEvent.seq], [live.id, now.sequences.conversations + 1]);
    await settle();
    assertNoRepeats(second.events());
    assertContiguous(second.events(), applied);

    // A since with nothing missing replays nothing.
    const { body: latest } = await api(base, 'GET', '/snapshot');
    const third = await subscribed(server, latest.sequences);
    await sleep(300);
    assert.deepEqual(third.events(), []);
    second.close();
    third.close();
  });

  test('pings arrive; a client that answers pong stays connected', async () => {
    const socket = await subscribed(server, {});
    await socket.next((message) => message.type === 'ping', 5_000);
    socket.send({ type: 'pong' });
    await socket.next((message) => message.type === 'ping', 5_000);
    socket.send({ type: 'pong' });
    assert.equal(socket.socket.readyState, 1);
    socket.close();
  });

  test('malformed since closes the socket with 4400', async () => {
    const socket = await subscribed(server, { conversations: -1 });
    assert.equal((await socket.closed).code, 4400);
  });
});

describe('reference server: too-old', { timeout: 120_000 }, () => {
  let folder;
  let server;

  before(async () => {
    folder = temporaryFolder();
    server = await startServer({ db: `${folder.path}/db.sqlite`, args: ['--event-retention', '5'] });
  });

  after(async () => {
    await server?.stop();
    folder?.remove();
  });

  test('asking for evicted events answers too-old, then live events only; retained ones replay', async () => {
    const base = server.baseUrl;
    const { body } = await api(base, 'GET', '/conversations?scope=all&limit=1');
    const id = body.items[0].id;
    const { body: start } = await api(base, 'GET', '/snapshot');
    const from = start.sequences.conversations;
    for (let index = 0; index < 8; index += 1) {
      const answer = await api(base, 'POST', `/conversations/${id}/messages`, { body: { text: `evict ${index}`, internal: true }, key: `evict-${index}` });
      assert.equal(answer.status, 200);
    }
    await settle();
    const { body: now } = await api(base, 'GET', '/snapshot');
    const last = now.sequences.conversations;
    assert.ok(last >= from + 8);

    // Seq from + 1 is gone (only the last 5 are kept): too-old for that stream, nothing replayed on it.
    const old = await subscribed(server, { ...now.sequences, conversations: from });
    const tooOld = await old.next((message) => message.type === 'too-old');
    assert.deepEqual(tooOld.streams, ['conversations']);
    await sleep(200);
    assert.equal(old.events().length, 0);
    const live = await api(base, 'POST', `/conversations/${id}/messages`, { body: { text: 'after too-old', internal: true }, key: 'after-too-old' });
    const [event] = added(await old.waitForEvents(1));
    assert.deepEqual([event.seq, event.message.id], [last + 1, live.body.id]);
    old.close();

    // The last 5 are still there: since = newest - 4 replays the 4 after it, and nothing is too old.
    await settle();
    const { body: later } = await api(base, 'GET', '/snapshot');
    const newest = later.sequences.conversations;
    const recent = await subscribed(server, { ...later.sequences, conversations: newest - 4 });
    const replayed = await recent.waitForEvents(4);
    assert.deepEqual(replayed.map((item) => item.seq), [newest - 3, newest - 2, newest - 1, newest]);
    assert.ok(!recent.messages.some((message) => message.type === 'too-old'));
    recent.close();

    // A stream not named replays from its first retained event (the log holds only the last 5).
    const unnamed = await subscribed(server, {});
    const retained = (await unnamed.waitForEvents(5)).filter((item) => item.stream === 'conversations');
    assert.deepEqual(retained.map((item) => item.seq), [newest - 4, newest - 3, newest - 2, newest - 1, newest]);
    assert.ok(!unnamed.messages.some((message) => message.type === 'too-old'));
    unnamed.close();

    // A client ahead of the server (another history) must resync as well.
    const ahead = await subscribed(server, { conversations: last + 100 });
    assert.deepEqual((await ahead.next((message) => message.type === 'too-old')).streams, ['conversations']);
    ahead.close();
  });
});
