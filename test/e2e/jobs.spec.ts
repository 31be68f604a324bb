/**
 * The agent's main jobs on the demo, end to end: each one at 360 px and 1440 px in English and Chinese (with the mouse),
 * and again by keyboard alone. Each test loads its own seed (`?seed=data:…`), so it sets up exactly
 * the situation the job needs and does not depend on the others; the traffic simulator is off unless the test is
 * about it.
 */
import {
  countPointerPresses,
  Desk,
  expect,
  KEYBOARD_MATRIX,
  knowledgeJob,
  MATRIX,
  mergeJob,
  type Mode,
  offerJob,
  pointerPresses,
  pressUntilFocused,
  slaJob,
  slaOf,
  test,
  ticketJob,
  VIEWPORT_HEIGHT,
  type Locale,
  type Width,
} from './helpers.js';
import type { Page } from '@playwright/test';

// Every test loads its own seed in its own browser context: they run in parallel across the workers.
test.describe.configure({ mode: 'parallel' });

interface Run {
  readonly page: Page;
  readonly desk: Desk;
  readonly locale: Locale;
  readonly width: Width;
  readonly mode: Mode;
}

type Job = (run: Run) => Promise<void>;

// ---------------------------------------------------------------------------------------------------------------
// 1. Reply with a knowledge answer.

const replyWithKnowledge: Job = async (run) => {
  const { page, desk, locale, mode } = run;
  const job = knowledgeJob(locale);
  const t = desk.t;
  await start(run, job.seed);
  await desk.openConversation(job.conversationId, job.customer, mode);

  const article = desk.knowledge.getByRole('article');
  if (mode === 'mouse') {
    await desk.show('knowledge', 'mouse');
    // The customer's message already brings the article up as a suggestion…
    await expect(desk.knowledge.getByRole('heading', { name: t.suggested })).toBeVisible();
    await expect(desk.knowledge.getByRole('option').first()).toContainText(job.articleTitle);
    // …and a search finds it too.
    await desk.knowledge.getByRole('searchbox', { name: t.knowledgeSearch }).fill(job.query);
    await desk.knowledge.getByRole('option').filter({ hasText: job.articleTitle }).click();
  } else {
    await page.keyboard.press('Alt+K');
    const search = desk.knowledge.getByRole('searchbox', { name: t.knowledgeSearch });
    await expect(search).toBeFocused();
    await page.keyboard.type(job.query);
    const results = desk.knowledge.getByRole('listbox');
    await expect(results.getByRole('option').filter({ hasText: job.articleTitle })).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(results).toBeFocused();
    // Articles in the agent's language come first.
    await expect(results.locator('[aria-selected="true"]')).toContainText(job.articleTitle);
    await page.keyboard.press('Enter');
    await expect(article.getByRole('heading', { name: job.articleTitle })).toBeFocused();
    await pressUntilFocused(page, 'Tab', article.getByRole('button', { name: t.insert }), 4);
  }
  await expect(article.getByRole('heading', { name: job.articleTitle })).toBeVisible();
  // The template variables are shown as such until they are filled in.
  await expect(article.locator('.variable').filter({ hasText: '{customer.name}' })).toBeVisible();

  if (mode === 'mouse') await article.getByRole('button', { name: t.insert }).click();
  else await page.keyboard.press('Enter');
  await expect(article.getByRole('status').filter({ hasText: t.inserted })).toBeVisible();

  if (mode === 'mouse') await desk.show('conversation', 'mouse');
  else {
    await page.keyboard.press('Alt+R');
    await expect(desk.composer).toBeFocused();
  }
  await expect(desk.composer).toHaveValue(new RegExp(escape(job.filledOpening)));
  await expect(desk.composer).toHaveValue(new RegExp(escape(job.agent)));
  await expect(desk.composer).not.toHaveValue(/\{(customer|agent)\.name\}/);

  if (mode === 'mouse') await desk.conversation.getByRole('button', { name: t.send, exact: true }).click();
  else await page.keyboard.press('Enter');
  const sent = desk.thread.locator('article').filter({ hasText: job.filledOpening });
  await expect(sent).toHaveCount(1);
  await expect(sent).toHaveAttribute('data-delivery', /sent|delivered|read/);
  await expect(sent).not.toContainText('{customer.name}');
  await expect(desk.composer).toHaveValue('');
};

