/**
 * HttpConnector against the REAL reference server (demo/server/). The test runner starts the server and names it
 * on the page before the tests load:
 *
 *   window.__CC_SERVER__ = 'http://127.0.0.1:8787/api/v1'                                  // token "demo-token"
 *   window.__CC_SERVER__ = { baseUrl: 'http://127.0.0.1:8787/api/v1', token: 'demo-token' }
 *
 * Without it every test here is skipped (so `web-test-runner` without a server stays green).
 */
import { expect } from '@esm-bundle/chai';
import type { ConnectorEvent } from '../connector.js';
import { runConnectorConformance } from '../conformance/index.js';
import { HttpConnector } from './http-connector.js';

interface ServerUnderTest {
  readonly baseUrl: string;
  readonly token: string;
}

function serverUnderTest(): ServerUnderTest | null {
  const configured = (globalThis as { __CC_SERVER__?: unknown }).__CC_SERVER__;
  if (typeof configured === 'string' && configured !== '') return { baseUrl: configured, token: 'demo-token' };
  if (typeof configured === 'object' && configured !== null) {
    const { baseUrl, token } = configured as { baseUrl?: unknown; token?: unknown };
    if (typeof baseUrl === 'string' && baseUrl !== '') return { baseUrl, token: typeof token === 'string' ? token : 'demo-token' };
  }
  return null;
}

const server = serverUnderTest();

/** A real WebSocket whose instances the test can reach, to cut the connection from outside. */
class TrackedWebSocket extends WebSocket {
  static readonly instances: WebSocket[] = [];
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    TrackedWebSocket.instances.push(this);
  }
}

if (server === null) {
  describe('HttpConnector against the reference server', () => {
    it('runs when window.__CC_SERVER__ names a running reference server', function () {
      this.skip();
    });
  });
} else {
  const { baseUrl, token } = server;
  const getToken = (): Promise<string> => Promise.resolve(token);

  runConnectorConformance(() => new HttpConnector({ baseUrl, getToken }), { title: 'HttpConnector conformance (reference server)' });

  describe('HttpConnector against the reference server', function () {
    this.timeout(30_000);

    it('resumes after its socket is cut: every event once, in order, also those written while it was away', async () => {
      const reader = new HttpConnector({ baseUrl, getToken, WebSocket: TrackedWebSocket, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
      const writer = new HttpConnector({ baseUrl, getToken });
      const seen: ConnectorEvent[] = [];
      const subscription = reader.events$.subscribe((event) => seen.push(event));
      const states: string[] = [];
      const stateSubscription = reader.state$.subscribe((state) => states.push(state));
      try {
        await reader.connect();
        await writer.connect();
        const page = await writer.listConversations({ scope: 'mine', statuses: ['open'], limit: 5 });
        const target = page.items.find((conversation) => conversation.channel === 'webchat') ?? page.items[0];
        if (target === undefined) throw new Error('the reference server has no open conversation assigned to the agent');
        const texts: string[] = [];
        const run = `${Date.now().toString(36)}`;
        for (let round = 0; round < 3; round += 1) {
          // Cut the socket from outside, write while the reader is away, then let it come back.
          TrackedWebSocket.instances.at(-1)?.close(4000, 'cut by the test');
          for (let index = 0; index < 3; index += 1) {
            const text = `resume ${run} ${round}.${index}`;
            texts.push(text);
            await writer.sendMessage({ conversationId: target.id, text });
          }
          await waitFor(() => reader.state === 'connected' && texts.every((text) => seen.some((event) => event.type === 'message.added' && event.message.text === text)), 10_000);
        }
        expect(states).to.include('reconnecting');
        const perStream = new Map<string, number[]>();
        for (const event of seen) perStream.set(event.stream, [...(perStream.get(event.stream) ?? []), event.seq]);
        for (const [stream, seqs] of perStream) {
          for (let index = 1; index < seqs.length; index += 1) expect(seqs[index], `stream ${stream}: ${seqs.join(',')}`).to.equal((seqs[index - 1] ?? 0) + 1);
        }
        for (const text of texts) expect(seen.filter((event) => event.type === 'message.added' && event.message.text === text)).to.have.length(1);
      } finally {
        subscription.unsubscribe();
        stateSubscription.unsubscribe();
        await reader.disconnect();
        await writer.disconnect();
      }
    });
  });
}

async function waitFor(condition: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
