/**
 * One ringing tab (issue 4): three tabs of the demo for one agent, in one browser context (they share Web Locks and
 * BroadcastChannel), on a real Kamailio started here (127.0.0.1, a free port, stopped by PID). One tab, the leader,
 * holds the SIP registration and alone plays the ringtone; every tab shows the call, and a follower answers, holds
 * and hangs up through the leader. When the leader tab closes, another registers within 3 s and rings next time.
 */
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper shared with the SIP browser tests.
import { startKamailio } from '../sip-server/start.mjs';

interface Kamailio {
  readonly wsUrl: string;
  log(): string;
  stop(): Promise<void>;
}

declare global {
  interface Window {
    /** How often the page started the ringtone (see RINGER_PROBE). */
    ccRingerStarts?: number;
  }
}

let kamailio: Kamailio;

test.beforeAll(async () => {
  kamailio = (await startKamailio({ stopAfterSeconds: 300 })) as Kamailio;
});

test.afterAll(async () => {
  await kamailio?.stop();
});

/**
 * Counts the ringtone's starts in a page: the ringer plays a Web Audio stream through an audio element, so a
 * `play()` of a stream made by `createMediaStreamDestination` is the phone ringing out loud (the call's own audio
 * plays a WebRTC stream, which is not counted).
 */
function RINGER_PROBE(): void {
  const toneStreams = new WeakSet<MediaStream>();
  const createDestination = AudioContext.prototype.createMediaStreamDestination;
  AudioContext.prototype.createMediaStreamDestination = function (this: AudioContext): MediaStreamAudioDestinationNode {
    const node = createDestination.call(this);
    toneStreams.add(node.stream);
    return node;
  };
  const play = HTMLMediaElement.prototype.play;
  window.ccRingerStarts = 0;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement): Promise<void> {
    if (this.srcObject instanceof MediaStream && toneStreams.has(this.srcObject)) window.ccRingerStarts = (window.ccRingerStarts ?? 0) + 1;
    return play.call(this);
  };
}

interface Tab {
  readonly page: Page;
  readonly phone: Locator;
  readonly errors: string[];
}

async function openDemoTab(context: BrowserContext, baseURL: string, user: string): Promise<Tab> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  // Vite's dev client reloads the page when a source file changes; its socket gets a silent stand-in.
  const devServer = new URL(baseURL).host;
  await page.routeWebSocket((url) => url.host === devServer && url.pathname === '/' && url.searchParams.has('token'), () => undefined);
  await page.goto(`/?traffic=0&locale=en&sip=${encodeURIComponent(kamailio.wsUrl)}&sipUser=${encodeURIComponent(user)}`);
  // A click gives the page its user activation, so the browser lets the ringtone play (as an agent's click would).
  await page.mouse.click(2, 2);
  const phone = page.locator('cc-workspace [part="phone"] cc-softphone');
  await expect(phone.locator('.registration')).toHaveText('Phone ready');
  return { page, phone, errors };
}

async function agentTabs(browser: Browser, baseURL: string, user: string, count: number): Promise<{ context: BrowserContext; tabs: Tab[] }> {
  const context = await browser.newContext({ baseURL });
  await context.addInitScript(RINGER_PROBE);
  const tabs: Tab[] = [];
  for (let index = 0; index < count; index += 1) tabs.push(await openDemoTab(context, baseURL, user));
  return { context, tabs };
}

const ringerStarts = (tab: Tab): Promise<number> => tab.page.evaluate(() => window.ccRingerStarts ?? 0);

/** The source ports of the REGISTERs Kamailio logged: each tab's SIP WebSocket has its own. */
function registerPorts(): Set<string> {
  return new Set([...kamailio.log().matchAll(/REQ REGISTER \S+ from 127\.0\.0\.1:(\d+)/g)].map((match) => match[1] ?? ''));
}

/** The caller dials the agent; resolves once every open agent tab shows the call ringing. */
async function callIn(caller: Tab, agentUser: string, tabs: readonly Tab[]): Promise<void> {
  await caller.phone.getByRole('button', { name: 'New call' }).click();
  await caller.phone.getByLabel('Number').fill(`sip:${agentUser}@127.0.0.1`);
  await caller.phone.getByLabel('Number').press('Enter');
  for (const tab of tabs) await expect(tab.phone.locator('[part="ringing"]')).toBeVisible();
}

/** Which tabs started the ringtone since `before`, once the count settles. */
async function ringingTabs(tabs: readonly Tab[], before: readonly number[]): Promise<Tab[]> {
  await expect.poll(async () => (await Promise.all(tabs.map(ringerStarts))).filter((count, index) => count > (before[index] ?? 0)).length).toBeGreaterThan(0);
  // Long enough for a second tab that wrongly rings to show itself.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const after = await Promise.all(tabs.map(ringerStarts));
  return tabs.filter((_, index) => (after[index] ?? 0) > (before[index] ?? 0));
}

