/**
 * Helpers for the end-to-end tests of the desk on the reference server in several tabs (`tabs.spec.ts`) and across
 * reloads and outages (`offline.spec.ts`): the server process (started on port 0 with a fresh database, stopped by
 * PID), a tab of the demo on it (`?server=`) that counts its event sockets, and the few desk actions they need.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper shared with the server tests.
import { allPages, api, startServer, temporaryFolder } from '../server/helpers.mjs';
import { demoUrl, Desk } from './helpers.js';

export interface StartedServer {
  readonly baseUrl: string;
  readonly port: number;
  stop(): Promise<unknown>;
}

export interface ServerMessage {
  readonly id: string;
  readonly text: string;
  readonly clientKey: string | null;
  readonly sentAt: number;
}

/** The reference server on a free loopback port with a fresh database of the demo seed; `stop()` ends it by PID. */
export async function startDeskServer(): Promise<StartedServer> {
  const folder = temporaryFolder() as { path: string; remove(): void };
  const server = (await startServer({ db: `${folder.path}/desk.sqlite`, args: ['--reset', '--quiet', '--no-fsync'], stopAfter: 900 })) as StartedServer;
  return {
    baseUrl: server.baseUrl,
    port: server.port,
    async stop() {
      await server.stop();
      folder.remove();
    },
  };
}

/** The first open web chat of the agent: a conversation whose composer is a plain reply box. */
export async function webChatOf(baseUrl: string): Promise<string> {
  const mine = (await allPages(baseUrl, '/conversations?scope=mine')) as { id: string; channel: string; status: string }[];
  const chat = mine.find((conversation) => conversation.channel === 'webchat' && conversation.status === 'open');
  if (!chat) throw new Error('The demo seed has no open web chat of the agent.');
  return chat.id;
}

/** The messages the server holds in a conversation, oldest first. */
export async function serverMessages(baseUrl: string, conversationId: string): Promise<ServerMessage[]> {
  const messages = (await allPages(baseUrl, `/conversations/${encodeURIComponent(conversationId)}/messages`)) as ServerMessage[];
  return [...messages].sort((a, b) => a.sentAt - b.sentAt);
}

export { api };

/** One tab of the demo on a server: its page, its desk driver, and the event sockets it opened. */
export interface DeskTab {
  readonly page: Page;
  readonly desk: Desk;
  /** Event sockets (`…/api/v1/events`) this page opened, with the time each opened and whether it closed. */
  readonly sockets: { readonly openedAt: number; closed: boolean }[];
  readonly errors: string[];
}

/** The demo's address on a server, traffic off, in English. */
export function serverDeskUrl(baseUrl: string): string {
  return demoUrl('en', undefined, { server: baseUrl });
}

/**
 * Opens a tab of the demo on the server in `context` and waits until its desk is live. The Vite client's socket is
 * answered by a silent stand-in (as in helpers.ts), so an edit elsewhere in the repository cannot reload the tab.
 */
export async function openDeskTab(context: BrowserContext, baseUrl: string, appUrl: string | undefined): Promise<DeskTab> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  const devServer = new URL(appUrl ?? 'http://127.0.0.1').host;
  await page.routeWebSocket((url) => url.host === devServer && url.pathname === '/' && url.searchParams.has('token'), () => undefined);
  const tab: DeskTab = { page, desk: new Desk(page, 'en'), sockets: [], errors: [] };
  page.on('pageerror', (error) => tab.errors.push(`${error.name}: ${error.message}`));
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/api/v1/events')) return;
    const entry = { openedAt: Date.now(), closed: false };
    tab.sockets.push(entry);
    socket.on('close', () => (entry.closed = true));
  });
  await page.goto(serverDeskUrl(baseUrl));
  await waitLive(page);
  return tab;
}

/** The desk's store reached a live state (connected, snapshot applied). */
export async function waitLive(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => (document.querySelector('cc-workspace') as (Element & { store?: { getState(): { connection: { sync: string } } } }) | null)?.store?.getState().connection.sync === 'live',
    null,
    { timeout, polling: 100 },
  );
}

/** Event sockets open in these tabs now. */
export const openSockets = (tabs: readonly DeskTab[]): number => tabs.reduce((count, tab) => count + tab.sockets.filter((socket) => !socket.closed).length, 0);

/** Opens a conversation as the inbox does (the `[Conversation List] conversation selected` intent), and waits for its thread. */
export async function openConversation(tab: DeskTab, conversationId: string): Promise<void> {
  await tab.page.evaluate((id) => {
    const store = (document.querySelector('cc-workspace') as Element & { store: { dispatch(action: unknown): void } }).store;
    store.dispatch({ type: '[Conversation List] conversation selected', payload: { conversationId: id } });
  }, conversationId);
  await expect
    .poll(() => tab.page.evaluate(() => (document.querySelector('cc-workspace') as Element & { store: { getState(): { ui: { selectedConversationId: string | null } } } }).store.getState().ui.selectedConversationId))
    .toBe(conversationId);
  await expect(tab.desk.conversation.getByRole('textbox', { name: tab.desk.t.composer })).toBeVisible();
}

/** Types a reply in the open conversation's reply box and sends it with the Send button. */
export async function sendReply(tab: DeskTab, text: string): Promise<void> {
  const box = tab.desk.conversation.getByRole('textbox', { name: tab.desk.t.composer });
  await box.fill(text);
  await tab.desk.conversation.getByRole('button', { name: tab.desk.t.send, exact: true }).click();
  await expect(box).toHaveValue('');
}

/** The thread of the open conversation shows this text (the customer's or the agent's). */
export function threadText(tab: DeskTab, text: string) {
  return tab.desk.conversation.getByText(text, { exact: true });
}
