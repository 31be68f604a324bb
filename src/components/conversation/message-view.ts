import { html, nothing, type TemplateResult } from 'lit';
import type { Attachment, DeliveryState, Message } from '../../connector/model.js';
import type { ErrorInfo } from '../../store/errors.js';
import { formatBytes, formatDuration, formatTimestamp, type Locale, type MessageKey } from '../../i18n/i18n.js';
import { safeLinkUrl } from '../../internal/safe-url.js';
import { styleProperties } from '../../internal/style-properties.js';
import { emailDocument } from './email-frame.js';
import { renderLinkedText } from './linkify.js';

export interface MessageViewContext {
  readonly locale: Locale;
  readonly t: (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;
  readonly sendError: ErrorInfo | undefined;
  readonly onRetry: (message: Message) => void;
  /** Whether the agent allowed this email's remote images. */
  readonly remoteImagesAllowed: boolean;
  readonly onAllowRemoteImages: (message: Message) => void;
}

/** Raster formats a browser shows as an image without running anything; SVG, HTML and XML are never shown live. */
const RASTER_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Where an attachment may be fetched from: the web, or a file the agent picked in this page (`blob:`). */
const FILE_URL_SCHEMES = new Set(['http:', 'https:', 'blob:']);

const DELIVERY_ICONS: Readonly<Record<DeliveryState, string>> = {
  sending: '◷',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '⚠',
};

/** The attachment's URL when it is http(s) or a blob of this page; otherwise undefined and the name is shown as text. */
export function safeFileUrl(candidate: string): string | undefined {
  try {
    const url = new URL(candidate.trim());
    // A blob: URL names its creator's origin; one from any other origin (backend data) is not a file picked here.
    if (url.protocol === 'blob:' && url.origin !== globalThis.location?.origin) return undefined;
    // Credentials make a URL read as one host while it goes to another (`https://bank.example∕@evil.test/`).
    if (url.username !== '' || url.password !== '') return undefined;
    return FILE_URL_SCHEMES.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A thumbnail is shown only for a raster image type and a safe URL; everything else is a download link. */
export function isThumbnailable(attachment: Attachment): boolean {
  return RASTER_IMAGE_TYPES.has(attachment.mimeType.trim().toLowerCase()) && safeFileUrl(attachment.url) !== undefined;
}

/** A thumbnail that cannot load (the file moved, the host is offline) goes away; the download link stays. */
function hideBrokenImage(event: Event): void {
  (event.target as HTMLImageElement).hidden = true;
}

/** One attachment: a thumbnail for a raster image, then its name and size as a download link (or as text). */
export function renderAttachment(attachment: Attachment, context: Pick<MessageViewContext, 't' | 'locale'>): TemplateResult {
  const { t, locale } = context;
  const label = t('conversation.attachment', { name: attachment.name, size: formatBytes(locale, attachment.size) });
  const href = safeFileUrl(attachment.url);
  // A page's own blob is downloaded in place; a remote file opens in a new tab when the server ignores `download`.
  const link = href
    ? href.startsWith('blob:')
      ? html`<a href=${href} download=${attachment.name}>${label}</a>`
      : html`<a href=${href} download=${attachment.name} rel="noopener noreferrer" target="_blank">${label}</a>`
    : html`<span>${label}</span>`;
  return html`<li class="attachment">
    ${href && isThumbnailable(attachment)
      ? html`<img class="thumbnail" src=${href} alt=${attachment.name} loading="lazy" referrerpolicy="no-referrer" @error=${hideBrokenImage} />`
      : nothing}
    ${link}
  </li>`;
}

/**
 * One message as the agent reads it. Every field is untrusted and bound as text; links pass `safeLinkUrl`, and an
 * email's HTML only ever reaches a sandboxed frame after DOMPurify.
 */
export function renderMessage(message: Message, context: MessageViewContext): TemplateResult {
  const { t, locale } = context;
  if (message.direction === 'system') {
    return html`<div class="message system" data-message-id=${message.id}>
      <span class="visually-hidden">${t('conversation.system')}: </span>${message.text}
      <time datetime=${new Date(message.sentAt).toISOString()}> · ${formatTimestamp(locale, message.sentAt)}</time>
    </div>`;
  }
  const classes = `message ${message.direction}`;
  const htmlBody = message.email?.html ?? null;
  return html`<article class=${classes} data-message-id=${message.id} data-delivery=${message.delivery} aria-label=${message.authorName}>
    <div class="author">
      ${message.authorName}${message.direction === 'internal' ? html` · <span>${t('conversation.internalNote')}</span>` : nothing}
    </div>
    ${message.email ? renderEnvelope(message, t) : nothing}
    ${message.call ? renderCall(message, t) : nothing}
    ${htmlBody !== null ? renderEmailBody(message, htmlBody, context) : message.text ? html`<p class="text">${renderLinkedText(message.text)}</p>` : nothing}
    ${message.attachments.length > 0
      ? html`<ul class="attachments" aria-label=${t('conversation.view.attachments')}>
          ${message.attachments.map((attachment) => renderAttachment(attachment, context))}
        </ul>`
      : nothing}
    <div class="footer">
      <time datetime=${new Date(message.sentAt).toISOString()}>${formatTimestamp(locale, message.sentAt)}</time>
      ${message.direction === 'inbound' ? nothing : renderDelivery(message, context)}
    </div>
  </article>`;
}

function renderEnvelope(message: Message, t: MessageViewContext['t']): TemplateResult {
  const email = message.email;
  if (!email) return html``;
  return html`<div class="envelope">
    <div><strong>${t('conversation.subject', { subject: email.subject })}</strong></div>
    <div>${t('conversation.emailFrom', { from: email.from })}</div>
    <div>${t('conversation.emailTo', { to: email.to.join(', ') })}</div>
    ${email.cc.length > 0 ? html`<div>${t('conversation.emailCc', { cc: email.cc.join(', ') })}</div>` : nothing}
  </div>`;
}

/**
 * The sanitised body in a sandboxed frame: no `allow-scripts`, no `allow-same-origin` (an opaque origin, so the
 * desk cannot read its height either). The height is estimated from the content and capped; a longer body scrolls
 * inside the frame, and the agent can drag the frame taller.
 */
function renderEmailBody(message: Message, body: string, context: MessageViewContext): TemplateResult {
  const { t } = context;
  const allowed = context.remoteImagesAllowed;
  const frame = emailDocument(body, allowed);
  return html`<div class="email-body">
    ${frame.blockedRemote > 0
      ? html`<div class="remote-notice">
          <span>${t('conversation.view.remoteBlocked')}</span>
          <button type="button" @click=${() => context.onAllowRemoteImages(message)}>${t('conversation.view.showRemote')}</button>
        </div>`
      : nothing}
    <iframe
      class="email-frame"
      sandbox="allow-popups allow-popups-to-escape-sandbox"
      referrerpolicy="no-referrer"
      title=${t('conversation.view.emailBody', { subject: message.email?.subject ?? '' })}
      ${styleProperties({ height: `${frame.estimatedHeight}px` })}
      .srcdoc=${frame.srcdoc}
    ></iframe>
  </div>`;
}

function renderCall(message: Message, t: MessageViewContext['t']): TemplateResult {
  const call = message.call;
  if (!call) return html``;
  const recording = safeLinkUrl(call.recordingUrl);
  return html`<div class="envelope">
    <div><strong>${t('conversation.call', {
      direction: t(call.direction === 'inbound' ? 'conversation.callInbound' : 'conversation.callOutbound'),
      duration: formatDuration(call.durationSeconds),
    })}</strong></div>
    ${call.disposition ? html`<div>${t('conversation.callDisposition', { disposition: call.disposition })}</div>` : nothing}
    ${recording ? html`<div><a href=${recording} rel="noopener noreferrer" target="_blank">${t('conversation.callRecording')}</a></div>` : nothing}
    ${call.transcript
      ? html`<details><summary>${t('conversation.callTranscript')}</summary><p class="text">${call.transcript}</p></details>`
      : nothing}
  </div>`;
}

function renderDelivery(message: Message, context: MessageViewContext): TemplateResult {
  const { t } = context;
  const icon = html`<span class="delivery-icon" aria-hidden="true">${DELIVERY_ICONS[message.delivery]}</span>`;
  if (message.delivery === 'failed') {
    return html`<span class="delivery failed" role="alert">${icon} ${context.sendError
        ? t('delivery.failedReason', { message: context.sendError.message })
        : t('delivery.failed')}</span>
      <button type="button" @click=${() => context.onRetry(message)}>${t('delivery.retry')}</button>`;
  }
  if (message.delivery === 'sending' && context.sendError) {
    // The outbox holds it and sends it again (same key): its outcome is unknown, not failed.
    const hint = `${t('delivery.unconfirmedHint')} ${t('notice.detail', { message: context.sendError.message })}`;
    return html`<span class="delivery delivery-unconfirmed" title=${hint}>${icon} ${t('delivery.unconfirmed')}<span class="visually-hidden">. ${hint}</span></span>`;
  }
  return html`<span class="delivery delivery-${message.delivery}">${icon} ${t(`delivery.${message.delivery}`)}</span>`;
}
