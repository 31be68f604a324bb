/**
 * Runs the conformance checks against a connector factory: either into a report (`checkConnectorConformance`)
 * or as one test per check in whatever framework the author uses (`runConnectorConformance`).
 */
import type { Subscription } from 'rxjs';
import type { Connector, ConnectorEvent } from '../connector.js';
import { ConformanceFailure, ConformanceSkip, describeError, expectRecord, expectString, fail, show, skip } from './assert.js';
import {
  CONFORMANCE_CHECKS,
  conformanceCheckId,
  type ConformanceCheck,
  type ConformanceContext,
  type WaitForEventOptions,
} from './checks.js';

/** Makes a new, unconnected connector; called once or more per check. */
export type ConnectorFactory = () => Connector | Promise<Connector>;

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

export interface ConformanceOptions {
  /** How long one check may take, including creating and connecting its connector. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Run only the checks whose id (`"group › name"`), group or name is listed. */
  readonly only?: readonly string[];
}

export type ConformanceStatus = 'passed' | 'failed' | 'skipped';

export interface ConformanceCheckResult {
  /** `"group › name"`. */
  readonly id: string;
  readonly group: string;
  readonly name: string;
  readonly status: ConformanceStatus;
  /** For a failure: which check, what was expected and what the connector did. */
  readonly error?: string;
  /** For a skip: why the check does not apply (e.g. `capabilities.tickets is false`). */
  readonly reason?: string;
  readonly durationMs: number;
}

export interface ConformanceTotals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly total: number;
}

export interface ConformanceReport {
  /** True when no check failed and at least one passed. */
  readonly ok: boolean;
  readonly totals: ConformanceTotals;
  readonly results: readonly ConformanceCheckResult[];
}

/** A test framework's `describe`, e.g. from mocha, jest, vitest or `node:test`. */
export type ConformanceDescribe = (title: string, body: () => void) => unknown;
/** A test framework's `it`; the third argument is the timeout jest and vitest read. */
export type ConformanceIt = (title: string, body: (this: unknown, ...args: unknown[]) => Promise<void>, timeoutMs?: number) => unknown;

export interface RunConformanceOptions extends ConformanceOptions {
  /** Defaults to `globalThis.describe`. */
  readonly describe?: ConformanceDescribe;
  /** Defaults to `globalThis.it`. */
  readonly it?: ConformanceIt;
  /** The outer describe's title. Default `connector conformance`. */
  readonly title?: string;
}

/** How long disconnecting after a check may take before the run moves on (a hung connector must not hang it). */
const CLEANUP_LIMIT_MS = 2_000;

/** Runs the selected checks one after another and reports on each. Never throws. */
export async function checkConnectorConformance(createConnector: ConnectorFactory, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const results: ConformanceCheckResult[] = [];
  for (const check of selectConformanceChecks(options.only)) {
    results.push(await runConformanceCheck(check, createConnector, options));
  }
  return summarize(results);
}

/**
 * Registers `describe('connector conformance')` with one `it` per check, using the framework's globals or the
 * `describe` and `it` passed in. A check whose capability is off is skipped where the framework can skip at
 * run time (mocha, vitest, node:test) and passes otherwise (jest).
 */
export function runConnectorConformance(createConnector: ConnectorFactory, options: RunConformanceOptions = {}): void {
  const { describe, it } = resolveFramework(options);
  const checks = selectConformanceChecks(options.only);
  if (checks.length === 0) {
    throw new Error(`runConnectorConformance: no check matches only: ${show(options.only)}; use a check id ("group › name"), a group or a check name`);
  }
  const timeoutMs = checkTimeout(options);
  const frameworkTimeoutMs = timeoutMs + CLEANUP_LIMIT_MS + 1_000;
  describe(options.title ?? 'connector conformance', () => {
    for (const group of new Set(checks.map((check) => check.group))) {
      describe(group, () => {
        for (const check of checks.filter((candidate) => candidate.group === group)) {
          // Declared without parameters: mocha and jest treat a function with one as callback-style.
          const body = async function (this: unknown, ...args: unknown[]): Promise<void> {
            setFrameworkTimeout(this, frameworkTimeoutMs);
            const result = await runConformanceCheck(check, createConnector, { timeoutMs });
            if (result.status === 'failed') throw new ConformanceFailure(result.error ?? `${result.id} failed`);
            if (result.status === 'skipped') skipRunningTest(this, args[0], `${result.id}: ${result.reason ?? 'skipped'}`);
          };
          it(check.name, body, frameworkTimeoutMs);
        }
      });
    }
  });
}