// ---------------------------------------------------------------------------------------------------------------
// 2. Create a ticket from a chat, in at most two actions.

const createTicketFromChat: Job = async (run) => {
  const { page, desk, locale, mode } = run;
  const job = ticketJob(locale);
  const t = desk.t;
  await start(run, job.seed);
  await desk.openConversation(job.conversationId, job.customer, mode);
  await desk.show('tickets', mode);
  const pane = desk.tickets;
  await expect(pane.getByRole('button', { name: job.existingTicket })).toBeVisible();

  // Action 1: "New ticket from this conversation".
  const newTicket = pane.getByRole('button', { name: t.newTicket });
  if (mode === 'mouse') await newTicket.click();
  else {
    await pressUntilFocused(page, 'Tab', newTicket, 30);
    await page.keyboard.press('Enter');
  }
  const form = pane.getByRole('form', { name: t.createHeading, exact: true });
  await expect(form).toBeVisible();
  // Prefilled from the conversation: customer, channel, subject (its first customer message), the latest messages.
  await expect(form).toContainText(job.customer);
  await expect(form).toContainText(t.webchat);
  const subject = form.getByLabel(t.subject, { exact: true });
  await expect(subject).toHaveValue(job.firstMessage);
  await expect(form.getByLabel(t.description, { exact: true })).toHaveValue(new RegExp(escape(job.latestMessage)));

  // Action 2: "Create ticket" (Enter in the subject, by keyboard).
  if (mode === 'mouse') await form.getByRole('button', { name: t.createTicket, exact: true }).click();
  else {
    await expect(subject).toBeFocused();
    await page.keyboard.press('Enter');
  }
  const opened = pane.locator('[part="ticket"]');
  await expect(opened.getByRole('heading', { name: job.firstMessage })).toBeVisible();
  await expect(opened).toContainText(t.ticketSource);
  const ticketId = await opened.getAttribute('data-ticket-id');
  expect(ticketId).toBe('T-1002');

  // Back in the ticket list, next to the customer's older ticket.
  const back = pane.getByRole('button', { name: t.allTickets });
  if (mode === 'mouse') await back.click();
  else {
    await expect(opened.getByRole('heading', { name: job.firstMessage })).toBeFocused();
    await pressUntilFocused(page, 'Shift+Tab', back, 3);
    await page.keyboard.press('Enter');
  }
  const rows = pane.locator('[part="ticket-row"]');
  await expect(rows).toHaveCount(2);
  await expect(pane.locator(`[part="ticket-row"][data-ticket-id="${ticketId}"]`)).toContainText(job.firstMessage);
  await expect(pane.getByRole('button', { name: job.existingTicket })).toBeVisible();

  // And in the customer's timeline.
  await desk.show('customer', mode);
  const timeline = desk.customerPanel.locator('[part="timeline"]');
  await expect(timeline.locator('li[data-kind="ticket"]').filter({ hasText: job.firstMessage })).toContainText(t.ticketKind);
};

// ---------------------------------------------------------------------------------------------------------------
// 3. Merge a duplicate customer.

