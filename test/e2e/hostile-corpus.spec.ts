/**
 * The hostile-input corpus (test/security/corpus, 500+ payloads) in every untrusted field the desk shows.
 *
 * The corpus is split into eight batches (round robin, so every batch has every class), which run in parallel. Each batch is one seed in
 * which payload `i` fills every field of its own customer, conversation, messages, ticket, article, canned reply,
 * agent and queue (test/security/corpus-seed.ts). The test then works the desk: it clicks every conversation in
 * the inbox, opens every ticket, searches for and opens every article and inserts it into the reply, lists
 * every canned reply with `/` and inserts one per group with Enter, opens the transfer list, has the backend
 * offer every conversation, and has every payload call the demo phone as the caller's display name. Some tickets and articles are opened with the mouse and keys, the rest through the
 * store (the same actions the clicks dispatch), to stay fast. In every place it checks in the page that the field
 * really shows the payload as text (test/security/dom-probe.ts).
 *
 * Meanwhile it watches from outside the page: the sentinel every executing payload calls, dialogs, requests and
 * sockets to any host but 127.0.0.1 (from the page, the email frames and any popup), popups. The result must be
 * 0, 0, 0, 0. The only foreign loads allowed are the ones the desk is built to make: an avatar or an image
 * attachment's thumbnail from the http(s) URL the backend gave, without a referrer; they are counted and printed.
 *
 * A control run first renders the same payloads unsafely (`innerHTML`, frames) in a blank page, to prove that the
 * corpus is live in this browser and that the observers see it.
 */
import { readFileSync } from 'node:fs';
import { expect as baseExpect, test as baseTest } from '@playwright/test';
import { draftChanged } from '../../src/store/actions.js';
import { articleClosed, articleOpened } from '../../src/store/actions-knowledge.js';
import { ticketOpened } from '../../src/store/actions-tickets.js';
import { CORPUS, EVIL_HOST, SENTINEL, VECTOR_CLASSES, type Payload } from '../security/corpus/index.js';
import {
  ARTICLE_SUFFIX,
  ARTICLES_PER_GROUP,
  CANNED_PER_GROUP,
  HOME_CONVERSATION,
  HOME_CUSTOMER_NAME,
  articleKeyword,
  cannedPrefix,
  corpusSeed,
} from '../security/corpus-seed.js';
import { installProbe, type FieldResult, type Inspection, type ProbeApi } from '../security/dom-probe.js';
import { Desk, expect, test, watchHostileEffects, type HostileEffects } from './helpers.js';

// A trace snapshots the whole desk at every key press and click: it made these runs half again as slow, and a
// failure here is reported payload by payload (Tally) anyway.
test.use({ trace: 'off' });

const BATCHES = 8;
/** Per batch, how many tickets and articles are opened with real clicks and keys (the rest through the store). */
const BY_HAND = 6;
const FIELD_TIMEOUT_MS = 6_000;

/** `HOSTILE_CORPUS_LIMIT=<n>` keeps the first n payloads of each batch, for working on this test itself. */
const LIMIT = Number(process.env['HOSTILE_CORPUS_LIMIT'] ?? Number.POSITIVE_INFINITY);
const batches: Payload[][] = Array.from({ length: BATCHES }, (_, batch) => CORPUS.filter((_, index) => index % BATCHES === batch).slice(0, LIMIT));

declare global {
  interface Window {
    __ccProbe: ProbeApi;
  }
}

/** The http(s) URLs among the payloads: an avatar or a raster attachment may load these, and only these. */
function designedImageUrls(payloads: readonly Payload[]): Set<string> {
  const urls = new Set<string>();
  for (const payload of payloads) {
    try {
      const url = new URL(payload.text.trim());
      if (url.protocol === 'http:' || url.protocol === 'https:') urls.add(url.href);
    } catch {
      // Not a URL: the desk shows it as text.
    }
  }
  return urls;
}

/** Field results per field name, and the failures with the payload they belong to. */
class Tally {
  readonly shown = new Map<string, number>();
  readonly failures: string[] = [];

  constructor(private readonly payloads: readonly Payload[]) {}