/** The checks `only` selects (all of them without it). */
export function selectConformanceChecks(only?: readonly string[]): readonly ConformanceCheck[] {
  if (only === undefined || !Array.isArray(only)) return CONFORMANCE_CHECKS;
  const wanted = new Set(only);
  return CONFORMANCE_CHECKS.filter((check) => wanted.has(conformanceCheckId(check)) || wanted.has(check.group) || wanted.has(check.name));
}

/** Runs one check against a fresh connector and disconnects every connector it made. Never throws. */
export async function runConformanceCheck(
  check: ConformanceCheck,
  createConnector: ConnectorFactory,
  options: Pick<ConformanceOptions, 'timeoutMs'> = {},
): Promise<ConformanceCheckResult> {
  const id = conformanceCheckId(check);
  const startedAt = Date.now();
  const finish = (status: ConformanceStatus, detail: { error?: string; reason?: string } = {}): ConformanceCheckResult => ({
    id,
    group: check.group,
    name: check.name,
    status,
    ...detail,
    durationMs: Date.now() - startedAt,
  });
  const run = new CheckRun(createConnector, checkTimeout(options));
  try {
    await run.execute(check);
    return finish('passed');
  } catch (error) {
    if (error instanceof ConformanceSkip) return finish('skipped', { reason: error.message });
    return finish('failed', { error: `${id}: ${run.explain(error)}` });
  } finally {
    await run.dispose();
  }
}

/** A plain-text report: one line per check, failures with their message, then the totals. */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = report.results.map((result) => {
    if (result.status === 'passed') return `✓ ${result.id}`;
    if (result.status === 'skipped') return `- ${result.id} (skipped: ${result.reason ?? 'no reason given'})`;
    return `✗ ${result.id}\n    ${result.error ?? 'failed'}`;
  });
  const { passed, failed, skipped, total } = report.totals;
  lines.push(`${passed} passed, ${failed} failed, ${skipped} skipped of ${total} checks`);
  return lines.join('\n');
}

function summarize(results: readonly ConformanceCheckResult[]): ConformanceReport {
  const count = (status: ConformanceStatus): number => results.filter((result) => result.status === status).length;
  const totals = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), total: results.length };
  return { ok: totals.failed === 0 && totals.passed > 0, totals, results };
}

function checkTimeout(options: Pick<ConformanceOptions, 'timeoutMs'>): number {
  const { timeoutMs } = options;
  return typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_CHECK_TIMEOUT_MS;
}

