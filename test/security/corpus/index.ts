/**
 * The hostile-input corpus: every vector of every class, with an id (`<class prefix>-<nnn>`) and its tokens filled
 * in. See README.md in this folder for the classes and where they come from.
 */
import { cssInjection } from './css-injection.js';
import { eventHandlers } from './event-handlers.js';
import { mutationXss } from './mutation-xss.js';
import { oversizedControl } from './oversized-control.js';
import { protocolRelative } from './protocol-relative.js';
import { svgMathml } from './svg-mathml.js';
import { templateInjection } from './template-injection.js';
import { unicode } from './unicode.js';
import { urlSchemes } from './url-schemes.js';
import { fill, isActive, tokensFor, type Vector, type VectorClass } from './vector.js';

export { EVIL_HOST, SENTINEL, VECTOR_CLASSES, type VectorClass } from './vector.js';

export interface Payload {
  /** `<class prefix>-<nnn>`, e.g. `eh-007`: what the sentinel, a dialog or a request to the foreign host names. */
  readonly id: string;
  readonly vectorClass: VectorClass;
  /** The hostile text itself. */
  readonly text: string;
  /** Whether it would run script, fetch or name its id if it were mishandled (false for pure spoofing text). */
  readonly active: boolean;
}

export const CLASS_SOURCES: Readonly<Record<VectorClass, { readonly prefix: string; readonly vectors: readonly Vector[] }>> = {
  'event-handlers': { prefix: 'eh', vectors: eventHandlers },
  'url-schemes': { prefix: 'url', vectors: urlSchemes },
  'protocol-relative': { prefix: 'pr', vectors: protocolRelative },
  'svg-mathml': { prefix: 'svg', vectors: svgMathml },
  'mutation-xss': { prefix: 'mx', vectors: mutationXss },
  'template-injection': { prefix: 'tpl', vectors: templateInjection },
  'css-injection': { prefix: 'css', vectors: cssInjection },
  unicode: { prefix: 'uni', vectors: unicode },
  'oversized-control': { prefix: 'big', vectors: oversizedControl },
};

function build(): readonly Payload[] {
  let rotation = 0;
  return Object.entries(CLASS_SOURCES).flatMap(([vectorClass, { prefix, vectors }]) =>
    vectors.map((vector, index) => {
      const id = `${prefix}-${String(index + 1).padStart(3, '0')}`;
      const text = fill(vector, tokensFor(id, rotation++));
      return { id, vectorClass: vectorClass as VectorClass, text, active: isActive(vector) };
    }),
  );
}

/** Every payload, class by class, in file order. */
export const CORPUS: readonly Payload[] = build();
