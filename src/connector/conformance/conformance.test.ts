import { expect } from '@esm-bundle/chai';
import { MemoryConnector } from '../memory/memory-connector.js';
import type { Connector } from '../connector.js';
import {
  CONFORMANCE_CHECKS,
  checkConnectorConformance,
  formatConformanceReport,
  runConnectorConformance,
  type ConformanceOptions,
  type ConformanceReport,
  type ConnectorFactory,
} from './index.js';
import {
  abortAfterWriteConnector,
  abortIgnoringConnector,
  createMemoryConnector,
  createMemoryConnectorWithOffers,
  foreignErrorClassConnector,
  idempotencyIgnoringConnector,
  midFlightAbortAfterWriteConnector,
  midFlightAbortIgnoringConnector,
  neverSettlingConnector,
  permissionDroppingConnector,
  phantomConversationConnector,
  plainErrorConnector,
  repeatingPageConnector,
  revealAnythingConnector,
  silentOfferAcceptConnector,
  skippingSequenceConnector,
  staleMergeSourceConnector,
  unknownPermissionConnector,
  unmaskedProfileConnector,
} from '../../../test/fakes/broken-connectors.js';
import type { Seed } from '../memory/seed.js';

// The suite as a connector author runs it: one test per check, on the shipped in-memory backend (whose agent
// is offered two conversations on connecting, so the work-offer checks have offers to accept and decline).
runConnectorConformance(() => createMemoryConnectorWithOffers());

// Passing describe/it explicitly, as node:test users do; without tickets every ticket check is skipped.
runConnectorConformance(() => new MemoryConnector({ capabilities: { tickets: false } }), {
  describe,
  it,
  title: 'connector conformance without tickets',
  only: ['tickets'],
});

// Sessions of restricted roles of the demo seed take the other paths of the access checks: an agent who sees PII
// masked and may reveal it, and a trainee who may do neither (and may not record calls).
runConnectorConformance(() => createMemoryConnector({ role: 'agent' }), { describe, it, title: 'connector conformance, a role that sees PII masked', only: ['access', 'lifecycle › getTelephonyConfig agrees with capabilities.telephony'] });
runConnectorConformance(() => createMemoryConnector({ role: 'trainee' }), { describe, it, title: 'connector conformance, a role that may not reveal', only: ['access'] });

/** Runs the whole suite and asserts that exactly the named checks fail, each with a message matching its pattern. */
async function expectFailures(
  createConnector: ConnectorFactory,
  expected: Readonly<Record<string, RegExp>>,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const report = await checkConnectorConformance(createConnector, options);
  const failed = report.results.filter((result) => result.status === 'failed');
  expect(failed.map((result) => result.id).sort(), formatConformanceReport(report)).to.deep.equal(Object.keys(expected).sort());
  for (const [id, pattern] of Object.entries(expected)) {
    const result = report.results.find((candidate) => candidate.id === id);
    expect(result?.error, id).to.match(pattern);
  }
  expect(report.totals.passed, formatConformanceReport(report)).to.be.greaterThan(CONFORMANCE_CHECKS.length / 2);
  return report;
}