  add(inspection: Inspection | readonly Inspection[]): void {
    for (const { index, results } of Array.isArray(inspection) ? inspection : [inspection]) this.record(index, results);
  }

  private record(index: number, results: readonly FieldResult[]): void {
    const payload = this.payloads[index];
    for (const result of results) {
      if (result.ok) this.shown.set(result.field, (this.shown.get(result.field) ?? 0) + 1);
      else this.failures.push(`${payload?.id ?? index} ${result.field}: found ${JSON.stringify(result.found ?? '')} for ${JSON.stringify(payload?.text.slice(0, 80))}`);
    }
  }

  get total(): number {
    let sum = 0;
    for (const count of this.shown.values()) sum += count;
    return sum;
  }
}

function report(batch: number, payloads: readonly Payload[], tally: Tally, effects: HostileEffects): void {
  const fields = [...tally.shown.entries()].map(([field, count]) => `  ${String(count).padStart(4)} × ${field}`).join('\n');
  console.log(
    `hostile corpus, batch ${batch + 1}/${BATCHES}: ${payloads.length} payloads in ${tally.shown.size} fields, ${tally.total} renderings checked\n${fields}\n` +
      `  sentinel calls ${effects.sentinelCalls.length}, dialogs ${effects.dialogs.length}, foreign requests ${effects.foreign.length}, ` +
      `popups ${effects.popups.length}; designed image loads ${effects.allowedImages.length}; loads refused by a frame's CSP ${effects.refusedByCsp.length}` +
      [...effects.foreign, ...effects.allowedImages.map((line) => `designed: ${line}`), ...effects.refusedByCsp.map((line) => `refused: ${line}`)].map((line) => `\n    ${line}`).join(''),
  );
}

/** A payload with its encodings undone (character references, percent-encoding, base64 documents, tag characters): where its id shows. */
function decoded(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/giu, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/%([0-9a-f]{2})/giu, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/base64,([A-Za-z0-9+/=]+)/gu, (_, data: string) => Buffer.from(data, 'base64').toString('latin1'))
    .replace(/[\u{E0000}-\u{E007F}]/gu, (char) => String.fromCodePoint((char.codePointAt(0) ?? 0) - 0xe0000));
}

baseTest('the corpus: 500+ payloads in every class, each active one naming itself, as README.md counts them', () => {
  baseExpect(CORPUS.length).toBeGreaterThanOrEqual(500);
  baseExpect(new Set(CORPUS.map((payload) => payload.id)).size).toBe(CORPUS.length);
  baseExpect(new Set(CORPUS.map((payload) => payload.text)).size).toBe(CORPUS.length);
  const readme = readFileSync(new URL('../security/corpus/README.md', import.meta.url), 'utf8');
  for (const vectorClass of VECTOR_CLASSES) {
    const members = CORPUS.filter((payload) => payload.vectorClass === vectorClass);
    baseExpect(members.length, vectorClass).toBeGreaterThanOrEqual(25);
    baseExpect(readme, `README.md counts ${vectorClass}`).toMatch(new RegExp(`\\| \`${vectorClass}\` \\| ${members.length} \\|`));
    for (const payload of members.filter((member) => member.active)) baseExpect(decoded(payload.text), payload.id).toContain(payload.id);
  }
  baseExpect(readme).toContain(`| **total** | **${CORPUS.length}** |`);
  // Every payload that runs script reports through one of the observers, naming itself.
  for (const payload of CORPUS.filter((member) => /onerror|onload|<script|javascript:/iu.test(member.text))) {
    baseExpect(decoded(payload.text), payload.id).toMatch(new RegExp(`${SENTINEL}|alert|confirm|fetch|Image|${EVIL_HOST.replace('.', '\\.')}|vbscript`, 'iu'));
  }
});

/**
 * Half of the corpus (every other payload; not the oversized ones, which only make this slow), each parsed as a
 * document of its own (a same-origin `srcdoc` frame with scripts allowed), and each URL also loaded as a frame.
 * In those frames dialogs are reported through the sentinel, since an `autofocus onfocus=alert()` payload would
 * otherwise loop on its dialog; the dialog observer is shown to work once, on the page itself.
 */
