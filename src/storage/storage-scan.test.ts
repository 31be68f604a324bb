/**
 * Storage hygiene, scanned where an attacker with the disk (or script on the page) would look: every store of
 * every IndexedDB database of the origin, localStorage, sessionStorage and the cookies the page can read.
 * - With a storage key, a working desk (cache, a draft, an unsent reply) leaves 0 plaintext PII of the seed
 *   (customer names, emails, phones, WeChat ids, message texts); without one the same scan finds them, which
 *   shows the scan can fail.
 * - On the real reference server (HttpConnector), the access token is stored nowhere.
 * - `clearLocalData()` refuses while a reply is unsent (also one sent while it counts), and deletes everything
 *   once forced; another desk on the same storage does not write it back.
 * - A database written without a key and reopened with one is sealed whole; its unsent reply is sent, once.
 */
import { expect } from '@esm-bundle/chai';
import { mount } from '../../test/helpers/desk.js';
import { waitFor } from '../../test/helpers/events.js';
import { composerOf, inner, typeInto } from '../../test/helpers/workspace.js';
import { smallSeed } from '../../test/fixtures/small-seed.js';
import type { CommandOptions, Connector, OutgoingMessage } from '../connector/connector.js';
import type { Seed } from '../connector/memory/seed.js';
import { HttpConnector } from '../connector/http/http-connector.js';
import { MemoryConnector } from '../connector/memory/index.js';
import '../components/workspace/workspace.js';
import type { CcWorkspace } from '../components/workspace/workspace.js';
import { StorageError } from './errors.js';
import { databaseName } from './schema.js';

const DRAFT = 'Your card 4929 1234 5678 9012 is refunded';
const UNSENT = 'I will call you on +1 555 0100 tomorrow';
const EMAIL_HTML = '<p>Refund order 7781 to IBAN <b>DE89 3704 0044 0532 0130 00</b></p>';

/** The small seed with every field the scan looks for filled: notes, a conversation subject, an email's HTML. */
const scanSeed: Seed = {
  ...smallSeed,
  customers: (smallSeed.customers ?? []).map((customer) => ({ ...customer, notes: `Private: ${customer.id} is on medication` })),
  messages: (smallSeed.messages ?? []).map((message) => (message.email ? { ...message, email: { ...message.email, html: EMAIL_HTML } } : message)),
};

/** Every piece of personal data in the seed, plus what the agent types in the test. */
function seedPii(): string[] {
  const values = new Set<string>([DRAFT, UNSENT]);
  for (const customer of scanSeed.customers ?? []) {
    values.add(customer.name);
    if (customer.notes) values.add(customer.notes);
    for (const identity of customer.identities ?? []) values.add(identity.value);
  }
  for (const conversation of scanSeed.conversations ?? []) if (conversation.subject) values.add(conversation.subject);
  for (const message of scanSeed.messages ?? []) {
    if (message.text) values.add(message.text);
    if (message.email?.from) values.add(message.email.from);
    if (message.email?.subject) values.add(message.email.subject);
    if (message.email?.html) values.add(message.email.html);
  }
  return [...values];
}

const DESK_STORES = ['conversations', 'messages', 'customers', 'drafts', 'outbox'] as const;

/** The text a value holds: its keys and strings, and its bytes read as UTF-8 (so plaintext in a buffer counts too). */
function textsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) into.push(new TextDecoder('utf-8', { fatal: false }).decode(value));
  else if (Array.isArray(value)) for (const item of value) textsOf(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      textsOf(item, into);
    }
  }
  return into;
}

/** Polls an asynchronous check until it holds. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many records each IndexedDB store held at the last scan, by place. */
const recordCounts = new Map<string, number>();

/** Everything the origin keeps in the browser, as text, by place (record counts in `recordCounts`). */
async function scanBrowserStorage(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  recordCounts.clear();
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(info.name as string);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error(`cannot open ${info.name}`));
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const records = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store, 'readonly').objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error ?? new Error(`cannot read ${store}`));
      });
      found.set(`indexedDB ${info.name}/${store}`, textsOf(records).join('\n'));
      recordCounts.set(`indexedDB ${info.name}/${store}`, records.length);
    }
    db.close();
  }
  for (const [name, storage] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]] as const) {
    const entries: string[] = [];
    for (let index = 0; index < storage.length; index += 1) {
      const key = storage.key(index) ?? '';
      entries.push(key, storage.getItem(key) ?? '');
    }
    found.set(name, entries.join('\n'));
  }
  found.set('document.cookie', document.cookie);
  return found;
}

