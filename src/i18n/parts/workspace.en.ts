/** English strings of the workspace layout. */
export const workspaceEn = {
  'workspace.tabs': 'Desk sections',
  'workspace.tab.list': 'Inbox',
  'workspace.tab.conversation': 'Conversation',
  'workspace.tab.customer': 'Customer',
  'workspace.tab.tickets': 'Tickets',
  'workspace.tab.knowledge': 'Knowledge',
  'workspace.side': 'Customer details',
  'workspace.shortcuts': 'Keyboard shortcuts: {list}',
  'workspace.shortcut.nextUrgent': 'next urgent conversation',
  'workspace.shortcut.focusComposer': 'reply',
  'workspace.shortcut.acceptOffer': 'accept offer',
  'workspace.shortcut.focusList': 'inbox',
  'workspace.shortcut.focusKnowledge': 'knowledge',
  'workspace.noUrgent': 'Nothing is waiting for a reply.',
} as const;
