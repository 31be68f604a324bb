import { CcKnowledgeSearch } from './knowledge-search.component.js';

export { CcKnowledgeSearch };

if (!customElements.get('cc-knowledge-search')) customElements.define('cc-knowledge-search', CcKnowledgeSearch);

declare global {
  interface HTMLElementTagNameMap {
    'cc-knowledge-search': CcKnowledgeSearch;
  }
}
