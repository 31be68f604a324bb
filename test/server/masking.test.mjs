// The reference server masks PII at the source for a token whose role lacks view-pii, in answers and on the socket,
// enforces permissions per token, and reveals one identity on request to a role that may.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import initSqlJs from 'sql.js';
import { api, openSocket, startServer, temporaryFolder } from './helpers.mjs';

const AGENT = 'agent-token';
const TRAINEE = 'trainee-token';
/** A demo-seed customer with a phone, an email, a WeChat id and a member id. */
const CUSTOMER = 'c-036';
const MASKED_KINDS = new Set(['phone', 'email', 'wechat', 'douyin', 'member']);

describe('reference server: permissions and masking', { timeout: 120_000 }, () => {
  let folder;
  let server;
  let base;
  /** Every identity value of a masked kind the demo seed holds, as the supervisor (the seed agent) reads them. */
  let clearValues;

  before(async () => {
    folder = temporaryFolder();
    server = await startServer({ db: `${folder.path}/db.sqlite`, args: ['--role-token', `agent:${AGENT}`, '--role-token', `trainee:${TRAINEE}`] });
    base = server.baseUrl;
    const customers = [];
    for (let index = 1; index <= 40; index += 1) {
      const { status, body } = await api(base, 'GET', `/customers/c-${String(index).padStart(3, '0')}`);
      if (status === 200) customers.push(body);
    }
    clearValues = customers.flatMap((customer) => customer.identities.filter((identity) => MASKED_KINDS.has(identity.kind)).map((identity) => identity.value));
  });

  after(async () => {
    const exit = await server?.stop();
    folder?.remove();
    assert.deepEqual(exit, { code: 0, signal: null });
  });

  const leaks = (value) => {
    const text = JSON.stringify(value);
    return clearValues.filter((clear) => text.includes(clear));
  };

  test('each token reports its role’s permissions', async () => {
    assert.equal((await api(base, 'GET', '/session')).body.agent.permissions.includes('view-pii'), true);
    assert.deepEqual((await api(base, 'GET', '/session', { token: AGENT })).body.agent.permissions, [
      'reveal-pii',
      'edit-customer',
      'edit-tickets',
      'transfer-conversations',
      'use-phone',
      'record-calls',
    ]);
    assert.deepEqual((await api(base, 'GET', '/agent', { token: TRAINEE })).body.permissions, ['use-phone']);
  });

  test('answers carry no clear identity for a role without view-pii; the supervisor’s do (the scan can fail)', async () => {
    assert.ok(clearValues.length > 40, `the demo seed holds many identities (${clearValues.length})`);
    const paths = ['/snapshot', `/customers/${CUSTOMER}`, `/customers/${CUSTOMER}/duplicates`, `/customers/${CUSTOMER}/conversations`, '/conversations?limit=200'];
    const supervisor = await Promise.all(paths.map((path) => api(base, 'GET', path)));
    assert.ok(leaks(supervisor.map((answer) => answer.body)).length > 10);
    for (const token of [AGENT, TRAINEE]) {
      const answers = await Promise.all(paths.map((path) => api(base, 'GET', path, { token })));
      for (const answer of answers) assert.equal(answer.status, 200);
      assert.deepEqual(leaks(answers.map((answer) => answer.body)), [], `token ${token}`);
    }
    const customer = (await api(base, 'GET', `/customers/${CUSTOMER}`, { token: AGENT })).body;
    assert.deepEqual(
      customer.identities.map((identity) => identity.value),
      ['+86 158 **** 1313', 'y***@example.cn', 'wx************ip', 'M-****11'],
    );
  });

  test('a search by a clear phone number still finds the customer, masked', async () => {
    const { status, body } = await api(base, 'GET', '/customers?kind=phone&value=15820001313', { token: AGENT });
    assert.equal(status, 200);
    assert.deepEqual(body.map((match) => match.id), [CUSTOMER]);
    assert.deepEqual(leaks(body), []);
  });

  test('reveal: the clear value for reveal-pii, 403 forbidden without it', async () => {
    const masked = (await api(base, 'GET', `/customers/${CUSTOMER}`, { token: AGENT })).body.identities[0];
    const revealed = await api(base, 'POST', `/customers/${CUSTOMER}/reveal`, { token: AGENT, key: 'reveal-1', body: masked });
    assert.equal(revealed.status, 200);
    assert.deepEqual(revealed.body, { kind: 'phone', value: '+86 158 2000 1313' });
    const refused = await api(base, 'POST', `/customers/${CUSTOMER}/reveal`, { token: TRAINEE, key: 'reveal-2', body: masked });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
  });

  test('idempotency keys are the caller’s: a reveal is never replayed to another role, never stored, and audited on every answer', async () => {
    const masked = (await api(base, 'GET', `/customers/${CUSTOMER}`, { token: AGENT })).body.identities[1];
    const audits = () => (server.stderr().match(new RegExp(`Audit: \\S+ revealed the email of customer ${CUSTOMER}`, 'g')) ?? []).length;
    const before = audits();
    const first = await api(base, 'POST', `/customers/${CUSTOMER}/reveal`, { token: AGENT, key: 'shared-reveal', body: masked });
    assert.deepEqual(first.body, { kind: 'email', value: 'yangfan@example.cn' });
    // The same key from a token whose role may not reveal: its own request, refused (not the agent's stored answer).
    const other = await api(base, 'POST', `/customers/${CUSTOMER}/reveal`, { token: TRAINEE, key: 'shared-reveal', body: masked });
    assert.equal(other.status, 403);
    assert.deepEqual(leaks(other.body), []);
    // The agent's own retry gets the value again, and the audit trail says so again.
    const replay = await api(base, 'POST', `/customers/${CUSTOMER}/reveal`, { token: AGENT, key: 'shared-reveal', body: masked });
    assert.deepEqual(replay.body, first.body);
    assert.equal(audits() - before, 2, 'one audit line per answer that carried the clear value');
    // The database keeps the reveal's status under the key, never the revealed value.
    const SQL = await initSqlJs();
    const db = new SQL.Database(readFileSync(`${folder.path}/db.sqlite`));
    const rows = db.exec('SELECT key, status, body FROM idempotency')[0]?.values ?? [];
    db.close();
    const reveals = rows.filter(([key]) => String(key).endsWith('shared-reveal'));
    assert.equal(reveals.length, 2, 'one record per caller');
    for (const [, , body] of reveals) assert.equal(String(body).includes('yangfan@example.cn'), false);
  });

  test('a write by one role is not answered to another under the same key', async () => {
    const update = await api(base, 'PATCH', `/customers/${CUSTOMER}`, { token: 'demo-token', key: 'shared-patch', body: { notes: 'Prefers yangfan@example.cn' } });
    assert.equal(update.status, 200);
    assert.equal(JSON.stringify(update.body).includes('yangfan@example.cn'), true);
    const other = await api(base, 'PATCH', `/customers/${CUSTOMER}`, { token: AGENT, key: 'shared-patch', body: { notes: 'Prefers yangfan@example.cn' } });
    assert.equal(other.status, 200);
    assert.equal(JSON.stringify(other.body).includes('yangfan@example.cn'), false, 'the agent’s answer is masked, not the supervisor’s replayed');
  });

  test('commands the role lacks are 403 forbidden', async () => {
    const attempts = [
      ['PATCH', `/customers/${CUSTOMER}`, { tags: ['x'] }],
      ['POST', '/tickets', { customerId: CUSTOMER, subject: 'x', description: '' }],
      ['POST', `/customers/${CUSTOMER}/merge`, { sourceId: 'c-001' }],
    ];
    for (const [method, path, body] of attempts) {
      const { status, body: answer } = await api(base, method, path, { token: TRAINEE, key: `deny-${path}-${method}`, body });
      assert.equal(status, 403, `${method} ${path}`);
      assert.equal(answer.error.code, 'forbidden');
    }
    assert.equal((await api(base, 'GET', '/telephony', { token: TRAINEE })).status, 200);
  });

  test('events on the socket are masked per token', async () => {
    const url = `${base.replace(/^http/, 'ws')}/events`;
    const sockets = {};
    for (const token of ['demo-token', AGENT]) {
      const socket = await openSocket(url);
      socket.send({ type: 'auth', token });
      socket.send({ type: 'subscribe' });
      sockets[token] = socket;
    }
    const update = await api(base, 'PATCH', `/customers/${CUSTOMER}`, { token: AGENT, key: 'tags-1', body: { tags: ['VIP', 'audited'] } });
    assert.equal(update.status, 200);
    assert.deepEqual(leaks(update.body), []);
    const isUpdate = (message) => message.type === 'event' && message.event.type === 'customer.updated' && message.event.customer.tags.includes('audited');
    const clear = await sockets['demo-token'].next(isUpdate);
    const masked = await sockets[AGENT].next(isUpdate);
    assert.ok(leaks(clear).length >= 3, 'the supervisor’s socket carries the clear identities');
    assert.deepEqual(leaks(masked), []);
    // Replayed history (subscribe without since) is masked too.
    assert.deepEqual(leaks(sockets[AGENT].events()), []);
    for (const socket of Object.values(sockets)) socket.close();
  });
});
