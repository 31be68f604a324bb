/**
 * Several tabs of one agent on the reference server (issue 5, "Tabs"): one leader tab holds the only event socket
 * and flushes the outbox; the others follow over BroadcastChannel. A reply typed in a follower reaches the server
 * once and shows in every tab; when the leader tab closes, another opens the socket within 3 s and the desk goes on.
 */
import { expect, test } from '@playwright/test';
import {
  api,
  openConversation,
  openDeskTab,
  openSockets,
  sendReply,
  serverMessages,
  startDeskServer,
  threadText,
  webChatOf,
  type DeskTab,
  type StartedServer,
} from './server-tabs.js';

let server: StartedServer;

test.beforeAll(async () => {
  server = await startDeskServer();
});

test.afterAll(async () => {
  await server?.stop();
});

/** Waits a moment and checks the count holds: a second socket opened late would show here. */
async function expectOneSocket(tabs: readonly DeskTab[]): Promise<void> {
  await expect.poll(() => openSockets(tabs), { timeout: 10_000 }).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(openSockets(tabs), 'event sockets open across the tabs').toBe(1);
}

for (const count of [2, 3]) {
  test(`${count} tabs of one agent: one event socket, and a reply sent in a follower tab is stored once and shows in every tab`, async ({ browser, baseURL }) => {
    const context = await browser.newContext();
    const tabs: DeskTab[] = [];
    for (let index = 0; index < count; index += 1) tabs.push(await openDeskTab(context, server.baseUrl, baseURL));
    await expectOneSocket(tabs);
    // The first tab took the lead; the others never opened a socket.
    expect(tabs.map((tab) => tab.sockets.length)).toEqual([1, ...Array.from({ length: count - 1 }, () => 0)]);

    const conversationId = await webChatOf(server.baseUrl);
    for (const tab of tabs) await openConversation(tab, conversationId);
    const text = `From follower tab ${count} at ${Date.now()}`;
    const follower = tabs[count - 1];
    if (!follower) throw new Error('no follower');
    await sendReply(follower, text);

    for (const tab of tabs) await expect(threadText(tab, text)).toBeVisible();
    await expect.poll(async () => (await serverMessages(server.baseUrl, conversationId)).filter((message) => message.text === text).length).toBe(1);
    // Nothing is left unconfirmed in any tab.
    for (const tab of tabs) await expect(tab.desk.conversation.getByText('Not confirmed')).toHaveCount(0);
    expect(openSockets(tabs)).toBe(1);
    for (const tab of tabs) expect(tab.errors, 'uncaught errors in a tab').toEqual([]);
    await context.close();
  });
}

test('closing the leader tab: another opens the event socket within 3 s, and the desk keeps working', async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const tabs: DeskTab[] = [];
  for (let index = 0; index < 3; index += 1) tabs.push(await openDeskTab(context, server.baseUrl, baseURL));
  await expectOneSocket(tabs);
  const [leader, ...rest] = tabs;
  if (!leader) throw new Error('no leader');
  expect(leader.sockets).toHaveLength(1);
  const conversationId = await webChatOf(server.baseUrl);
  for (const tab of rest) await openConversation(tab, conversationId);

  const closedAt = Date.now();
  await leader.page.close();
  await expect.poll(() => openSockets(rest), { timeout: 3000, intervals: [50] }).toBe(1);
  const opened = rest.flatMap((tab) => tab.sockets).find((socket) => !socket.closed);
  expect(opened, 'the new socket').toBeDefined();
  expect((opened?.openedAt ?? Infinity) - closedAt, 'takeover (ms)').toBeLessThan(3000);
  await expectOneSocket(rest);

  // The desk keeps working: a reply from the tab that does not lead goes out through the new leader…
  const newLeader = rest.find((tab) => tab.sockets.some((socket) => !socket.closed));
  const follower = rest.find((tab) => tab !== newLeader);
  if (!newLeader || !follower) throw new Error('tabs missing');
  const text = `After the leader closed ${Date.now()}`;
  await sendReply(follower, text);
  for (const tab of rest) await expect(threadText(tab, text)).toBeVisible();
  await expect.poll(async () => (await serverMessages(server.baseUrl, conversationId)).filter((message) => message.text === text).length).toBe(1);
  // …and what happens on the server (a reply the agent sends from another device) reaches every tab through the
  // new socket.
  const elsewhere = `Sent from another device ${Date.now()}`;
  const answer = (await api(server.baseUrl, 'POST', `/conversations/${encodeURIComponent(conversationId)}/messages`, {
    body: { text: elsewhere },
    key: `other-device-${Date.now()}`,
  })) as { status: number };
  expect(answer.status).toBeLessThan(300);
  for (const tab of rest) await expect(threadText(tab, elsewhere)).toBeVisible();
  for (const tab of rest) expect(tab.errors, 'uncaught errors in a tab').toEqual([]);
  await context.close();
});
