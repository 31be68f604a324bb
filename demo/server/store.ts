/**
 * The reference server's database: SQLite (sql.js, compiled to WebAssembly, so nothing native to build) held in
 * memory and written to one file.
 *
 * - Entity tables hold every record the engine holds (agent, other agents, queues, customers, conversations,
 *   messages, tickets, articles, canned replies, open offers, article votes). They are kept up to date from the
 *   events the engine emits, which carry whole records.
 * - `events` is the event log (the last `retention` events of every stream) that `subscribe since` replays;
 *   `streams` holds the last sequence number of every stream.
 * - `idempotency` holds the first answer to every write key.
 *
 * Every change is one transaction, and the file is replaced atomically (written to a temporary file, flushed,
 * renamed) before {@link Store.commit} returns, so what the server answered is on disk and a process killed at
 * any moment restarts from the last committed write.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import initSqlJs from 'sql.js';
import type { Database, SqlValue } from 'sql.js';
import type { ConnectorEvent } from '../../src/connector/connector.js';
import type { Agent, Attachment, Message, WorkOffer } from '../../src/connector/model.js';
import type { ResolvedSeed, Seed } from '../../src/connector/memory/seed.js';

const SCHEMA = 'cc-workspace-reference-server/1';

/** Tables shaped (ord, id, json): `ord` keeps the order records were first stored in, which the engine's maps follow. */
const ENTITY_TABLES = ['agent', 'other_agents', 'queues', 'customers', 'conversations', 'tickets', 'articles', 'canned_replies', 'offers'] as const;
type EntityTable = (typeof ENTITY_TABLES)[number];

