import type { Conversation } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as accessActions from '../actions-access.js';
import type { ErrorInfo, RequestStatus } from '../errors.js';
import type { AppliedEvent } from './applied-event.js';

export interface ConversationsSlice {
  readonly entities: PersistentMap<Conversation>;
  /** Paging through `listConversations` beyond the snapshot's working set. */
  readonly pageStatus: RequestStatus;
  readonly nextCursor: string | null;
  /** False once the last page has been loaded. */
  readonly hasMore: boolean;
  readonly error: ErrorInfo | null;
}

export const initialConversations: ConversationsSlice = {
  entities: PersistentMap.empty(),
  pageStatus: 'idle',
  nextCursor: null,
  hasMore: true,
  error: null,
};

export function conversationsReducer(slice: ConversationsSlice, action: Action, event: AppliedEvent): ConversationsSlice {
  if (event) {
    if (event.type === 'conversation.upserted') {
      const entities = slice.entities.set(event.conversation.id, event.conversation);
      return entities === slice.entities ? slice : { ...slice, entities };
    }
    if (event.type === 'conversation.removed') {
      const entities = slice.entities.delete(event.conversationId);
      return entities === slice.entities ? slice : { ...slice, entities };
    }
    return slice;
  }
  if (actions.snapshotLoaded.match(action)) {
    // The snapshot is newer than what is held, but it holds only the working set: conversations paged in beyond
    // it (or open in the thread) are kept, so nothing the agent is looking at or typing into disappears.
    let entities = slice.entities;
    for (const conversation of action.payload.snapshot.conversations) entities = entities.set(conversation.id, conversation);
    return entities === slice.entities ? slice : { ...slice, entities };
  }
  if (actions.moreConversationsRequested.match(action)) {
    return slice.pageStatus === 'loading' || !slice.hasMore ? slice : { ...slice, pageStatus: 'loading', error: null };
  }
  if (actions.conversationsPageLoaded.match(action)) {
    let entities = slice.entities;
    for (const conversation of action.payload.conversations) {
      // Events are newer than a page that was in flight: keep what the stream already told us.
      if (!entities.has(conversation.id)) entities = entities.set(conversation.id, conversation);
    }
    const nextCursor = action.payload.nextCursor;
    return { ...slice, entities, pageStatus: 'loaded', nextCursor, hasMore: nextCursor !== null };
  }
  if (actions.conversationsPageFailed.match(action)) return { ...slice, pageStatus: 'failed', error: action.payload.error };
  if (actions.conversationSelected.match(action)) {
    // Opening a conversation reads it; the backend confirms through an event.
    const entities = slice.entities.update(action.payload.conversationId, (conversation) =>
      conversation.unreadCount === 0 ? conversation : { ...conversation, unreadCount: 0 },
    );
    return entities === slice.entities ? slice : { ...slice, entities };
  }
  // Rows held under the right to see PII may show it: they go, and the snapshot and paging load them again.
  if (accessActions.accessChanged.match(action) && !action.payload.viewPii) return initialConversations;
  if (actions.workspaceStopped.match(action)) return initialConversations;
  return slice;
}
