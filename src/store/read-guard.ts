import type { CommandOptions, Connector } from '../connector/connector.js';

/**
 * The reads whose answers can carry PII, with the position of their `CommandOptions` argument. A write is never
 * aborted here: its outcome matters (the outbox and the forms wait for it).
 */
const PII_READS: Partial<Record<keyof Connector, number>> = {
  snapshot: 0,
  listConversations: 1,
  getConversation: 1,
  listMessages: 2,
  getCustomer: 1,
  findCustomers: 1,
  listDuplicateCandidates: 1,
  revealIdentity: 2,
  listCustomerConversations: 1,
  listTickets: 1,
  getTicket: 1,
};

/** The connector as the store's effects call it, and a way to abort the reads it is still running. */
export interface ReadGuard {
  readonly connector: Connector;
  /**
   * Aborts every PII read still running (they reject with `aborted`). Called when the agent loses the right to see
   * PII: an answer asked for under the old rights could carry clear values into a desk that has just dropped them.
   */
  abortReads(): void;
}

export function guardReads(connector: Connector): ReadGuard {
  let reads = new AbortController();
  const guarded = new Proxy(connector, {
    get(target, property) {
      // Read on the connector itself (not the proxy): its methods and getters may use private fields.
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const optionsAt = typeof property === 'string' ? PII_READS[property as keyof Connector] : undefined;
      if (optionsAt === undefined) return (value as (...args: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const options = (args[optionsAt] ?? {}) as CommandOptions;
        const signal = options.signal ? AbortSignal.any([options.signal, reads.signal]) : reads.signal;
        const call = [...args];
        call[optionsAt] = { ...options, signal };
        return (value as (...args: unknown[]) => unknown).apply(target, call);
      };
    },
  });
  return {
    connector: guarded,
    abortReads() {
      reads.abort();
      reads = new AbortController();
    },
  };
}
