/**
 * Token hygiene on the real path: the demo on the HttpConnector against the reference server (a real process on
 * a free loopback port, stopped by PID), signed in with a token only this test knows (`?server=…&token=…`). After
 * the agent has worked (the cache written, a draft, a reply sent), the token is in no IndexedDB store, not in
 * localStorage or sessionStorage, and in no cookie the page can read. The scan is not vacuous: it does find the
 * conversation cache it reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Desk, expect, LABELS, test } from './helpers.js';
// @ts-expect-error: a plain .mjs helper shared with the server tests.
import { startServer } from '../server/helpers.mjs';

interface ReferenceServer {
  readonly baseUrl: string;
  stop(): Promise<unknown>;
}

const TOKEN = `hygiene-${Math.random().toString(36).slice(2)}-token`;
let server: ReferenceServer;
let folder: string;

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'cc-hygiene-'));
  server = (await startServer({ db: join(folder, 'desk.sqlite'), args: ['--reset', '--token', TOKEN, '--quiet'], stopAfter: 300 })) as ReferenceServer;
});

test.afterAll(async () => {
  await server?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('the access token is stored nowhere the page can read', async ({ page, context }) => {
  const t = LABELS.en;
  await page.goto(`/?locale=en&traffic=0&server=${encodeURIComponent(server.baseUrl)}&token=${encodeURIComponent(TOKEN)}`);
  const desk = new Desk(page, 'en');
  await expect(desk.root.getByRole('status').filter({ hasText: t.online }).first()).toBeVisible();
  await desk.rows.first().click();
  await desk.show('conversation', 'mouse');
  await desk.composer.fill('Checking your order now.');
  await desk.conversation.getByRole('button', { name: t.send, exact: true }).click();
  await expect(page.locator('#last-sent')).toHaveText('Checking your order now.');
  await desk.composer.fill('A draft to keep');
  // The page is hidden: drafts and the cache are written at once.
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));

  const scan = async () =>
    page.evaluate(async () => {
      const texts: Record<string, string> = {};
      const textOf = (value: unknown): string =>
        JSON.stringify(value, (_key, item: unknown) => (item instanceof ArrayBuffer || ArrayBuffer.isView(item) ? new TextDecoder().decode(item) : item));
      for (const info of await indexedDB.databases()) {
        if (!info.name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(info.name as string);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('open failed'));
        });
        for (const store of Array.from(db.objectStoreNames)) {
          texts[`indexedDB ${info.name}/${store}`] = await new Promise<string>((resolve, reject) => {
            const request = db.transaction(store, 'readonly').objectStore(store).getAll();
            request.onsuccess = () => resolve(textOf(request.result));
            request.onerror = () => reject(request.error ?? new Error('read failed'));
          });
        }
        db.close();
      }
      texts.localStorage = textOf(Object.entries(localStorage));
      texts.sessionStorage = textOf(Object.entries(sessionStorage));
      texts['document.cookie'] = document.cookie;
      return texts;
    });
  let texts: Record<string, string> = {};
  await expect
    .poll(async () => {
      texts = await scan();
      return Object.entries(texts).some(([place, text]) => place.endsWith('/conversations') && text.length > 2);
    }, { message: 'the conversation cache written' })
    .toBe(true);
  expect(Object.keys(texts).some((place) => place.endsWith('/drafts')), 'the desk database scanned').toBe(true);
  const holding = Object.entries(texts).filter(([, text]) => text.includes(TOKEN)).map(([place]) => place);
  expect(holding, 'places that hold the token').toEqual([]);
  const readableCookies = (await context.cookies()).filter((cookie) => !cookie.httpOnly && cookie.value.includes(TOKEN));
  expect(readableCookies).toEqual([]);
});
