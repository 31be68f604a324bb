import { html, nothing, type TemplateResult } from 'lit';
import type { Message } from '../../connector/model.js';
import type { ErrorInfo } from '../../store/errors.js';
import { formatBytes, formatDuration, formatTimestamp, type Locale, type MessageKey } from '../../i18n/i18n.js';
import { safeLinkUrl } from '../../internal/safe-url.js';

export interface MessageViewContext {
  readonly locale: Locale;
  readonly t: (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;
  readonly sendError: ErrorInfo | undefined;
  readonly onRetry: (message: Message) => void;
}

/**
 * One message as the agent reads it. Every field is untrusted and bound as text; URLs pass `safeLinkUrl`
 * or are shown as plain text.
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
  return html`<article class=${classes} data-message-id=${message.id} data-delivery=${message.delivery} aria-label=${message.authorName}>
    <div class="author">
      ${message.authorName}${message.direction === 'internal' ? html` · <span>${t('conversation.internalNote')}</span>` : nothing}
    </div>
    ${message.email ? renderEnvelope(message, t) : nothing}
    ${message.call ? renderCall(message, t) : nothing}
    ${message.text ? html`<p class="text">${message.text}</p>` : nothing}
    ${message.attachments.length > 0
      ? html`<ul class="attachments">
          ${message.attachments.map((attachment) => {
            const label = t('conversation.attachment', { name: attachment.name, size: formatBytes(locale, attachment.size) });
            const href = safeLinkUrl(attachment.url);
            return html`<li>${href
              ? html`<a href=${href} download=${attachment.name} rel="noopener noreferrer" target="_blank">${label}</a>`
              : label}</li>`;
          })}
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
  if (message.delivery === 'failed') {
    return html`<span class="failed" role="alert">${context.sendError
        ? t('delivery.failedReason', { message: context.sendError.message })
        : t('delivery.failed')}</span>
      <button type="button" @click=${() => context.onRetry(message)}>${t('delivery.retry')}</button>`;
  }
  return html`<span class="delivery">${t(`delivery.${message.delivery}`)}</span>`;
}
