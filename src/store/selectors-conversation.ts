import { createSelector, type Selector } from './select.js';
import { selectSelectedConversationId } from './selectors.js';
import { emptyComposerExtras, type ComposerExtras, type ConversationOperation } from './slices/conversation.js';
import type { DeskState } from './state.js';

export const selectCannedReplies = (state: DeskState) => state.conversation.cannedReplies;
export const selectTransferTargets = (state: DeskState) => state.conversation.transferTargets;

/** The email fields and attachments the composer of the selected conversation holds. */
export const selectSelectedComposerExtras: Selector<DeskState, ComposerExtras> = createSelector(
  [(state: DeskState) => state.conversation.composer, selectSelectedConversationId],
  (composer, id) => (id === null ? emptyComposerExtras : composer.get(id) ?? emptyComposerExtras),
);

/** The transfer, resolve or reopen in flight (or failed) on the selected conversation, if any. */
export const selectSelectedOperation: Selector<DeskState, ConversationOperation | null> = createSelector(
  [(state: DeskState) => state.conversation.operations, selectSelectedConversationId],
  (operations, id) => (id === null ? null : operations.get(id) ?? null),
);