const CONTROL = CORPUS.filter((payload, index) => index % 2 === 0 && payload.vectorClass !== 'oversized-control');

baseTest('control: rendered unsafely, the corpus runs and reaches out, and the observers see it', async ({ page, context }) => {
  baseTest.setTimeout(120_000);
  const effects = await watchHostileEffects(context, page, { sentinel: SENTINEL });
  await context.addInitScript((sentinel) => {
    // Only the frames: the payloads all run in frames, and the page's own alert stays real.
    if (window === window.top) return;
    const report = (kind: string) => (message?: unknown) => {
      void (window as unknown as Record<string, (id: string) => Promise<void>>)[sentinel]?.(`${kind}: ${String(message)}`);
      return kind === 'confirm' ? false : null;
    };
    window.alert = report('alert');
    window.confirm = report('confirm') as typeof window.confirm;
    window.prompt = report('prompt') as typeof window.prompt;
  }, SENTINEL);
  await page.route('**/__corpus/control.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>control</title><body></body>' }));
  await page.goto('/__corpus/control.html');
  for (let start = 0; start < CONTROL.length; start += 50) {
    // Each group's frames are given until they have loaded (at most 5 s), so the count does not depend on how busy
    // the machine is.
    await page.evaluate(async (texts) => {
      document.body.replaceChildren();
      const loads: Promise<unknown>[] = [];
      const add = (frame: HTMLIFrameElement): void => {
        loads.push(new Promise((loaded) => frame.addEventListener('load', loaded, { once: true })));
        document.body.append(frame);
      };
      for (const text of texts) {
        const frame = document.createElement('iframe');
        frame.srcdoc = text;
        add(frame);
        try {
          if (/^https?:$/u.test(new URL(text).protocol)) continue;
          const target = document.createElement('iframe');
          target.src = text;
          add(target);
        } catch {
          // Not a URL.
        }
      }
      await Promise.race([Promise.all(loads), new Promise((timeUp) => setTimeout(timeUp, 5_000))]);
    }, CONTROL.slice(start, start + 50).map((payload) => payload.text));
    // Hover payloads fire on a moving pointer.
    await page.mouse.move(40, 40);
    await page.mouse.move(300, 200);
    await page.waitForTimeout(300);
  }
  await page.waitForTimeout(1_000);
  const idPattern = /\b(?:eh|url|pr|svg|mx|tpl|css|uni|big)-\d{3}\b/gu;
  const fired = new Set([...effects.sentinelCalls, ...effects.dialogs, ...effects.foreign].flatMap((line) => line.match(idPattern) ?? []));
  const byClass = VECTOR_CLASSES.map((vectorClass) => {
    const members = CONTROL.filter((payload) => payload.vectorClass === vectorClass && payload.active);
    return { vectorClass, active: members.length, fired: members.filter((payload) => fired.has(payload.id)).length };
  });
  console.log(
    `control (unsafe rendering of ${CONTROL.length} payloads): ${fired.size} of ${CONTROL.filter((payload) => payload.active).length} active ones observed — ` +
      `sentinel ${effects.sentinelCalls.length}, foreign requests ${effects.foreign.length}\n` +
      byClass.map((entry) => `  ${entry.vectorClass}: ${entry.fired}/${entry.active}`).join('\n'),
  );
  await page.evaluate(() => alert('control dialog'));
  await baseExpect.poll(() => effects.dialogs.length).toBe(1);
  baseExpect(effects.sentinelCalls.length).toBeGreaterThan(50);
  baseExpect(effects.foreign.length).toBeGreaterThan(20);
  baseExpect(fired.size).toBeGreaterThanOrEqual(100);
  for (const entry of byClass.filter((candidate) => candidate.vectorClass !== 'oversized-control')) {
    baseExpect(entry.fired, entry.vectorClass).toBeGreaterThan(0);
  }
});

