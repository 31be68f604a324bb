/**
 * The conformance suite as a connector author runs it: HttpConnector over the protocol, against the fake server of
 * test/fakes/fake-http-backend.ts, which keeps its data in a MemoryConnector (one backend for every check, as a
 * real server would be). The run against the real reference server is http-connector.server.test.ts.
 */
import { runConnectorConformance } from '../conformance/index.js';
import { HttpConnector } from './http-connector.js';
import { FakeHttpBackend } from '../../../test/fakes/fake-http-backend.js';

const backend = new FakeHttpBackend();
const { baseUrl, getToken, fetch: fakeFetch, WebSocket: FakeWebSocket } = backend;

// A routing engine would offer the agent work; a few offers let the accept and decline checks run.
const offered = backend.ready.then(async () => {
  const queued = await backend.memory.listConversations({ scope: 'all', statuses: ['queued'], limit: 6 });
  for (const conversation of queued.items) backend.memory.simulateOffer(conversation.id, 10 * 60_000);
});

runConnectorConformance(
  async () => {
    await offered;
    return new HttpConnector({ baseUrl, getToken, fetch: fakeFetch, WebSocket: FakeWebSocket });
  },
  { title: 'HttpConnector conformance (fake backend)' },
);

after(() => backend.close());
