import { CcWorkspace } from './workspace.component.js';

export { CcWorkspace };

if (!customElements.get('cc-workspace')) customElements.define('cc-workspace', CcWorkspace);

declare global {
  interface HTMLElementTagNameMap {
    'cc-workspace': CcWorkspace;
  }
}
