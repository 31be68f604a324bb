import { CcSoftphone } from './softphone.component.js';

export { CcSoftphone };

if (!customElements.get('cc-softphone')) customElements.define('cc-softphone', CcSoftphone);

declare global {
  interface HTMLElementTagNameMap {
    'cc-softphone': CcSoftphone;
  }
}