describe('checkConnectorConformance', function () {
  this.timeout(120_000);

  it('reports every check passed on the MemoryConnector', async () => {
    const report = await checkConnectorConformance(() => createMemoryConnectorWithOffers());
    expect(report.totals.failed, formatConformanceReport(report)).to.equal(0);
    expect(report.ok).to.equal(true);
    expect(report.totals.total).to.equal(CONFORMANCE_CHECKS.length);
    expect(report.totals.skipped, formatConformanceReport(report)).to.equal(0);
    for (const result of report.results) expect(result.id).to.equal(`${result.group} › ${result.name}`);
  });

  it('passes a MemoryConnector with 20 ms of latency, where aborts arrive while commands are in flight', async () => {
    const report = await checkConnectorConformance(() => createMemoryConnectorWithOffers({ latencyMs: 20 }));
    expect(report.totals.failed, formatConformanceReport(report)).to.equal(0);
    expect(report.totals.skipped, formatConformanceReport(report)).to.equal(0);
  });

  it('skips the offer checks with the reason when snapshot() holds no offer, and still checks unknown offers', async () => {
    const report = await checkConnectorConformance(() => createMemoryConnector(), { only: ['work offers'] });
    const statuses = Object.fromEntries(report.results.map((result) => [result.name, result.status]));
    expect(statuses).to.deep.equal({
      'acceptOffer assigns the conversation to the agent and revokes the offer': 'skipped',
      'declineOffer revokes the offer': 'skipped',
      'an unknown offer cannot be accepted or declined (not-found)': 'passed',
    });
    for (const result of report.results.filter((entry) => entry.status === 'skipped')) {
      expect(result.reason).to.match(/^snapshot\(\)\.offers is empty, so there is no work offer to (accept|decline); have the backend offer the agent a conversation/);
    }
  });

  it('skips the merge check with the reason when no customer has a duplicate candidate', async () => {
    const seed: Seed = {
      version: 1,
      agent: { id: 'a-1', name: 'Lin', queues: ['q-1'] },
      queues: [{ id: 'q-1', name: 'General' }],
      customers: [
        { id: 'c-ada', name: 'Ada Lovelace', identities: [{ kind: 'email', value: 'ada@example.com' }] },
        { id: 'c-bob', name: 'Bob Stone', identities: [{ kind: 'phone', value: '+44 20 7946 0018' }] },
      ],
      conversations: [
        { id: 'conv-1', channel: 'webchat', customerId: 'c-ada', status: 'open', assigneeId: 'a-1', queueId: 'q-1' },
        { id: 'conv-2', channel: 'sms', customerId: 'c-bob', queueId: 'q-1' },
      ],
      messages: [{ conversationId: 'conv-1', direction: 'inbound', text: 'Hello', sentAt: '-1m' }],
    };
    const report = await checkConnectorConformance(() => createMemoryConnector({ seed }), {
      only: ['customers › mergeCustomers moves the identities and conversations of a duplicate to the target', 'customers › merging a customer into itself is invalid'],
    });
    expect(report.results.map((result) => result.status)).to.deep.equal(['skipped', 'passed']);
    expect(report.results[0]?.reason).to.equal(
      'listDuplicateCandidates returned no candidate for the customers of 2 conversations, so there is no pair of duplicates to merge; ' +
        'seed two profiles that share a phone number or an email address (see docs/connector-guide.md)',
    );
  });

  it('reports checks of a capability the connector lacks as skipped, with the reason', async () => {
    const report = await checkConnectorConformance(() => createMemoryConnector({ capabilities: { tickets: false, knowledge: false } }), {
      only: ['tickets', 'knowledge'],
    });
    expect(report.results.length).to.be.greaterThan(3);
    for (const result of report.results) {
      expect(result.status, result.id).to.equal('skipped');
      expect(result.reason).to.match(/^capabilities\.(tickets|knowledge) is false$/);
    }
    expect(report.ok).to.equal(false);
  });

  it('accepts a ConnectorError from another bundle by its name and code', async () => {
    const report = await checkConnectorConformance(foreignErrorClassConnector);
    expect(report.totals.failed, formatConformanceReport(report)).to.equal(0);
  });

  it('runs only the checks selected by id, group or name', async () => {
    const report = await checkConnectorConformance(() => createMemoryConnector(), {
      only: ['lifecycle', 'agent › getAgent returns the session agent', 'limit 0 is rejected as invalid'],
    });
    const lifecycleChecks = CONFORMANCE_CHECKS.filter((check) => check.group === 'lifecycle').length;
    expect(report.results.map((result) => result.id)).to.include.members([
      'agent › getAgent returns the session agent',
      'conversations › limit 0 is rejected as invalid',
    ]);
    expect(report.totals.total).to.equal(lifecycleChecks + 2);
  });

  it('never throws: a factory that throws fails each check with the cause', async () => {
    const report = await checkConnectorConformance(
      () => {
        throw new Error('no backend configured');
      },
      { only: ['lifecycle'] },
    );
    expect(report.totals.failed).to.equal(report.totals.total);
    for (const result of report.results) expect(result.error).to.contain('createConnector()').and.contain('no backend configured');
  });
});