/** Where each needle was found. */
function findings(scan: Map<string, string>, needles: readonly string[], only?: (place: string) => boolean): string[] {
  const hits: string[] = [];
  for (const [place, text] of scan) {
    if (only && !only(place)) continue;
    for (const needle of needles) if (text.includes(needle)) hits.push(`${place}: ${needle}`);
  }
  return hits;
}

/** The MemoryConnector, except that sends never get an answer: they stay in the outbox. */
function neverConfirming(connector: MemoryConnector): Connector {
  return new Proxy(connector, {
    get(target, property) {
      if (property === 'sendMessage') return () => new Promise<never>(() => undefined);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The MemoryConnector, recording the idempotency key of every send it is asked for. */
function recordingSends(connector: MemoryConnector, keys: string[]): Connector {
  return new Proxy(connector, {
    get(target, property) {
      if (property === 'sendMessage') {
        return (draft: OutgoingMessage, options?: CommandOptions) => {
          keys.push(options?.idempotencyKey ?? '(none)');
          return target.sendMessage(draft, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Holds a read/write transaction on the outbox of a database open until released, so every transaction on the
 * outbox created meanwhile waits, and then runs in the order it was created.
 */
async function holdOutbox(name: string): Promise<() => Promise<void>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`cannot open ${name}`));
  });
  const store = db.transaction('outbox', 'readwrite').objectStore('outbox');
  let held = true;
  const keepAlive = (): void => {
    if (held) store.get('nothing').onsuccess = keepAlive;
  };
  keepAlive();
  return async () => {
    held = false;
    await new Promise<void>((resolve) => (store.transaction.oncomplete = () => resolve()));
    db.close();
  };
}

async function open(namespace: string, connector: Connector, storageKey?: CryptoKey): Promise<CcWorkspace> {
  const workspace = document.createElement('cc-workspace');
  workspace.setAttribute('storage-namespace', namespace);
  if (storageKey) workspace.storageKey = storageKey;
  workspace.connector = connector;
  await mount(workspace, 1100, 600);
  await waitFor(() => workspace.store?.getState().connection.sync === 'live', 'the desk to go live', 10_000);
  return workspace;
}

/** Works the desk so every store has records: the cache (with the email's thread), a draft, an unsent reply. */
async function work(workspace: CcWorkspace): Promise<void> {
  await composerOf(workspace, 'conv-email');
  await waitFor(() => (workspace.store?.getState().threads.byConversation.get('conv-email')?.messages.length ?? 0) > 0, 'the email thread');
  const reply = await composerOf(workspace, 'conv-wechat');
  typeInto(reply, UNSENT);
  reply.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
  await waitFor(() => (workspace.store?.getState().outbox.entries.size ?? 0) > 0, 'the reply in the outbox');
  typeInto(await composerOf(workspace, 'conv-chat'), DRAFT);
  // The page is hidden: drafts and the cache are written at once.
  window.dispatchEvent(new Event('pagehide'));
}

/** Waits until each of these stores of the desk's database holds records. */
async function deskStoresWritten(namespace: string, stores: readonly (typeof DESK_STORES)[number][]): Promise<void> {
  await until(async () => {
    await scanBrowserStorage();
    return stores.every((store) => (recordCounts.get(`indexedDB ${databaseName(namespace)}/${store}`) ?? 0) > 0);
  }, `${stores.join(', ')} written`);
}

async function deskDatabase(namespace: string): Promise<Map<string, string>> {
  const name = databaseName(namespace);
  // Written shortly after the page is hidden (each write seals its records first).
  let scan = new Map<string, string>();
  await until(async () => {
    scan = await scanBrowserStorage();
    const stores = [...scan.keys()].filter((place) => place.startsWith(`indexedDB ${name}/`));
    // Every store the scan vouches for must hold records, or a check of it proves nothing.
    return stores.length === DESK_STORES.length && DESK_STORES.every((store) => (recordCounts.get(`indexedDB ${name}/${store}`) ?? 0) > 0);
  }, 'every store written');
  // The email's thread is cached: its subject and HTML are there to be found (or not).
  await until(async () => {
    scan = await scanBrowserStorage();
    return (recordCounts.get(`indexedDB ${name}/messages`) ?? 0) >= 3;
  }, 'the three opened threads cached');
  return scan;
}

describe('storage hygiene: scans of what the desk leaves in the browser', () => {
  const opened: CcWorkspace[] = [];
  afterEach(() => {
    for (const workspace of opened.splice(0)) workspace.remove();
  });

  it('with a storage key, no store holds plaintext PII; without one the same scan finds it', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const namespace = `scan-${crypto.randomUUID()}`;
    const encrypted = await open(namespace, neverConfirming(new MemoryConnector({ seed: scanSeed, traffic: false })), key);
    opened.push(encrypted);
    await work(encrypted);
    const scan = await deskDatabase(namespace);
    const inThisDesk = (place: string): boolean => place.startsWith(`indexedDB ${databaseName(namespace)}/`);
    expect(findings(scan, seedPii(), inThisDesk), 'plaintext PII with encryption on').to.deep.equal([]);
    expect(findings(scan, [DRAFT, UNSENT, 'Ada Lovelace']), 'anywhere in the origin').to.deep.equal([]);
    encrypted.remove();

    // The control: the same desk without a key stores the same data in the clear.
    const clearNamespace = `scan-clear-${crypto.randomUUID()}`;
    const clear = await open(clearNamespace, neverConfirming(new MemoryConnector({ seed: scanSeed, traffic: false })));
    opened.push(clear);
    await work(clear);
    const clearScan = await deskDatabase(clearNamespace);
    const hits = findings(clearScan, seedPii(), (place) => place.startsWith(`indexedDB ${databaseName(clearNamespace)}/`));
    // Each kind of field, in the store that holds it: the scan would see it if it leaked.
    const store = (name: string): string => `indexedDB ${databaseName(clearNamespace)}/${name}`;
    expect(hits).to.include.members([
      `${store('customers')}: Ada Lovelace`,
      `${store('customers')}: Private: cust-ada is on medication`,
      `${store('conversations')}: Refund?`,
      `${store('messages')}: My order has not arrived.`,
      `${store('messages')}: Refund <b>now</b>`,
      `${store('messages')}: ${EMAIL_HTML}`,
      `${store('drafts')}: ${DRAFT}`,
      `${store('outbox')}: ${UNSENT}`,
    ]);
  });

  it('a reload with the key reads its own data back; clearLocalData() refuses while a reply is unsent, then deletes it all when forced', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const namespace = `logout-${crypto.randomUUID()}`;
    const first = await open(namespace, neverConfirming(new MemoryConnector({ seed: smallSeed, traffic: false })), key);
    opened.push(first);
    await work(first);
    await deskDatabase(namespace);
    first.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const second = await open(namespace, neverConfirming(new MemoryConnector({ seed: smallSeed, traffic: false })), key);
    opened.push(second);
    await waitFor(() => second.store?.getState().ui.drafts.get('conv-chat') === DRAFT, 'the draft restored and decrypted');
    await waitFor(() => (second.store?.getState().outbox.entries.size ?? 0) === 1, 'the unsent reply restored');

    const refusal = await second.clearLocalData().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).to.be.instanceOf(StorageError);
    expect((refusal as StorageError).reason).to.equal('unsent');
    expect((refusal as StorageError).message).to.match(/1 reply has not been confirmed/);
    expect(second.store, 'the desk keeps running').to.not.equal(undefined);

    await second.clearLocalData({ force: true });
    expect(second.store).to.equal(undefined);
    expect((await indexedDB.databases()).map((database) => database.name)).to.not.include(databaseName(namespace));
  });

  it('clearLocalData() does not delete a reply the agent sends while it counts the unsent ones', async () => {
    const namespace = `race-${crypto.randomUUID()}`;
    const workspace = await open(namespace, neverConfirming(new MemoryConnector({ seed: scanSeed, traffic: false })));
    opened.push(workspace);
    const reply = await composerOf(workspace, 'conv-wechat');
    // The stored outbox is counted behind a transaction the test holds; the reply is sent while that count waits.
    const release = await holdOutbox(databaseName(namespace));
    const clearing = workspace.clearLocalData().then(
      () => null,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    typeInto(reply, UNSENT);
    reply.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    expect(workspace.store?.getState().outbox.entries.size, 'the reply is held').to.equal(1);
    await release();
    const refusal = await clearing;
    expect(refusal, 'clearing refused').to.be.instanceOf(StorageError);
    expect((refusal as StorageError).reason).to.equal('unsent');
    expect(workspace.store, 'the desk keeps running').to.not.equal(undefined);
    await until(async () => {
      const scan = await scanBrowserStorage();
      return (scan.get(`indexedDB ${databaseName(namespace)}/outbox`) ?? '').includes(UNSENT);
    }, 'the reply kept in the stored outbox');
  });

  it('another desk on the same storage does not write it back after clearLocalData() deleted it', async () => {
    const namespace = `two-tabs-${crypto.randomUUID()}`;
    // The one the test types into first: the list shows rows only on screen.
    const staying = await open(namespace, new MemoryConnector({ seed: scanSeed, traffic: false }));
    opened.push(staying);
    const leaving = await open(namespace, new MemoryConnector({ seed: scanSeed, traffic: false }));
    opened.push(leaving);
    typeInto(await composerOf(staying, 'conv-chat'), 'first draft');
    window.dispatchEvent(new Event('pagehide'));
    await deskStoresWritten(namespace, ['drafts', 'conversations']);

    await leaving.clearLocalData();
    expect((await indexedDB.databases()).map((database) => database.name)).to.not.include(databaseName(namespace));
    // The other desk goes on in memory; what it does now is not written back into the browser.
    typeInto(await composerOf(staying, 'conv-chat'), DRAFT);
    window.dispatchEvent(new Event('pagehide'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(staying.store?.getState().ui.drafts.get('conv-chat')).to.equal(DRAFT);
    expect((await indexedDB.databases()).map((database) => database.name), 'the database stays deleted').to.not.include(databaseName(namespace));
  });

  it('a database written without a key and reopened with one is sealed whole, and its unsent reply is sent once', async () => {
    const namespace = `reseal-${crypto.randomUUID()}`;
    const before = await open(namespace, neverConfirming(new MemoryConnector({ seed: scanSeed, traffic: false })));
    opened.push(before);
    await work(before);
    await deskDatabase(namespace);
    const clientKeys: string[] = [];
    clientKeys.push(...(before.store?.getState().outbox.entries.keys() ?? []));
    expect(clientKeys).to.have.length(1);
    before.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const backend = new MemoryConnector({ seed: scanSeed, traffic: false });
    const sends: string[] = [];
    const after = await open(namespace, recordingSends(backend, sends), key);
    opened.push(after);
    await waitFor(() => after.store?.getState().ui.drafts.get('conv-chat') === DRAFT, 'the draft back');
    await waitFor(() => sends.length > 0 && after.store?.getState().outbox.entries.size === 0, 'the unsent reply sent and confirmed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sends, 'sent once, with its idempotency key').to.deep.equal(clientKeys);
    const thread = await backend.listMessages('conv-wechat', { limit: 50 });
    expect(thread.items.filter((message) => message.text === UNSENT)).to.have.length(1);

    window.dispatchEvent(new Event('pagehide'));
    await deskStoresWritten(namespace, ['conversations', 'messages', 'customers', 'drafts']);
    const scan = await scanBrowserStorage();
    const inThisDesk = (place: string): boolean => place.startsWith(`indexedDB ${databaseName(namespace)}/`);
    expect(findings(scan, seedPii(), inThisDesk), 'plaintext once the key is set').to.deep.equal([]);
  });

  it('on the reference server, the access token is stored nowhere the page can read', async function () {
    const server = (globalThis as { __CC_SERVER__?: unknown }).__CC_SERVER__;
    if (typeof server !== 'string') throw new Error('The reference server is not running (web-test-runner.config.mjs starts it).');
    const token = 'demo-token';
    const namespace = `token-${crypto.randomUUID()}`;
    const workspace = await open(namespace, new HttpConnector({ baseUrl: server, getToken: () => Promise.resolve(token) }));
    opened.push(workspace);
    const rows = inner(workspace, 'cc-conversation-list');
    const row = await waitFor(() => rows?.shadowRoot?.querySelector<HTMLElement>('[data-conversation-id]'), 'a conversation');
    row.click();
    typeInto(await waitFor(() => inner(workspace, 'cc-conversation')?.shadowRoot?.querySelector('textarea'), 'the composer'), 'a draft');
    window.dispatchEvent(new Event('pagehide'));
    let scan = new Map<string, string>();
    await until(async () => {
      scan = await scanBrowserStorage();
      return (scan.get(`indexedDB ${databaseName(namespace)}/conversations`) ?? '') !== '';
    }, 'the cache written');
    expect(findings(scan, [token, `Bearer ${token}`]), 'the token in browser storage').to.deep.equal([]);
  });
});