function resolveFramework(options: RunConformanceOptions): { describe: ConformanceDescribe; it: ConformanceIt } {
  const globals = globalThis as { describe?: unknown; it?: unknown };
  const describe = options.describe ?? globals.describe;
  const it = options.it ?? globals.it;
  if (typeof describe !== 'function' || typeof it !== 'function') {
    const missing = [typeof describe !== 'function' ? 'describe' : null, typeof it !== 'function' ? 'it' : null].filter(Boolean).join(' and ');
    throw new Error(
      `runConnectorConformance needs the test framework's describe() and it(), but ${missing} is not defined on globalThis. ` +
        'Call it from a test file that mocha, jest or vitest (with globals: true) runs, or pass them in: ' +
        "runConnectorConformance(createConnector, { describe, it }) with describe and it imported from 'node:test' or 'vitest'.",
    );
  }
  return { describe: describe as ConformanceDescribe, it: it as ConformanceIt };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/** mocha sets per-test timeouts through `this`; jest and vitest read the third argument of `it`. */
function setFrameworkTimeout(testThis: unknown, timeoutMs: number): void {
  if (isRecord(testThis) && typeof testThis.timeout === 'function') testThis.timeout(timeoutMs);
}

/** vitest and node:test hand the test a context with `skip`; mocha has `this.skip()`; jest cannot skip at run time. */
function skipRunningTest(testThis: unknown, testContext: unknown, reason: string): void {
  if (isRecord(testContext) && typeof testContext.skip === 'function') {
    testContext.skip(reason);
    return;
  }
  if (isRecord(testThis) && typeof testThis.skip === 'function') testThis.skip();
}

interface EventWaiter {
  offer(event: ConnectorEvent): void;
  fail(message: string): void;
}

let uniqueCounter = 0;
const RUN_TOKEN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function uniqueValue(label: string): string {
  uniqueCounter += 1;
  return `${label}-${RUN_TOKEN}-${uniqueCounter}`;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return isRecord(value) && typeof value.then === 'function';
}

/**
 * One check's run: its connectors, the events it recorded, the calls still pending (named in a timeout
 * message) and the deadline.
 */
class CheckRun {
  readonly #createConnector: ConnectorFactory;
  readonly #timeoutMs: number;
  readonly #abort = new AbortController();
  /** Calls and waits not yet settled, by token, so a timeout can say what it was waiting for. */
  readonly #pending = new Map<number, string>();
  #nextToken = 0;
  /** Which call produced an error, so an unexpected rejection names the command. */
  readonly #failedCalls = new WeakMap<object, string>();
  #lastFailedCall: string | null = null;
  readonly #connectors: Connector[] = [];
  readonly #subscriptions: Subscription[] = [];
  readonly #events: ConnectorEvent[] = [];
  readonly #waiters = new Set<EventWaiter>();
  #streamFailure: string | null = null;

  constructor(createConnector: ConnectorFactory, timeoutMs: number) {
    this.#createConnector = createConnector;
    this.#timeoutMs = timeoutMs;
  }

  async execute(check: ConformanceCheck): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        // Read what is pending before aborting, which settles the waits.
        const message = this.#timeoutMessage();
        this.#abort.abort();
        reject(new ConformanceFailure(message));
      }, this.#timeoutMs);
    });
    try {
      await Promise.race([this.#prepareAndRun(check), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The failure message for anything a check threw. */
  explain(error: unknown): string {
    if (error instanceof ConformanceFailure) return error.message;
    const call = isRecord(error) ? this.#failedCalls.get(error) : this.#lastFailedCall;
    if (call !== undefined && call !== null) return `${call} failed unexpectedly with ${describeError(error)}`;
    return `the check stopped on an unexpected error: ${describeError(error)} (a connector result may not have the documented shape)`;
  }

  async dispose(): Promise<void> {
    this.#abort.abort();
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    const disconnects = this.#connectors.map(async (connector) => {
      try {
        await connector.disconnect();
      } catch {
        // The lifecycle checks judge disconnect(); cleanup only has to try.
      }
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.min(this.#timeoutMs, CLEANUP_LIMIT_MS));
    });
    await Promise.race([Promise.all(disconnects), limit]);
    clearTimeout(timer);
  }

  async #prepareAndRun(check: ConformanceCheck): Promise<void> {
    const connector = await this.#newConnector();
    if (check.requires !== undefined) {
      const capabilities: unknown = connector.capabilities;
      expectRecord(capabilities, 'connector.capabilities');
      if (capabilities[check.requires] !== true) skip(`capabilities.${check.requires} is ${show(capabilities[check.requires])}`);
    }
    this.#recordEvents(connector);
    const session: unknown = await connector.connect();
    expectRecord(session, 'connect() resolved with');
    expectRecord(session.agent, 'connect() session.agent');
    expectString(session.agent.id, 'connect() session.agent.id', { nonEmpty: true });
    const context: ConformanceContext = {
      connector,
      session: session as unknown as ConformanceContext['session'],
      events: this.#events,
      waitForEvent: (description, match, options) => this.#waitForEvent(description, match, options),
      createConnector: () => this.#newConnector(),
      signal: this.#abort.signal,
      unique: uniqueValue,
    };
    await check.run(context);
  }

  async #newConnector(): Promise<Connector> {
    const created: unknown = await this.#track('createConnector()', () => this.#createConnector());
    if (!isRecord(created)) fail(`createConnector() returned ${show(created)}; expected a connector object`);
    const connector = created as unknown as Connector;
    this.#connectors.push(connector);
    return this.#instrument(connector);
  }

  /** Wraps every method so pending and failed calls can be named in messages. */
  #instrument(connector: Connector): Connector {
    return new Proxy(connector, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function' || typeof property === 'symbol') return value;
        const descriptor = Object.getOwnPropertyDescriptor(target, property);
        // A proxy must return a frozen own property as it is.
        if (descriptor !== undefined && descriptor.configurable === false && descriptor.writable === false) return value;
        const method = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => this.#track(`connector.${property}(${args.map((arg) => show(arg)).join(', ')})`, () => method.apply(target, args));
      },
    });
  }

  #track<T>(label: string, start: () => T): T {
    let result: T;
    try {
      result = start();
    } catch (error) {
      this.#rememberFailure(error, `${label} (thrown synchronously)`);
      throw error;
    }
    if (!isPromiseLike(result)) return result;
    const token = this.#nextToken++;
    this.#pending.set(token, label);
    return Promise.resolve(result).then(
      (value) => {
        this.#pending.delete(token);
        return value;
      },
      (error: unknown) => {
        this.#pending.delete(token);
        this.#rememberFailure(error, label);
        throw error;
      },
    ) as T;
  }

  #rememberFailure(error: unknown, label: string): void {
    if (isRecord(error)) this.#failedCalls.set(error, label);
    else this.#lastFailedCall = label;
  }

  #recordEvents(connector: Connector): void {
    const events$: unknown = connector.events$;
    if (!isRecord(events$) || typeof events$.subscribe !== 'function') fail(`connector.events$ is ${show(events$)}; expected an Observable`);
    this.#subscriptions.push(
      connector.events$.subscribe({
        next: (event) => {
          this.#events.push(event);
          for (const waiter of [...this.#waiters]) waiter.offer(event);
        },
        error: (error: unknown) => {
          this.#streamFailure = `events$ errored with ${describeError(error)}`;
          for (const waiter of [...this.#waiters]) waiter.fail(this.#streamFailure);
        },
      }),
    );
  }

  #waitForEvent(description: string, match: (event: ConnectorEvent) => boolean, options: WaitForEventOptions = {}): Promise<ConnectorEvent> {
    const matches = (event: ConnectorEvent): boolean => {
      try {
        return match(event);
      } catch {
        return false; // A malformed event; the sequence checks report those.
      }
    };
    const found = this.#events.find(matches);
    if (found !== undefined) return Promise.resolve(found);
    if (this.#streamFailure !== null) return Promise.reject(new ConformanceFailure(`expected ${description}, but ${this.#streamFailure}`));
    const withinMs = options.withinMs ?? Math.max(1, Math.floor(this.#timeoutMs / 2));
    return new Promise<ConnectorEvent>((resolve, reject) => {
      const token = this.#nextToken++;
      this.#pending.set(token, description);
      const settle = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        this.#pending.delete(token);
        this.#abort.signal.removeEventListener('abort', onAbort);
      };
      const waiter: EventWaiter = {
        offer: (event) => {
          if (!matches(event)) return;
          settle();
          resolve(event);
        },
        fail: (message) => {
          settle();
          reject(new ConformanceFailure(message));
        },
      };
      const onAbort = (): void => waiter.fail(`stopped waiting for ${description}: the check ended`);
      const timer = setTimeout(() => waiter.fail(`expected ${description} within ${withinMs} ms, but none arrived (${this.#describeEvents()})`), withinMs);
      this.#abort.signal.addEventListener('abort', onAbort);
      this.#waiters.add(waiter);
    });
  }

  #describeEvents(): string {
    if (this.#events.length === 0) return 'no event arrived on events$ at all';
    const byType = new Map<string, number>();
    for (const event of this.#events) byType.set(String(event.type), (byType.get(String(event.type)) ?? 0) + 1);
    const counts = [...byType].map(([type, count]) => `${count} × ${type}`).join(', ');
    return `events$ delivered ${this.#events.length}: ${counts}`;
  }

  #timeoutMessage(): string {
    const waitingFor = [...this.#pending.values()];
    const suffix = waitingFor.length === 0 ? '' : ` (still waiting for ${waitingFor.join('; ')})`;
    return `did not settle within ${this.#timeoutMs} ms${suffix}`;
  }
}