const SCHEMA_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
${ENTITY_TABLES.map((table) => `CREATE TABLE ${table} (ord INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, json TEXT NOT NULL);`).join('\n')}
CREATE TABLE messages (ord INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, conversation_id TEXT NOT NULL, json TEXT NOT NULL);
CREATE INDEX messages_by_conversation ON messages (conversation_id, ord);
CREATE TABLE article_votes (article_id TEXT NOT NULL, agent_id TEXT NOT NULL, helpful INTEGER NOT NULL, PRIMARY KEY (article_id, agent_id));
CREATE TABLE streams (stream TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
CREATE TABLE events (stream TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (stream, seq)) WITHOUT ROWID;
CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status INTEGER NOT NULL, body TEXT, created_at INTEGER NOT NULL);
CREATE INDEX idempotency_by_age ON idempotency (created_at);
`;

/** The first answer to a write, kept under its idempotency key. */
export interface IdempotencyRecord {
  readonly key: string;
  /** A hash of method, path and canonical body. */
  readonly fingerprint: string;
  readonly status: number;
  /** The JSON body as sent, or null for a body-less answer (204). */
  readonly body: string | null;
  readonly createdAt: number;
}

export interface ArticleVote {
  readonly articleId: string;
  readonly agentId: string;
  readonly helpful: boolean;
}

/** One transaction's worth of changes. */
export interface Change {
  readonly events?: readonly ConnectorEvent[];
  readonly idempotency?: IdempotencyRecord | null;
  readonly votes?: readonly ArticleVote[];
  /** Drops idempotency records created before this time. */
  readonly forgetKeysBefore?: number;
}

/** What the engine is rebuilt from. */
export interface StoredState {
  /** A seed in the JSON seed format (every timestamp absolute), as `validateSeed` accepts. */
  readonly seed: Seed;
  /** The last sequence number of every stream. */
  readonly sequences: Readonly<Record<string, number>>;
  /** Offers that were open when the server stopped. */
  readonly offers: readonly WorkOffer[];
  /** Messages still waiting for their delivery receipt (`delivery: "sent"`). */
  readonly undelivered: readonly Message[];
  readonly votes: readonly ArticleVote[];
}

export type ReplayResult = { readonly kind: 'events'; readonly events: readonly ConnectorEvent[] } | { readonly kind: 'too-old' };

export interface StoreOptions {
  /** Events kept per stream; default 10,000. */
  readonly retention?: number;
  /** fsync the file (and its folder) on every commit; default true. */
  readonly fsync?: boolean;
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** The database of one server process. Not shareable: the server holds a lock file next to it. */
export class Store {
  readonly path: string;
  readonly retention: number;
  private readonly fsync: boolean;
  private db: Database;
  private readonly lastSeq = new Map<string, number>();
  private closed = false;

  private constructor(path: string, db: Database, options: StoreOptions) {
    this.path = path;
    this.db = db;
    this.retention = Math.max(1, Math.floor(options.retention ?? 10_000));
    this.fsync = options.fsync ?? true;
    for (const [stream, seq] of this.rows('SELECT stream, last_seq FROM streams')) this.lastSeq.set(String(stream), Number(seq));
  }

  /**
   * Opens the database file, or creates it from `createSeed()` when it does not exist yet.
   * `created` says which happened.
   */
  static async open(path: string, createSeed: () => ResolvedSeed, options: StoreOptions = {}): Promise<{ store: Store; created: boolean }> {
    const SQL = await initSqlJs();
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      let db: Database;
      try {
        db = new SQL.Database(readFileSync(path));
        const schema = db.exec("SELECT value FROM meta WHERE key = 'schema'")[0]?.values[0]?.[0];
        if (schema !== SCHEMA) throw new StoreError(`it holds schema ${JSON.stringify(schema ?? null)}, not ${SCHEMA}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new StoreError(`The database ${path} cannot be opened: ${reason}. Move it away, or start with --reset to begin afresh.`);
      }
      return { store: new Store(path, db, options), created: false };
    }
    const seed = createSeed();
    const db = new SQL.Database();
    db.exec(SCHEMA_SQL);
    const store = new Store(path, db, options);
    store.initialize(seed);
    return { store, created: true };
  }

  // -------------------------------------------------------------------------------------------------------
  // Reading

  /** Everything the engine needs to continue where the last process stopped. */
  readState(): StoredState {
    const all = <T>(table: EntityTable): T[] => this.rows(`SELECT json FROM ${table} ORDER BY ord`).map(([json]) => JSON.parse(String(json)) as T);
    const [agent] = all<Agent>('agent');
    if (!agent) throw new StoreError(`The database ${this.path} holds no agent.`);
    const messages = this.rows('SELECT json FROM messages ORDER BY ord').map(([json]) => JSON.parse(String(json)) as Message);
    const [accessJson] = this.rows("SELECT value FROM meta WHERE key = 'access'")[0] ?? [];
    const access = accessJson === undefined ? null : (JSON.parse(String(accessJson)) as { roles: Seed['roles']; agentRole: string | null });
    const seed: Seed = {
      version: 1,
      agent: {
        id: agent.id,
        name: agent.name,
        presence: agent.presence,
        capacity: agent.capacity.map(({ channel, max }) => ({ channel, max })),
        queues: [...agent.queues],
        ...(access?.agentRole ? { role: access.agentRole } : {}),
      },
      agents: all('other_agents'),
      ...(access?.roles ? { roles: access.roles } : {}),
      queues: all('queues'),
      customers: all('customers'),
      conversations: all('conversations'),
      messages: messages.map(toSeedMessage),
      tickets: all('tickets'),
      articles: all('articles'),
      cannedReplies: all('canned_replies'),
    };
    const votes = this.rows('SELECT article_id, agent_id, helpful FROM article_votes ORDER BY article_id, agent_id').map(
      ([articleId, agentId, helpful]) => ({ articleId: String(articleId), agentId: String(agentId), helpful: helpful === 1 }),
    );
    return {
      seed,
      sequences: this.sequences(),
      offers: all<WorkOffer>('offers'),
      undelivered: messages.filter((message) => message.delivery === 'sent'),
      votes,
    };
  }

  /** The last sequence number of every stream that has had an event. */
  sequences(): Record<string, number> {
    return Object.fromEntries(this.lastSeq);
  }

  lastSequence(stream: string): number {
    return this.lastSeq.get(stream) ?? 0;
  }

  /** The seq of the oldest event of `stream` the log holds; `lastSequence + 1` when it holds none. */
  firstRetained(stream: string): number {
    const oldest = this.rows('SELECT MIN(seq) FROM events WHERE stream = ?', [stream])[0]?.[0];
    return typeof oldest === 'number' ? oldest : this.lastSequence(stream) + 1;
  }

  /** The events of `stream` after `since`, or `too-old` when the log no longer holds the one right after it. */
  replay(stream: string, since: number): ReplayResult {
    const last = this.lastSequence(stream);
    if (since === last) return { kind: 'events', events: [] };
    // A client ahead of the server holds another history (a reset database, say): it must resync too.
    if (since > last) return { kind: 'too-old' };
    const oldest = Number(this.rows('SELECT MIN(seq) FROM events WHERE stream = ?', [stream])[0]?.[0] ?? Number.NaN);
    if (!(oldest <= since + 1)) return { kind: 'too-old' };
    const events = this.rows('SELECT json FROM events WHERE stream = ? AND seq > ? ORDER BY seq', [stream, since]).map(
      ([json]) => JSON.parse(String(json)) as ConnectorEvent,
    );
    return { kind: 'events', events };
  }

  /** The open work offers, oldest first. */
  openOffers(): WorkOffer[] {
    return this.rows('SELECT json FROM offers ORDER BY ord').map(([json]) => JSON.parse(String(json)) as WorkOffer);
  }

  /** Conversations waiting, unassigned, in a queue, oldest first. */
  queuedConversationIds(): string[] {
    return this.rows(
      "SELECT id FROM conversations WHERE json_extract(json, '$.status') = 'queued' AND json_extract(json, '$.assigneeId') IS NULL ORDER BY ord",
    ).map(([id]) => String(id));
  }

  idempotency(key: string): IdempotencyRecord | null {
    const row = this.rows('SELECT fingerprint, status, body, created_at FROM idempotency WHERE key = ?', [key])[0];
    if (!row) return null;
    const [fingerprint, status, body, createdAt] = row;
    return { key, fingerprint: String(fingerprint), status: Number(status), body: body === null ? null : String(body), createdAt: Number(createdAt) };
  }

  /** Row counts, for the start-up line and the tests. */
  counts(): Record<string, number> {
    const count = (table: string): number => Number(this.rows(`SELECT COUNT(*) FROM ${table}`)[0]?.[0] ?? 0);
    return {
      conversations: count('conversations'),
      messages: count('messages'),
      customers: count('customers'),
      tickets: count('tickets'),
      events: count('events'),
      idempotencyKeys: count('idempotency'),
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Writing

  /** Applies a change in one transaction and writes the file before returning. Throws when either fails. */
  commit(change: Change): void {
    this.requireOpen();
    const events = change.events ?? [];
    const touched = new Set<string>();
    this.db.exec('BEGIN');
    try {
      for (const event of events) {
        this.applyEvent(event);
        touched.add(event.stream);
      }
      for (const stream of touched) {
        const last = this.lastSequence(stream);
        this.db.run('INSERT INTO streams (stream, last_seq) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET last_seq = excluded.last_seq', [stream, last]);
        this.db.run('DELETE FROM events WHERE stream = ? AND seq <= ?', [stream, last - this.retention]);
      }
      const record = change.idempotency;
      if (record) {
        this.db.run('INSERT INTO idempotency (key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?)', [
          record.key,
          record.fingerprint,
          record.status,
          record.body,
          record.createdAt,
        ]);
      }
      for (const vote of change.votes ?? []) {
        this.db.run(
          'INSERT INTO article_votes (article_id, agent_id, helpful) VALUES (?, ?, ?) ON CONFLICT (article_id, agent_id) DO UPDATE SET helpful = excluded.helpful',
          [vote.articleId, vote.agentId, vote.helpful ? 1 : 0],
        );
      }
      if (change.forgetKeysBefore !== undefined) this.db.run('DELETE FROM idempotency WHERE created_at < ?', [change.forgetKeysBefore]);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      // The in-memory sequence numbers went ahead with the rolled-back events: read them back.
      this.lastSeq.clear();
      for (const [stream, seq] of this.rows('SELECT stream, last_seq FROM streams')) this.lastSeq.set(String(stream), Number(seq));
      throw error;
    }
    this.writeFile();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  // -------------------------------------------------------------------------------------------------------

  private initialize(seed: ResolvedSeed): void {
    this.db.exec('BEGIN');
    try {
      this.db.run('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)', ['schema', SCHEMA, 'createdAt', String(Date.now())]);
      // Roles are configuration, not entities: kept as the seed gave them, with the signed-in agent's role.
      this.db.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['access', JSON.stringify({ roles: seed.roles, agentRole: seed.agent.role ?? null })]);
      this.upsert('agent', seed.agent.id, seed.agent);
      for (const other of seed.agents) this.upsert('other_agents', other.id, other);
      for (const queue of seed.queues) this.upsert('queues', queue.id, queue);
      for (const customer of seed.customers) this.upsert('customers', customer.id, customer);
      for (const conversation of seed.conversations) this.upsert('conversations', conversation.id, conversation);
      for (const message of seed.messages) this.upsertMessage(message);
      for (const ticket of seed.tickets) this.upsert('tickets', ticket.id, ticket);
      for (const article of seed.articles) this.upsert('articles', article.id, article);
      for (const reply of seed.cannedReplies) this.upsert('canned_replies', reply.id, reply);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    this.writeFile();
  }

  private applyEvent(event: ConnectorEvent): void {
    const expected = this.lastSequence(event.stream) + 1;
    if (event.seq !== expected) {
      throw new StoreError(`Event ${event.type} on stream "${event.stream}" has seq ${event.seq}; the log expects ${expected}.`);
    }
    this.lastSeq.set(event.stream, event.seq);
    this.db.run('INSERT INTO events (stream, seq, at, json) VALUES (?, ?, ?, ?)', [event.stream, event.seq, event.at, JSON.stringify(event)]);
    switch (event.type) {
      case 'agent.updated':
        this.upsert('agent', event.agent.id, event.agent);
        break;
      case 'conversation.upserted':
        this.upsert('conversations', event.conversation.id, event.conversation);
        break;
      case 'conversation.removed':
        this.db.run('DELETE FROM conversations WHERE id = ?', [event.conversationId]);
        this.db.run('DELETE FROM messages WHERE conversation_id = ?', [event.conversationId]);
        break;
      case 'message.added':
      case 'message.updated':
        this.upsertMessage(event.message);
        break;
      case 'offer.created':
        this.upsert('offers', event.offer.id, event.offer);
        break;
      case 'offer.revoked':
        this.db.run('DELETE FROM offers WHERE id = ?', [event.offerId]);
        break;
      case 'customer.updated':
        this.upsert('customers', event.customer.id, event.customer);
        break;
      case 'customer.merged':
        this.db.run('DELETE FROM customers WHERE id = ?', [event.sourceId]);
        break;
      case 'ticket.upserted':
        this.upsert('tickets', event.ticket.id, event.ticket);
        break;
      case 'ticket.commented':
        // The ticket.upserted that follows carries the whole ticket, comments included.
        break;
    }
  }

  private upsert(table: EntityTable, id: string, record: unknown): void {
    this.db.run(`INSERT INTO ${table} (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json`, [id, JSON.stringify(record)]);
  }

  private upsertMessage(message: Message): void {
    this.db.run(
      'INSERT INTO messages (id, conversation_id, json) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET conversation_id = excluded.conversation_id, json = excluded.json',
      [message.id, message.conversationId, JSON.stringify(message)],
    );
  }

  /** Replaces the file atomically: a reader (or a restart after a crash) sees the old file or the new one, never half. */
  private writeFile(): void {
    const bytes = this.db.export();
    const temporary = `${this.path}.tmp-${process.pid}`;
    const fd = openSync(temporary, 'w');
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      if (this.fsync) fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    renameSync(temporary, this.path);
    if (this.fsync) {
      try {
        const folder = openSync(dirname(this.path), 'r');
        try {
          fsyncSync(folder);
        } finally {
          closeSync(folder);
        }
      } catch {
        // Some file systems cannot fsync a folder; the rename is still atomic.
      }
    }
  }

  private rows(sql: string, params: SqlValue[] = []): SqlValue[][] {
    this.requireOpen();
    return this.db.exec(sql, params)[0]?.values ?? [];
  }

  private requireOpen(): void {
    if (this.closed) throw new StoreError('The database is closed.');
  }
}

/**
 * A stored message as the seed format reads it. The engine takes a few attachment values the seed format
 * refuses (an empty id, MIME type or URL, a fractional size); they are filled in so the database always loads.
 */
function toSeedMessage(message: Message): Message {
  if (message.attachments.length === 0) return message;
  const attachments = message.attachments.map(
    (attachment, index): Attachment => ({
      id: attachment.id.trim() === '' ? `${message.id}-a${index + 1}` : attachment.id,
      name: attachment.name,
      mimeType: attachment.mimeType.trim() === '' ? 'application/octet-stream' : attachment.mimeType,
      size: Math.max(0, Math.round(attachment.size)),
      url: attachment.url.trim() === '' ? 'about:blank' : attachment.url,
    }),
  );
  return { ...message, attachments };
}