test('three tabs of one agent: one registers and rings, a follower answers, holds and hangs up; the next leader takes over within 3 s', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const suffix = Math.random().toString(36).slice(2, 8);
  const agentUser = `agent${suffix}`;
  const portsBefore = registerPorts();
  const { context, tabs } = await agentTabs(browser, baseURL ?? '', agentUser, 3);
  // The caller: the demo as a second SIP user, in a context (and so a set of tabs) of its own.
  const callerContext = await browser.newContext({ baseURL });
  const caller = await openDemoTab(callerContext, baseURL ?? '', `caller${suffix}`);

  // One registration for the three tabs (the caller's is the other one).
  await expect.poll(() => [...registerPorts()].filter((port) => !portsBefore.has(port)).length).toBe(2);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect([...registerPorts()].filter((port) => !portsBefore.has(port)), 'SIP WebSockets that registered').toHaveLength(2);

  const leader = await test.step('an inbound call rings in exactly one tab, and shows in all three', async () => {
    const before = await Promise.all(tabs.map(ringerStarts));
    await callIn(caller, agentUser, tabs);
    const ringing = await ringingTabs(tabs, before);
    expect(ringing, 'tabs that played the ringtone').toHaveLength(1);
    return ringing[0] as Tab;
  });
  const followers = tabs.filter((tab) => tab !== leader);
  const [follower, otherFollower] = followers as [Tab, Tab];

  await test.step('a follower answers, holds, resumes and hangs up through the leader', async () => {
    await follower.phone.locator('[part="ringing"]').getByRole('button', { name: 'Answer' }).click();
    for (const tab of tabs) await expect(tab.phone.locator('[part="call"]')).toHaveAttribute('data-state', 'active');
    await expect(caller.phone.locator('[part="call"]')).toHaveAttribute('data-state', 'active');
    // Answered: the ringtone stopped; no tab rings.
    for (const tab of tabs) await expect(tab.phone.locator('[part="ringing"]')).toHaveCount(0);

    await follower.phone.locator('[part="call"]').getByRole('button', { name: 'Hold' }).click();
    for (const tab of tabs) await expect(tab.phone.locator('[part="call"]')).toHaveAttribute('data-state', 'held');
    await otherFollower.phone.locator('[part="call"]').getByRole('button', { name: 'Resume' }).click();
    for (const tab of tabs) await expect(tab.phone.locator('[part="call"]')).toHaveAttribute('data-state', 'active');

    await follower.phone.locator('[part="call"]').getByRole('button', { name: 'Hang up' }).click();
    for (const tab of tabs) await expect(tab.phone.locator('[part="call"]')).toHaveCount(0);
    await expect(caller.phone.locator('[part="call"]')).toHaveCount(0);
  });

  await test.step('the wrap-up, open in every tab, closes everywhere once discarded in one', async () => {
    for (const tab of tabs) await expect(tab.phone.locator('[part="wrap-up"]')).toBeVisible();
    await follower.phone.locator('[part="wrap-up"]').getByRole('button', { name: 'Discard' }).click();
    for (const tab of tabs) await expect(tab.phone.locator('[part="wrap-up"]')).toHaveCount(0);
  });

  await test.step('the leader tab closes: another registers within 3 s, and rings for the next call', async () => {
    const portsNow = registerPorts();
    const closedAt = Date.now();
    await leader.page.close();
    await expect
      .poll(() => [...registerPorts()].filter((port) => !portsNow.has(port)).length, { timeout: 3000, intervals: [50] })
      .toBe(1);
    const takeoverMs = Date.now() - closedAt;
    expect(takeoverMs, 'from closing the leader tab to the new REGISTER').toBeLessThan(3000);
    test.info().annotations.push({ type: 'takeover', description: `${takeoverMs} ms` });
    for (const tab of followers) await expect(tab.phone.locator('.registration')).toHaveText('Phone ready');

    const before = await Promise.all(followers.map(ringerStarts));
    await callIn(caller, agentUser, followers);
    const ringing = await ringingTabs(followers, before);
    expect(ringing, 'tabs that played the ringtone after the takeover').toHaveLength(1);
    // And the other tab answers it through the new leader.
    const answering = followers.find((tab) => tab !== ringing[0]) as Tab;
    await answering.phone.locator('[part="ringing"]').getByRole('button', { name: 'Answer' }).click();
    await expect(caller.phone.locator('[part="call"]')).toHaveAttribute('data-state', 'active');
    await answering.phone.locator('[part="call"]').getByRole('button', { name: 'Hang up' }).click();
    for (const tab of followers) await expect(tab.phone.locator('[part="call"]')).toHaveCount(0);
  });

  for (const tab of [...tabs, caller]) expect(tab.errors, 'uncaught errors in a page').toEqual([]);
  await context.close();
  await callerContext.close();
});
