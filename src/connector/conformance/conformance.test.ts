import { expect } from '@esm-bundle/chai';
import { MemoryConnector } from '../memory/memory-connector.js';
import type { Connector } from '../connector.js';
import {
  CONFORMANCE_CHECKS,
  checkConnectorConformance,
  formatConformanceReport,
  runConnectorConformance,
  type ConformanceReport,
  type ConnectorFactory,
} from './index.js';
import {
  abortAfterWriteConnector,
  abortIgnoringConnector,
  createMemoryConnector,
  foreignErrorClassConnector,
  idempotencyIgnoringConnector,
  neverSettlingConnector,
  phantomConversationConnector,
  plainErrorConnector,
  repeatingPageConnector,
  skippingSequenceConnector,
} from '../../../test/fakes/broken-connectors.js';

// The suite as a connector author runs it: one test per check, on the shipped in-memory backend.
runConnectorConformance(() => new MemoryConnector());

// Passing describe/it explicitly, as node:test users do; without tickets every ticket check is skipped.
runConnectorConformance(() => new MemoryConnector({ capabilities: { tickets: false } }), {
  describe,
  it,
  title: 'connector conformance without tickets',
  only: ['tickets'],
});

/** Runs the whole suite and asserts that exactly the named checks fail, each with a message matching its pattern. */
async function expectFailures(createConnector: ConnectorFactory, expected: Readonly<Record<string, RegExp>>): Promise<ConformanceReport> {
  const report = await checkConnectorConformance(createConnector);
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
    const report = await checkConnectorConformance(() => createMemoryConnector());
    expect(report.totals.failed, formatConformanceReport(report)).to.equal(0);
    expect(report.ok).to.equal(true);
    expect(report.totals.total).to.equal(CONFORMANCE_CHECKS.length);
    expect(report.totals.passed + report.totals.skipped).to.equal(report.totals.total);
    for (const result of report.results) expect(result.id).to.equal(`${result.group} › ${result.name}`);
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

  it('reports a plain Error where a ConnectorError belongs', async () => {
    await expectFailures(plainErrorConnector, {
      'errors › unknown ids reject with not-found naming the id': /getCustomer\("missing-[^"]+"\) rejected with a plain Error \("No customer missing-[^"]+"\), not a ConnectorError/,
    });
  });

  it('reports getConversation answering for an unknown id', async () => {
    await expectFailures(phantomConversationConnector, {
      'conversations › getConversation of an unknown id rejects with not-found naming the id': /getConversation\("missing-conversation-[^"]+"\): expected a rejection with code "not-found", but it resolved with \{"id":"missing-conversation-/,
    });
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
