/**
 * What the cache restores into slices whose own reducers know nothing of storage (conversations, customers). The
 * root reducer runs these after them. The cache never overrides: what the backend already sent is newer.
 */
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import type { ConversationsSlice } from './conversations.js';
import type { CustomersSlice } from './customers.js';

export function cachedConversationsReducer(slice: ConversationsSlice, action: Action): ConversationsSlice {
  if (actions.cacheRestored.match(action)) {
    let entities = slice.entities;
    for (const conversation of action.payload.conversations) {
      if (!entities.has(conversation.id)) entities = entities.set(conversation.id, conversation);
    }
    return entities === slice.entities ? slice : { ...slice, entities };
  }
  if (actions.cachedConversationsExpired.match(action)) {
    let entities = slice.entities;
    for (const id of action.payload.conversationIds) entities = entities.delete(id);
    return entities === slice.entities ? slice : { ...slice, entities };
  }
  return slice;
}

export function cachedCustomersReducer(slice: CustomersSlice, action: Action): CustomersSlice {
  if (!actions.cacheRestored.match(action)) return slice;
  let entities = slice.entities;
  for (const customer of action.payload.customers) {
    if (!entities.has(customer.id)) entities = entities.set(customer.id, customer);
  }
  return entities === slice.entities ? slice : { entities };
}