const mergeDuplicate: Job = async (run) => {
  const { page, desk, locale, mode } = run;
  const job = mergeJob(locale);
  const t = desk.t;
  await start(run, job.seed);
  await desk.openConversation(job.conversationId, job.target, mode);
  await desk.show('customer', mode);
  const panel = desk.customerPanel;
  await expect(panel.getByRole('heading', { level: 2, name: job.target, exact: true })).toBeVisible();
  const timeline = panel.locator('[part="timeline"]');
  await expect(timeline.locator('li')).toHaveCount(1);
  await expect(timeline).toContainText(job.targetSubject);

  const merge = panel.getByRole('button', { name: t.mergeLabel(job.duplicate, job.target) });
  if (mode === 'mouse') await merge.click();
  else {
    await pressUntilFocused(page, 'Tab', merge, 40);
    await page.keyboard.press('Enter');
  }
  const dialog = panel.getByRole('dialog', { name: t.mergeTitle });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(job.duplicate);
  await expect(dialog.getByRole('button', { name: t.mergeCancel })).toBeFocused();

  const confirm = dialog.getByRole('button', { name: t.mergeConfirm });
  if (mode === 'mouse') await confirm.click();
  else {
    await page.keyboard.press('Tab');
    await expect(confirm).toBeFocused();
    await page.keyboard.press('Enter');
  }
  await expect(dialog).toBeHidden();
  await expect(panel.getByRole('status').filter({ hasText: t.merged(job.duplicate) })).toBeVisible();
  // Both histories, in one timeline; the duplicate is no longer offered.
  await expect(timeline.locator('li')).toHaveCount(2);
  await expect(timeline).toContainText(job.targetSubject);
  await expect(timeline).toContainText(job.duplicateSubject);
  await expect(merge).toHaveCount(0);
  await expect(panel.getByRole('heading', { level: 2, name: job.target, exact: true })).toBeVisible();
};

// ---------------------------------------------------------------------------------------------------------------
// 4. Accept a work offer.

const acceptOffer: Job = async (run) => {
  const { page, desk, locale, mode } = run;
  const job = offerJob(locale);
  const t = desk.t;
  await start(run, job.seed);
  await expect(desk.row(job.conversationId)).toHaveAttribute('aria-selected', 'false');

  // The backend offers the queued chat to the agent. A seed cannot hold offers and the demo has no `?offer=`, so
  // the offer comes from the demo's own MemoryConnector (`desk.connector`), as its traffic simulator makes them.
  const offers = desk.list.locator('[part="offers"]');
  await expect(offers).toBeHidden();
  await page.evaluate((conversationId) => {
    const desk = document.querySelector('cc-workspace') as unknown as { connector: { simulateOffer(id: string, ttlMs: number): unknown } };
    desk.connector.simulateOffer(conversationId, 120_000);
  }, job.conversationId);
  const offer = desk.list.locator('[part="offer"]').filter({ hasText: t.offerFrom(t.webchat, job.customer) });
  await expect(offer).toBeVisible();
  await expect(desk.list.getByRole('region', { name: t.offers, exact: true })).toBeVisible();

  if (mode === 'mouse') await offer.getByRole('button', { name: t.accept, exact: true }).click();
  else await page.keyboard.press('Alt+A');

  // The conversation opens (in one column, the desk switches to it)…
  await expect(desk.panel('conversation')).toBeVisible();
  await desk.expectSelected(job.conversationId, job.customer);
  await expect(desk.thread).toContainText(locale === 'en' ? 'Hello, is anyone there?' : '你好，有人在吗？');
  // …and back in the inbox the offer is gone and the conversation is the selected row.
  await desk.show('list', mode);
  await expect(offer).toHaveCount(0);
  await expect(offers).toBeHidden();
  await expect(desk.row(job.conversationId)).toHaveAttribute('aria-selected', 'true');
};

// ---------------------------------------------------------------------------------------------------------------
// 5. See an SLA turn to breach.

const seeSlaBreach: Job = async (run) => {
  const { page, desk, locale, mode } = run;
  const job = slaJob(locale, '+6s');
  const t = desk.t;
  await start(run, job.seed);
  if (mode === 'keyboard') await desk.focusConversationList();
  const row = desk.row(job.conversationId);
  const sla = slaOf(row);
  // A few seconds left: a warning, in words.
  await expect(sla).toHaveText(t.slaWarning);
  await expect(sla).toHaveAttribute('data-level', 'warning');
  await expect(sla).toHaveClass(/sla-warning/);
  // Then, in real time, past due: a breach that counts up, in words.
  await expect(sla).toHaveText(t.slaBreach, { timeout: 12_000 });
  await expect(sla).toHaveAttribute('data-level', 'breach');
  await expect(sla).toHaveClass(/sla-breach/);

  // The overdue chat is the one to answer next.
  if (mode === 'mouse') await row.click();
  else await page.keyboard.press('Alt+N');
  await desk.show('conversation', mode);
  await desk.expectSelected(job.conversationId, job.customer);
};

