/** English strings of least privilege: revealing masked data, and what a role may not do. Placeholders are `{name}`. */
export const accessEn = {
  'access.reveal': 'Reveal',
  'access.revealLabel': 'Reveal the full {kind}',
  'access.revealing': 'Revealing…',
  'access.revealFailed': 'Could not reveal it: {message}',
  'access.masked': '{kind}, partly hidden',
  'access.profileReadOnly': 'Your role may not change this profile.',
  'access.ticketsReadOnly': 'Your role may not create or change tickets.',
} as const;
