/** A knowledge article, filled in for the conversation's customer, was added to that conversation's reply. */
export class CcArticleInsertedEvent extends Event {
  static readonly eventName = 'cc-article-inserted';
  readonly detail: { readonly articleId: string; readonly conversationId: string };

  constructor(detail: { articleId: string; conversationId: string }) {
    super(CcArticleInsertedEvent.eventName, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-article-inserted': CcArticleInsertedEvent;
  }
}
