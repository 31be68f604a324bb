// The store side of the 10,000-event fault run (test/faults/events.mjs bundles this file with esbuild for Node).
//
// The REAL desk store (`createDeskStore`, every effect) on an `HttpConnector` whose base URL is the fault proxy.
// Every action the store applies is watched: for each `[Connector] event received` the state's sequence
// bookkeeping before and after tells whether the event was applied (its stream advanced by exactly 1), ignored as
// a duplicate, seen as a gap (the store resyncs from a snapshot), or held while not live. Alongside, per stream,
// what the state reflects: the base of the last snapshot plus the events applied after it. From that:
//
// - duplicatesApplied: an event applied whose (stream, seq) had been applied before; must be 0.
// - gaps: holes in what the state reflects: an event applied that is not the next after what the state covered,
//   or a snapshot whose sequence is behind what was already applied (the state went back); must be 0. The gaps the
//   store itself detects and heals by loading a snapshot are counted apart (`gapsDetected`), as is what snapshots
//   covered (`coveredBySnapshots`).
import type { ConnectorEvent } from '../../src/connector/connector.js';
import { HttpConnector } from '../../src/connector/http/http-connector.js';
import * as actions from '../../src/store/actions.js';
import { createDeskStore, type DeskStore } from '../../src/store/create-store.js';
import type { DeskState } from '../../src/store/state.js';

export interface EventStats {
  /** `[Connector] event received` actions dispatched on the store. */
  delivered: number;
  applied: number;
  duplicatesIgnored: number;
  gapsDetected: number;
  notLive: number;
  duplicatesApplied: number;
  gaps: number;
  snapshots: number;
  /** Sum of the sequence jumps of every snapshot over what the state covered before it. */
  coveredBySnapshots: number;
  /** `[Connector] state changed` to reconnecting (the store saw its socket drop). */
  reconnects: number;
}

export interface EventStoreRun {
  readonly store: DeskStore;
  readonly stats: EventStats;
  /** Per stream: the last seq the state reflects (snapshot base or the last event applied after it). */
  readonly covered: Map<string, number>;
  /** Per stream: how many events the state applied one by one, and how many snapshots skipped over. */
  readonly perStream: Map<string, { applied: number; coveredBySnapshots: number }>;
  readonly problems: string[];
  state(): DeskState;
  /** The sequences the state holds, as a plain object. */
  sequences(): Record<string, number>;
  stop(): void;
}

export function startEventStore(options: { baseUrl: string; token: string; WebSocket: unknown; log?: (line: string) => void }): EventStoreRun {
  const log = options.log ?? (() => undefined);
  const connector = new HttpConnector({
    baseUrl: options.baseUrl,
    getToken: async () => options.token,
    WebSocket: options.WebSocket as typeof WebSocket,
  });
  const store = createDeskStore({ connector, ownsConnector: true });
  const stats: EventStats = {
    delivered: 0,
    applied: 0,
    duplicatesIgnored: 0,
    gapsDetected: 0,
    notLive: 0,
    duplicatesApplied: 0,
    gaps: 0,
    snapshots: 0,
    coveredBySnapshots: 0,
    reconnects: 0,
  };
  const covered = new Map<string, number>();
  const perStream = new Map<string, { applied: number; coveredBySnapshots: number }>();
  const appliedSeqs = new Map<string, Set<number>>();
  const problems: string[] = [];
  const problem = (line: string): void => {
    if (problems.length < 50) problems.push(line);
    log(`events: ${line}`);
  };
  const streamStats = (stream: string) => {
    let entry = perStream.get(stream);
    if (!entry) perStream.set(stream, (entry = { applied: 0, coveredBySnapshots: 0 }));
    return entry;
  };

  let previous = store.getState();
  const subscription = store.actions$.subscribe((action) => {
    const before = previous;
    const after = store.getState();
    previous = after;
    if (actions.eventReceived.match(action)) {
      const event: ConnectorEvent = action.payload.event;
      stats.delivered += 1;
      const last = before.connection.sequences.get(event.stream) ?? 0;
      const now = after.connection.sequences.get(event.stream) ?? 0;
      if (before.connection.sync !== 'live') {
        stats.notLive += 1;
        if (now !== last) problem(`${event.stream} #${event.seq} moved the sequence while not live (${last} → ${now})`);
        return;
      }
      if (now === last + 1 && now === event.seq) {
        stats.applied += 1;
        streamStats(event.stream).applied += 1;
        let seen = appliedSeqs.get(event.stream);
        if (!seen) appliedSeqs.set(event.stream, (seen = new Set()));
        if (seen.has(event.seq)) {
          stats.duplicatesApplied += 1;
          problem(`${event.stream} #${event.seq} applied a second time`);
        }
        seen.add(event.seq);
        const reflected = covered.get(event.stream) ?? 0;
        if (event.seq !== reflected + 1) {
          stats.gaps += 1;
          problem(`${event.stream} #${event.seq} applied after ${reflected}: a hole`);
        }
        covered.set(event.stream, event.seq);
      } else if (now === last) {
        if (event.seq <= last) stats.duplicatesIgnored += 1;
        else {
          stats.gapsDetected += 1;
          if (after.connection.sync === 'live') problem(`${event.stream} #${event.seq} skipped ahead of ${last} but the store stayed live`);
        }
      } else {
        problem(`${event.stream} #${event.seq} moved the sequence ${last} → ${now}`);
      }
      return;
    }
    if (actions.snapshotLoaded.match(action)) {
      stats.snapshots += 1;
      for (const [stream, seq] of Object.entries(action.payload.snapshot.sequences)) {
        const reflected = covered.get(stream) ?? null;
        if (reflected !== null && seq < reflected) {
          stats.gaps += 1;
          problem(`snapshot ${stats.snapshots}: ${stream} at ${seq}, behind the ${reflected} already applied (the state went back)`);
        }
        if (reflected !== null && seq > reflected) {
          stats.coveredBySnapshots += seq - reflected;
          streamStats(stream).coveredBySnapshots += seq - reflected;
        }
        covered.set(stream, seq);
        // What a snapshot covers is in the state now; an event at or below it applied again later is a duplicate.
        let seen = appliedSeqs.get(stream);
        if (!seen) appliedSeqs.set(stream, (seen = new Set()));
        for (let s = (reflected ?? seq) + 1; s <= seq; s += 1) seen.add(s);
      }
      return;
    }
    if (actions.connectionStateChanged.match(action) && action.payload.state === 'reconnecting') stats.reconnects += 1;
  });

  store.dispatch(actions.workspaceStarted());
  return {
    store,
    stats,
    covered,
    perStream,
    problems,
    state: () => store.getState(),
    sequences: () => {
      const out: Record<string, number> = {};
      store.getState().connection.sequences.forEach((seq, stream) => {
        out[stream] = seq;
      });
      return out;
    },
    stop() {
      subscription.unsubscribe();
      store.destroy();
    },
  };
}

/** Opens a conversation as the list does (the thread loads, the conversation is marked read). */
export function selectConversation(run: EventStoreRun, conversationId: string): void {
  run.store.dispatch(actions.conversationSelected({ conversationId }));
}