describe('checkConnectorConformance on broken connectors', function () {
  this.timeout(120_000);

  it('names the stream and the gap when sequence numbers skip', async () => {
    await expectFailures(skippingSequenceConnector, {
      'events › every stream counts up by exactly 1 across a burst of writes': /stream "\w+": seq jumped from \d+ to \d+ \(expected \d+\)/,
    });
  });

  it('names the conversation returned on two pages', async () => {
    await expectFailures(repeatingPageConnector, {
      'conversations › paging returns every conversation once': /^conversations › paging returns every conversation once: conversation "[^"]+" was returned on two pages \(page \d+ and page \d+, cursor "[^"]*"\)/,
    });
  });

  it('reports a write that ignored an aborted signal', async () => {
    await expectFailures(abortIgnoringConnector, {
      'abort › a pre-aborted sendMessage rejects with aborted and writes nothing': /expected a rejection with code "aborted", but it resolved with \{/,
    });
  });

  it('reports a write made although the command rejected as aborted', async () => {
    await expectFailures(abortAfterWriteConnector, {
      'abort › a pre-aborted sendMessage rejects with aborted and writes nothing': /rejected as aborted but the message was written anyway/,
    });
  });

  it('reports a read that ignores an abort arriving while it is in flight', async () => {
    const report = await expectFailures(midFlightAbortIgnoringConnector, {
      'abort › a read aborted while in flight rejects with aborted':
        /^abort › a read aborted while in flight rejects with aborted: getAgent\(\{ signal \}\) aborted on the next task \(setTimeout 0\) after the call: the abort arrived while the command was still in flight, but the connector ignored it and resolved \d+ ms later; a command aborted in flight must reject with a ConnectorError whose code is "aborted"/,
    });
    // Resolving a write after a late abort is allowed (it may have been committed), as long as it wrote once.
    expect(report.results.find((result) => result.name === 'a sendMessage aborted while in flight writes at most once, and a retry with its key completes it')?.status).to.equal('passed');
  });

  it('reports a write that an aborted attempt and its retry stored twice', async () => {
    await expectFailures(midFlightAbortAfterWriteConnector, {
      'abort › a sendMessage aborted while in flight writes at most once, and a retry with its key completes it':
        /copies in listMessages\("[^"]+"\) after sendMessage.* rejected as aborted and was retried with the same idempotencyKey/,
    });
  });

  it('reports an accepted offer whose offer.revoked event never arrives', async () => {
    // A shorter check timeout, so the wait for the missing event (half of it) is short too.
    await expectFailures(
      silentOfferAcceptConnector,
      {
        'work offers › acceptOffer assigns the conversation to the agent and revokes the offer':
          /expected an offer\.revoked event for the accepted offer "offer-\d+" within 1500 ms, but none arrived \(events\$ delivered/,
      },
      { timeoutMs: 3000 },
    );
  });

  it('reports a merged source that getCustomer still returns', async () => {
    await expectFailures(staleMergeSourceConnector, {
      'customers › mergeCustomers moves the identities and conversations of a duplicate to the target':
        /getCustomer\("c-\d+"\) after mergeCustomers\("c-\d+", "c-\d+"\): expected a rejection with code "not-found", but it resolved with \{/,
    });
  });

  it('reports a plain Error where a ConnectorError belongs', async () => {
    await expectFailures(plainErrorConnector, {
      'errors › unknown ids reject with not-found naming the id': /getCustomer\("missing-[^"]+"\) rejected with a plain Error \("No customer missing-[^"]+"\), not a ConnectorError/,
      // The merged source is an unknown id too.
      'customers › mergeCustomers moves the identities and conversations of a duplicate to the target': /getCustomer\("c-\d+"\) after mergeCustomers\("c-\d+", "c-\d+"\) rejected with a plain Error \("No customer c-\d+"\), not a ConnectorError/,
    });
  });

  it('reports getConversation answering for an unknown id', async () => {
    await expectFailures(phantomConversationConnector, {
      'conversations › getConversation of an unknown id rejects with not-found naming the id': /getConversation\("missing-conversation-[^"]+"\): expected a rejection with code "not-found", but it resolved with \{"id":"missing-conversation-/,
    });
  });

  it('reports a reveal of an identity the customer does not have', async () => {
    await expectFailures(revealAnythingConnector, {
      'access › revealIdentity rejects an identity the customer does not have (not-found)':
        /revealIdentity\("[^"]+", \{"kind":"email","value":"nobody-[^"]+@example\.invalid"\}\) of an identity nobody has: expected a rejection with code "not-found", but it resolved/,
    });
  });

  it('reports agent.updated events that leave the permissions out', async () => {
    await expectFailures(permissionDroppingConnector, {
      'access › agent.permissions, when present, lists only known permissions, the same everywhere the agent is reported':
        /the agent\.updated event's agent after setPresence\("\w[\w-]*"\)\.permissions \(the session's agent reported \["view-pii",.*\]; absent means every permission\): expected \[.*\], received undefined/,
    });
  });

  it('reports a profile read that holds a clear identity for a role that sees PII masked', async () => {
    const report = await checkConnectorConformance(unmaskedProfileConnector, { only: ['access'] });
    const failed = report.results.filter((result) => result.status === 'failed');
    expect(failed.map((result) => result.name), formatConformanceReport(report)).to.deep.equal(['revealIdentity returns the clear value of an identity the customer has']);
    expect(failed[0]?.error).to.match(
      /revealIdentity\("[^"]+", \{"kind":"\w+","value":"[^"*]+"\}\) returned the value getCustomer\("[^"]+"\) had already given, so it came in clear; an agent whose permissions lack "view-pii" must receive \w+ identities masked$/,
    );
  });

  it('reports a permission the contract does not know', async () => {
    const report = await checkConnectorConformance(unknownPermissionConnector, { only: ['access'] });
    expect(report.results.filter((result) => result.status === 'failed').map((result) => result.error)).to.deep.equal([
      'access › agent.permissions, when present, lists only known permissions, the same everywhere the agent is reported: connect() session.agent.permissions[8]: ' +
        'expected one of "view-pii", "reveal-pii", "edit-customer", "merge-customers", "edit-tickets", "transfer-conversations", "use-phone", "record-calls", received "view-pi"',
    ]);
  });

  it('reports a send that ignores its idempotency key', async () => {
    await expectFailures(idempotencyIgnoringConnector, {
      'idempotency › the same key twice returns the same message and one message.added': /clientKey of a message sent with an idempotencyKey: expected "key-[^"]+", received null/,
      'idempotency › concurrent sends with the same key write once': /id of the message returned for two concurrent sends with idempotencyKey "key-[^"]+" \(the first returned "[^"]+"\): expected "[^"]+", received "[^"]+"/,
      'idempotency › the same key with a different body is a conflict': /expected a rejection with code "conflict", but it resolved/,
    });
  });

  it('fails a connector that never answers with a timeout naming the pending call', async () => {
    const report = await checkConnectorConformance(neverSettlingConnector, {
      timeoutMs: 300,
      only: ['lifecycle › connect emits connecting then connected', 'agent › getAgent returns the session agent'],
    });
    expect(report.results.map((result) => result.status)).to.deep.equal(['failed', 'failed']);
    expect(report.results[0]?.error).to.equal(
      'lifecycle › connect emits connecting then connected: did not settle within 300 ms (still waiting for connector.connect())',
    );
    expect(report.results[1]?.error).to.equal('agent › getAgent returns the session agent: did not settle within 300 ms (still waiting for connector.connect())');
  });
});

describe('runConnectorConformance', () => {
  it('explains how to pass describe and it when the framework has no globals', () => {
    const globals = globalThis as unknown as { describe?: unknown };
    const saved = globals.describe;
    globals.describe = undefined;
    try {
      expect(() => runConnectorConformance((): Connector => createMemoryConnector())).to.throw(/describe is not defined on globalThis.*\{ describe, it \}/);
    } finally {
      globals.describe = saved;
    }
  });
});
