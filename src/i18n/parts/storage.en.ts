/** English strings of the browser storage: unconfirmed sends and storage warnings. */
export const storageEn = {
  'delivery.unconfirmed': 'Not confirmed',
  'delivery.unconfirmedHint': 'The server has not confirmed this message yet. It is sent again automatically, and cannot arrive twice.',
  'notice.lead.storageQuota': 'This browser has no storage space left: drafts and unsent replies are kept only while this page stays open.',
  'notice.lead.storageFailed': 'Offline storage is not available: drafts and unsent replies will not survive a reload.',
  'notice.lead.storageBlocked': 'Another tab of the desk is still on an older version; close or reload it so this one can finish updating its storage.',
  'notice.lead.storageOutdated': 'A newer version of the desk has updated its storage in another tab: reload this page so drafts and unsent replies are kept safe.',
  'notice.lead.storageUnreadable': 'Some data this browser kept for the desk could not be read and is not shown; conversations are loaded from the server again.',
} as const;
