/**
 * Assertions for the conformance checks. They depend on no test framework (connector authors use mocha, jest,
 * vitest or node:test) and write messages for the person fixing the connector: what was expected, what came back.
 */
import { CONNECTOR_ERROR_CODES, ConnectorError, type ConnectorErrorCode } from '../errors.js';

/** Thrown when a connector breaks a rule; its message is shown to the connector author as it is. */
export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

/** Thrown when a check cannot apply to this connector (e.g. the backend has no queues); reported as skipped. */
export class ConformanceSkip extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ConformanceSkip';
  }
}

export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

export function skip(reason: string): never {
  throw new ConformanceSkip(reason);
}

export function ensure(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) fail(typeof message === 'string' ? message : message());
}

const MAX_SHOWN_LENGTH = 160;

/** A short, readable rendering of any value for a failure message. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return truncate(JSON.stringify(value));
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Error) return truncate(`${value.name}: ${JSON.stringify(value.message)}`);
  try {
    const json = JSON.stringify(value, (_key, inner: unknown) => (inner instanceof AbortSignal ? '[AbortSignal]' : inner));
    return truncate(json ?? String(value));
  } catch {
    return truncate(String(value));
  }
}

function truncate(text: string): string {
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH - 1)}…` : text;
}

export function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) fail(`${what}: expected ${show(expected)}, received ${show(actual)}`);
}

export function expectDeepEqual(actual: unknown, expected: unknown, what: string): void {
  if (stableJson(actual) !== stableJson(expected)) fail(`${what}: expected ${show(expected)}, received ${show(actual)}`);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  }) ?? 'undefined';
}

export function expectRecord(value: unknown, what: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`${what}: expected an object, received ${show(value)}`);
  }
}

export function expectArray(value: unknown, what: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) fail(`${what}: expected an array, received ${show(value)}`);
}

export function expectString(value: unknown, what: string, options: { nonEmpty?: boolean } = {}): asserts value is string {
  if (typeof value !== 'string') fail(`${what}: expected a string, received ${show(value)}`);
  if (options.nonEmpty && value.trim() === '') fail(`${what}: expected a non-empty string, received ${show(value)}`);
}

export function expectNullableString(value: unknown, what: string): asserts value is string | null {
  if (value !== null && typeof value !== 'string') fail(`${what}: expected a string or null, received ${show(value)}`);
}

export function expectNumber(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${what}: expected a finite number, received ${show(value)}`);
}

export function expectNullableNumber(value: unknown, what: string): asserts value is number | null {
  if (value !== null) expectNumber(value, what);
}

export function expectBoolean(value: unknown, what: string): asserts value is boolean {
  if (typeof value !== 'boolean') fail(`${what}: expected true or false, received ${show(value)}`);
}

export function expectOneOf<T>(value: unknown, allowed: readonly T[], what: string): asserts value is T {
  if (!allowed.includes(value as T)) {
    fail(`${what}: expected one of ${allowed.map((option) => show(option)).join(', ')}, received ${show(value)}`);
  }
}

/**
 * What a conformant rejection looks like. A connector bundled separately carries its own copy of the
 * `ConnectorError` class, so `instanceof` alone would wrongly fail it: the name and code are accepted too.
 */
export interface ConnectorErrorLike {
  readonly name: string;
  readonly code: ConnectorErrorCode;
  readonly message: string;
}

export function isConnectorErrorLike(value: unknown): value is ConnectorErrorLike {
  if (value instanceof ConnectorError) return true;
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { name?: unknown; code?: unknown };
  return candidate.name === 'ConnectorError' && CONNECTOR_ERROR_CODES.includes(candidate.code as ConnectorErrorCode);
}

/** How a thrown value reads in a failure message. */
export function describeError(error: unknown): string {
  if (isConnectorErrorLike(error)) return `ConnectorError [${error.code}] ${show(error.message)}`;
  if (error instanceof Error) {
    return error.constructor === Error ? `a plain Error (${show(error.message)})` : `${error.name} (${show(error.message)})`;
  }
  return show(error);
}

const READABLE_HINT =
  'reject with a ConnectorError from cc-workspace (or an Error whose name is "ConnectorError" and whose code is one of ' +
  `${CONNECTOR_ERROR_CODES.join(', ')})`;

/** Asserts that `error` is a conformant ConnectorError with a message a person can read. */
export function expectConnectorError(error: unknown, what: string): ConnectorErrorLike {
  if (!isConnectorErrorLike(error)) {
    if (error instanceof ConnectorError || (error instanceof Error && error.name === 'ConnectorError')) {
      fail(`${what} rejected with a ConnectorError whose code ${show((error as { code?: unknown }).code)} is not one of ${CONNECTOR_ERROR_CODES.join(', ')}`);
    }
    fail(`${what} rejected with ${describeError(error)}, not a ConnectorError; ${READABLE_HINT}`);
  }
  const message = typeof error.message === 'string' ? error.message.trim() : '';
  if (message === '' || message === 'undefined' || message === '[object Object]') {
    fail(`${what} rejected with a ConnectorError [${error.code}] whose message is ${show(error.message)}; write a message a person can read`);
  }
  return error;
}

export interface RejectionExpectation {
  /** The code, or the codes any of which is right. */
  readonly code: ConnectorErrorCode | readonly ConnectorErrorCode[];
  /** Text the message must contain, e.g. the unknown id, so a person can tell what was wrong. */
  readonly mentions?: string;
}

/**
 * Runs `command` and asserts it rejects with a conformant ConnectorError of the expected code.
 * `what` names the call, e.g. `getConversation("x")`.
 */
export async function expectRejection(
  what: string,
  command: () => Promise<unknown>,
  expectation: RejectionExpectation,
): Promise<ConnectorErrorLike> {
  const codes: readonly ConnectorErrorCode[] = typeof expectation.code === 'string' ? [expectation.code] : expectation.code;
  const expected = codes.map((code) => `"${code}"`).join(' or ');
  let outcome: Promise<unknown>;
  try {
    outcome = command();
  } catch (error) {
    fail(`${what} threw synchronously (${describeError(error)}); commands must return a Promise that rejects`);
  }
  let value: unknown;
  try {
    value = await outcome;
  } catch (error) {
    const connectorError = expectConnectorError(error, what);
    if (!codes.includes(connectorError.code)) {
      fail(`${what}: expected a ConnectorError with code ${expected}, received code "${connectorError.code}" (${show(connectorError.message)})`);
    }
    if (expectation.mentions !== undefined && !connectorError.message.includes(expectation.mentions)) {
      fail(`${what}: the "${connectorError.code}" message ${show(connectorError.message)} should mention ${show(expectation.mentions)} so a person can tell what was wrong`);
    }
    return connectorError;
  }
  return fail(`${what}: expected a rejection with code ${expected}, but it resolved with ${show(value)}`);
}
