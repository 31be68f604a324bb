import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import { ticketLoadFailed } from '../actions-tickets.js';
import { storageRecordsUnreadable } from '../actions-local-data.js';
import type { ErrorInfo } from '../errors.js';

/** A failure shown to the agent until dismissed. */
export interface Notice {
  readonly id: string;
  readonly source: string;
  readonly error: ErrorInfo;
}

export interface UiSlice {
  readonly selectedConversationId: string | null;
  /** What the agent has typed but not sent, per conversation. */
  readonly drafts: PersistentMap<string>;
  readonly notices: readonly Notice[];
  /** Numbers notices so each has a stable id for dismissal. */
  readonly noticeCount: number;
}

export const initialUi: UiSlice = { selectedConversationId: null, drafts: PersistentMap.empty(), notices: [], noticeCount: 0 };

/** At most this many notices are kept; older ones are dropped first. */
const MAX_NOTICES = 5;

function addNotice(slice: UiSlice, action: Action & { payload: { error: ErrorInfo } }): UiSlice {
  // Aborted requests were cancelled on purpose (the agent moved on); they are not failures to show.
  if (action.payload.error.code === 'aborted') return slice;
  const { error } = action.payload;
  // The same failure repeated (a retry loop, say) is shown once.
  if (slice.notices.some((existing) => existing.source === action.type && existing.error.message === error.message)) return slice;
  const notice: Notice = { id: `notice-${slice.noticeCount + 1}`, source: action.type, error };
  return { ...slice, notices: [...slice.notices, notice].slice(-MAX_NOTICES), noticeCount: slice.noticeCount + 1 };
}

export function uiReducer(slice: UiSlice, action: Action): UiSlice {
  if (actions.conversationSelected.match(action)) {
    const id = action.payload.conversationId;
    return id === slice.selectedConversationId ? slice : { ...slice, selectedConversationId: id };
  }
  if (actions.draftChanged.match(action)) {
    const { conversationId, text } = action.payload;
    const drafts = text === '' ? slice.drafts.delete(conversationId) : slice.drafts.set(conversationId, text);
    return drafts === slice.drafts ? slice : { ...slice, drafts };
  }
  if (actions.composerTextInserted.match(action)) {
    const { conversationId, text } = action.payload;
    if (text === '') return slice;
    const current = slice.drafts.get(conversationId) ?? '';
    // What the agent already typed stays; the inserted text follows it after a blank line.
    const next = current.trim() === '' ? text : `${current.replace(/\s+$/u, '')}\n\n${text}`;
    return { ...slice, drafts: slice.drafts.set(conversationId, next) };
  }
  if (actions.draftsRestored.match(action)) {
    // What the agent typed since the page loaded is newer than what was stored.
    let drafts = slice.drafts;
    for (const { conversationId, text } of action.payload.drafts) {
      if (text !== '' && !drafts.has(conversationId)) drafts = drafts.set(conversationId, text);
    }
    return drafts === slice.drafts ? slice : { ...slice, drafts };
  }
  if (actions.messageSubmitted.match(action)) {
    // The text now lives in the thread as a pending message, so the draft can go.
    return { ...slice, drafts: slice.drafts.delete(action.payload.conversationId) };
  }
  if (actions.noticeDismissed.match(action)) {
    const notices = slice.notices.filter((notice) => notice.id !== action.payload.noticeId);
    return notices.length === slice.notices.length ? slice : { ...slice, notices };
  }
  if (
    actions.connectFailed.match(action) ||
    actions.snapshotFailed.match(action) ||
    actions.eventStreamFailed.match(action) ||
    actions.conversationsPageFailed.match(action) ||
    actions.messagesFailed.match(action) ||
    actions.messageSendFailed.match(action) ||
    actions.markReadFailed.match(action) ||
    actions.customerLoadFailed.match(action) ||
    ticketLoadFailed.match(action) ||
    actions.effectFailed.match(action) ||
    actions.storageQuotaExceeded.match(action) ||
    actions.storageFailed.match(action) ||
    actions.storageBlocked.match(action) ||
    actions.storageOutdated.match(action) ||
    storageRecordsUnreadable.match(action)
  ) {
    return addNotice(slice, action);
  }
  if (actions.workspaceStopped.match(action)) return initialUi;
  return slice;
}
