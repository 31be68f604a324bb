/**
 * Nothing the agent types is lost (issue 5, acceptance): a draft survives a reload, and replies sent while the
 * backend cannot be reached for 60 s are stored once each, in order, when it comes back. Against the reference
 * server; the outage is a TCP proxy (test/faults/proxy.mjs) that cuts every connection and refuses new ones.
 */
import { expect, test } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper shared with the fault run.
import { startProxy } from '../faults/proxy.mjs';
import { openConversation, openDeskTab, sendReply, serverMessages, startDeskServer, threadText, waitLive, webChatOf, type DeskTab, type StartedServer } from './server-tabs.js';

interface Proxy {
  readonly port: number;
  killAll(): number;
  refuse(ms: number): void;
  accept(): void;
  close(): Promise<void> | void;
}

const OUTAGE_MS = 60_000;

/** The delivery marks ("Sending…", "Not confirmed") of replies the server has not confirmed. */
const pending = (tab: DeskTab) => tab.desk.conversation.locator('.delivery-sending, .delivery-unconfirmed').filter({ hasText: /Sending…|Not confirmed/ });

let server: StartedServer;

/** The draft texts in the page's desk databases, read through a connection of their own. */
async function storedDraftTexts(): Promise<string[]> {
  const texts: string[] = [];
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('drafts')) continue;
      const drafts = await new Promise<{ text?: string }[]>((ok, fail) => {
        const request = db.transaction('drafts').objectStore('drafts').getAll();
        request.onsuccess = () => ok(request.result as { text?: string }[]);
        request.onerror = () => fail(request.error);
      });
      for (const { text } of drafts) if (text !== undefined) texts.push(text);
    } finally {
      db.close();
    }
  }
  return texts;
}

test.beforeAll(async () => {
  server = await startDeskServer();
});

test.afterAll(async () => {
  await server?.stop();
});

test('a draft typed, the page reloaded: the draft is back', async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const tab = await openDeskTab(context, server.baseUrl, baseURL);
  const conversationId = await webChatOf(server.baseUrl);
  await openConversation(tab, conversationId);
  const draft = `A draft that must survive ${Date.now()}`;
  const box = tab.desk.conversation.getByRole('textbox', { name: tab.desk.t.composer });
  await box.fill(draft);
  // The draft is written as it changes; the reload comes once it is stored (Playwright reloads faster than a person).
  // `expect.poll` awaits the read: a `waitForFunction` whose predicate is async passes at once on the promise.
  await expect.poll(() => tab.page.evaluate(storedDraftTexts), { timeout: 5_000, intervals: [20] }).toContain(draft);
  await tab.page.reload();
  await waitLive(tab.page);
  await openConversation(tab, conversationId);
  await expect(box).toHaveValue(draft);
  // Only a draft: nothing was sent.
  expect((await serverMessages(server.baseUrl, conversationId)).some((message) => message.text === draft)).toBe(false);
  expect(tab.errors).toEqual([]);
  await context.close();
});

test('offline for 60 s with replies queued: they flush on reconnect, each stored once, in order', async ({ browser, baseURL }) => {
  test.setTimeout(OUTAGE_MS + 180_000);
  const proxy = (await startProxy({ targetPort: server.port })) as Proxy;
  const context = await browser.newContext();
  try {
    const tab = await openDeskTab(context, `http://127.0.0.1:${proxy.port}/api/v1`, baseURL);
    const conversationId = await webChatOf(server.baseUrl);
    await openConversation(tab, conversationId);

    // The network goes: every connection is cut, new ones are refused for 60 s.
    const wentAt = Date.now();
    proxy.refuse(OUTAGE_MS);
    proxy.killAll();
    const texts = [1, 2, 3].map((n) => `Queued while offline #${n} ${wentAt}`);
    for (const text of texts) await sendReply(tab, text);
    for (const text of texts) await expect(threadText(tab, text)).toBeVisible();
    // Waiting in the outbox, shown as not yet confirmed ("Sending…" while the desk knows it is offline).
    await expect(pending(tab)).toHaveCount(texts.length, { timeout: 20_000 });

    // Halfway through, nothing has reached the server and the replies are still there, not confirmed.
    await tab.page.waitForTimeout(Math.max(0, wentAt + OUTAGE_MS / 2 - Date.now()));
    const stored = (): Promise<string[]> =>
      serverMessages(server.baseUrl, conversationId).then((messages) => messages.map((message) => message.text).filter((text) => texts.includes(text)));
    expect(await stored()).toEqual([]);
    await expect(pending(tab)).toHaveCount(texts.length);

    await tab.page.waitForTimeout(Math.max(0, wentAt + OUTAGE_MS - Date.now()));
    expect(Date.now() - wentAt).toBeGreaterThanOrEqual(OUTAGE_MS);
    proxy.accept();

    // Back: each reply stored once, in the order it was sent, and confirmed in the thread.
    await expect.poll(stored, { timeout: 90_000, intervals: [500] }).toEqual(texts);
    await expect(pending(tab)).toHaveCount(0, { timeout: 30_000 });
    await tab.page.waitForTimeout(2000);
    expect(await stored(), 'no copy stored later').toEqual(texts);
    expect(tab.errors).toEqual([]);
  } finally {
    await context.close();
    await proxy.close();
  }
});
