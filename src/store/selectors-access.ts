import { PERMISSIONS, type Permission } from '../connector/model.js';
import { createSelector } from './select.js';
import { selectAgent } from './selectors.js';
import { selectPanelCustomerId } from './selectors-customer360.js';
import type { RevealedIdentity } from './slices/access.js';
import type { DeskState } from './state.js';

/** What the signed-in agent's role allows, one flag per permission, for parts to hide or disable what it does not. */
export interface AccessRights {
  /** Whether the agent is known yet; until then every flag is false. */
  readonly known: boolean;
  readonly viewPii: boolean;
  readonly revealPii: boolean;
  readonly editCustomer: boolean;
  readonly mergeCustomers: boolean;
  readonly editTickets: boolean;
  readonly transferConversations: boolean;
  /** For the softphone: place and take calls. */
  readonly usePhone: boolean;
  /** For the softphone: save call records. */
  readonly recordCalls: boolean;
}

export const NO_ACCESS: AccessRights = {
  known: false,
  viewPii: false,
  revealPii: false,
  editCustomer: false,
  mergeCustomers: false,
  editTickets: false,
  transferConversations: false,
  usePhone: false,
  recordCalls: false,
};

const noPermissions: readonly Permission[] = [];

/** The signed-in agent's permissions; every one when the backend reports none (it does not restrict), none until it is known. */
export const selectPermissions = createSelector([selectAgent], (agent): readonly Permission[] =>
  agent === null ? noPermissions : (agent.permissions ?? PERMISSIONS),
);

export const selectAccess = createSelector([selectAgent, selectPermissions], (agent, permissions): AccessRights => {
  if (agent === null) return NO_ACCESS;
  const has = (permission: Permission): boolean => permissions.includes(permission);
  return {
    known: true,
    viewPii: has('view-pii'),
    revealPii: has('reveal-pii'),
    editCustomer: has('edit-customer'),
    mergeCustomers: has('merge-customers'),
    editTickets: has('edit-tickets'),
    transferConversations: has('transfer-conversations'),
    usePhone: has('use-phone'),
    recordCalls: has('record-calls'),
  };
});

const noReveals: readonly RevealedIdentity[] = [];

/** Identities revealed for the customer the panel shows (none for any other customer). */
export const selectPanelReveals = createSelector(
  [(state: DeskState) => state.access, selectPanelCustomerId],
  (access, customerId): readonly RevealedIdentity[] => (customerId !== null && access.customerId === customerId ? access.revealed : noReveals),
);