// ---------------------------------------------------------------------------------------------------------------
// The matrix.

const JOBS: ReadonlyArray<readonly [string, Job]> = [
  ['reply with a knowledge answer', replyWithKnowledge],
  ['create a ticket from a chat', createTicketFromChat],
  ['merge a duplicate customer', mergeDuplicate],
  ['accept a work offer', acceptOffer],
  ['see an SLA turn to breach', seeSlaBreach],
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function setUp(page: Page, width: Width, locale: Locale, mode: Mode): Promise<Run> {
  await page.setViewportSize({ width, height: VIEWPORT_HEIGHT[width] });
  if (mode === 'keyboard') await countPointerPresses(page);
  return { page, desk: new Desk(page, locale), locale, width, mode };
}

/** Opens the demo on the job's seed, checks the layout for the width, and (keyboard) tabs into the desk. */
async function start(run: Run, seed: Parameters<Desk['open']>[0]): Promise<void> {
  await run.desk.open(seed);
  await checkLayout(run);
  if (run.mode === 'keyboard') await run.desk.tabIntoDesk();
}

async function checkLayout(run: Run): Promise<void> {
  const layout = await run.desk.layout();
  // 360 px: one column with tabs (Inbox, Conversation, Customer, Tickets, Knowledge); 1440 px: three panes,
  // inbox | conversation | Customer/Tickets/Knowledge.
  expect(layout).toBe(run.width === 360 ? 'narrow' : 'wide');
  const tabs = run.desk.root.getByRole('tab');
  const expected = run.width === 360 ? (['list', 'conversation', 'customer', 'tickets', 'knowledge'] as const) : (['customer', 'tickets', 'knowledge'] as const);
  await expect(tabs).toHaveText(expected.map((panel) => run.desk.t.tab[panel]));
  if (run.width === 1440) {
    await expect(run.desk.panel('list')).toBeVisible();
    await expect(run.desk.panel('conversation')).toBeVisible();
  }
}

for (const [name, job] of JOBS) {
  test.describe(name, () => {
    for (const { width, locale } of MATRIX) {
      test(`${width}px ${locale}`, async ({ page }) => {
        const run = await setUp(page, width, locale, 'mouse');
        await job(run);
      });
    }
    for (const { width, locale } of KEYBOARD_MATRIX) {
      test(`keyboard only, ${width}px ${locale}`, async ({ page }) => {
        const run = await setUp(page, width, locale, 'keyboard');
        await job(run);
        expect(await pointerPresses(page), 'pointer presses in a keyboard-only run').toBe(0);
      });
    }
  });
}

test.describe('accept a work offer, from the traffic simulator', () => {
  test('?traffic=300 on the demo data, 1440px en', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: VIEWPORT_HEIGHT[1440] });
    const desk = new Desk(page, 'en');
    await page.goto('/?traffic=300&locale=en');
    // 300 events a minute, a fifth of them offers: one comes within seconds (not at a time the test can choose).
    const offer = desk.list.locator('[part="offer"]').first();
    await expect(offer).toBeVisible({ timeout: 15_000 });
    const offerId = await offer.getAttribute('data-offer-id');
    const thisOffer = desk.list.locator(`[part="offer"][data-offer-id="${offerId}"]`);
    const from = (await thisOffer.locator('.offer-from').textContent()) ?? '';
    const name = /^(?:Web chat|\S+) from (.+)$/.exec(from.trim())?.[1] ?? '';
    expect(name, `the customer named in "${from}"`).not.toBe('');
    await thisOffer.getByRole('button', { name: 'Accept', exact: true }).click();
    await expect(thisOffer).toHaveCount(0);
    await expect(desk.conversation.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
  });
});