test.describe('every payload in every field', () => {
  test.describe.configure({ mode: 'parallel' });

  for (const [batch, payloads] of batches.entries()) {
    test(`batch ${batch + 1} of ${BATCHES}: ${payloads.length} payloads run no script, open no dialog and reach no foreign host`, async ({ page, context }) => {
      test.setTimeout(240_000);
      const phases: string[] = [];
      let phaseStart = Date.now();
      const phase = (name: string) => {
        phases.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(1)} s`);
        phaseStart = Date.now();
      };
      const effects = await watchHostileEffects(context, page, { sentinel: SENTINEL, allowedImages: designedImageUrls(payloads) });
      const seedPath = `/__corpus/batch-${batch}-seed.json`;
      const payloadsPath = `/__corpus/batch-${batch}-payloads.json`;
      await page.route(`**${seedPath}`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(corpusSeed(payloads)) }));
      await page.route(`**${payloadsPath}`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(payloads.map((payload) => payload.text)) }));
      await page.setViewportSize({ width: 1920, height: 1080 });
      const desk = new Desk(page, 'en');
      await page.goto(`/?traffic=0&locale=en&seed=${encodeURIComponent(seedPath)}`);
      await expect(desk.root.getByRole('status').filter({ hasText: desk.t.online }).first()).toBeVisible({ timeout: 30_000 });
      await expect(desk.rows.first()).toBeVisible();
      expect(await desk.layout()).toBe('wide');
      expect(await page.evaluate(installProbe, [payloadsPath, ARTICLE_SUFFIX] as const)).toBe(payloads.length);
      const tally = new Tally(payloads);
      const timeout = FIELD_TIMEOUT_MS;
      const groups = (size: number) =>
        Array.from({ length: Math.ceil(payloads.length / size) }, (_, group) =>
          Array.from({ length: Math.min(size, payloads.length - group * size) }, (_, offset) => group * size + offset),
        );

      phase('load');
      tally.add(await page.evaluate((wait) => window.__ccProbe.inspectAgentName(wait), timeout));

      // 1. Every conversation, clicked in the inbox; its customer and its ticket beside it. The ticket pane is the
      //    side tab in view, so its rows can be clicked; the customer panel renders behind its tab all the same.
      await desk.tab('tickets').click();
      const seen = new Set<number>();
      await desk.rows.first().click();
      for (let position = 1; position <= payloads.length + 1; position += 1) {
        // The inbox by keyboard: ↓ moves, Enter opens (the first row was clicked).
        if (position > 1) {
          await page.keyboard.press('ArrowDown');
          await page.keyboard.press('Enter');
        }
        const byHand = seen.size < BY_HAND;
        const { index, inspections } = await page.evaluate(
          ([wait, ticketType]) => window.__ccProbe.inspectSelected(wait, ticketType),
          [timeout, byHand ? null : ticketOpened.type] as const,
        );
        if (index === -1) continue;
        seen.add(index);
        tally.add(inspections);
        if (byHand) {
          await desk.tickets.locator(`[part="ticket-row"][data-ticket-id="T-${index}"]`).click();
          tally.add(await page.evaluate(([at, wait]) => window.__ccProbe.inspectTicket(at, wait), [index, timeout] as const));
          await desk.tickets.getByRole('button', { name: 'All tickets' }).click();
          // Back to the inbox, on the same row.
          await desk.row(`v-${index}`).click();
        }
        // The email body is a frame of its own (sandboxed, so the page cannot look into it).
        const srcdocFrames = () => page.frames().filter((frame) => frame.url() === 'about:srcdoc').length;
        for (let attempt = 0; attempt < 40 && srcdocFrames() === 0; attempt += 1) await page.waitForTimeout(25);
        const frames = srcdocFrames();
        tally.add({ index, results: [{ field: 'email: html frame loaded', ok: frames >= 1, found: `${frames} frames` }] });
      }
      expect(seen.size, 'conversations opened').toBe(payloads.length);
      phase('conversations, customers, tickets');

      // 2. Knowledge: every group of articles found by its keyword, every article opened and inserted into the
      //    reply of the bystander conversation (its customer has a plain name), then the reply emptied again.
      await desk.list.getByRole('searchbox').fill(HOME_CUSTOMER_NAME);
      await desk.list.getByRole('option', { name: HOME_CUSTOMER_NAME }).click();
      await desk.list.getByRole('searchbox').press('Escape');
      await desk.tab('knowledge').click();
      const clearReply = draftChanged({ conversationId: HOME_CONVERSATION, text: '' });
      let articlesByHand = 0;
      for (const [group, indexes] of groups(ARTICLES_PER_GROUP).entries()) {
        await desk.knowledge.locator('#query').fill(articleKeyword(group));
        tally.add(await page.evaluate(([list, wait]) => window.__ccProbe.inspectSearch(list, wait), [indexes, timeout] as const));
        const handled = new Set<number>();
        for (const index of indexes) {
          if (articlesByHand < BY_HAND) {
            articlesByHand += 1;
            handled.add(index);
            await desk.knowledge.locator(`li[data-article-id="kb-${index}"]`).click();
            tally.add(await page.evaluate(([at, wait]) => window.__ccProbe.inspectArticle(at, wait), [index, timeout] as const));
            await desk.knowledge.getByRole('button', { name: desk.t.insert, exact: true }).click();
            tally.add(await page.evaluate(([at, wait]) => window.__ccProbe.inspectArticleInsert(at, wait), [index, timeout] as const));
            await page.keyboard.press('Escape');
            await page.evaluate((clear) => window.__ccProbe.dispatch(clear), clearReply);
          }
        }
        const rest = indexes.filter((index) => !handled.has(index));
        tally.add(
          await page.evaluate(
            ([list, wait, types]) => window.__ccProbe.inspectArticles(list, wait, types),
            [rest, timeout, { opened: articleOpened.type, closed: articleClosed.type, draftChanged: draftChanged.type, conversationId: HOME_CONVERSATION }] as const,
          ),
        );
      }

      phase('knowledge');
      // 3. Canned replies: `/` and a shortcut prefix list a group; Enter inserts the first of it.
      const reply = desk.conversation.locator('#reply');
      for (const [group, indexes] of groups(CANNED_PER_GROUP).entries()) {
        await reply.fill(`/${cannedPrefix(group)}`);
        tally.add(await page.evaluate(([list, wait]) => window.__ccProbe.inspectCannedList(list, wait), [indexes, timeout] as const));
        await reply.press('Enter');
        tally.add(await page.evaluate(([at, wait]) => window.__ccProbe.inspectCannedInsert(at, wait), [indexes[0] ?? 0, timeout] as const));
        await reply.fill('');
      }

      phase('canned replies');
      // 4. The transfer list: every agent and queue.
      await desk.conversation.locator('#transfer-button').click();
      tally.add(await page.evaluate(([count, wait]) => window.__ccProbe.inspectTransfer(count, wait), [payloads.length, timeout] as const));
      await page.keyboard.press('Escape');

      // 5. Work offers: the backend offers every queued conversation at once.
      tally.add(await page.evaluate(([count, wait]) => window.__ccProbe.inspectOffers(count, wait), [payloads.length, timeout] as const));

      // 6. The softphone: a call from each payload as the caller's display name.
      tally.add(await page.evaluate(([count, wait]) => window.__ccProbe.inspectCalls(count, wait), [payloads.length, timeout] as const));

      phase('transfer list, offers, calls');
      // Lazy images, frames and timers settle before the verdict.
      await page.mouse.move(960, 540);
      await page.waitForTimeout(1_500);
      report(batch, payloads, tally, effects);
      console.log(`  time: ${phases.join(', ')}`);
      expect.soft(tally.failures.slice(0, 40), `${tally.failures.length} fields did not show their payload`).toEqual([]);
      expect.soft(effects.sentinelCalls, 'payloads that ran script').toEqual([]);
      expect.soft(effects.dialogs, 'dialogs opened').toEqual([]);
      expect.soft(effects.foreign, 'requests to foreign hosts').toEqual([]);
      expect.soft(effects.popups, 'popups opened').toEqual([]);
      // The email frame's CSP is the second wall: the sanitiser is meant to take remote references out first.
      expect.soft(effects.refusedByCsp, 'remote loads attempted, refused only by the email frame\'s CSP').toEqual([]);
    });
  }
});
