// Runs axe-core in the test page and fails on serious or critical violations.
import type { AxeResults, RunOptions } from 'axe-core';

interface AxeGlobal {
  run(context: Element | Document, options?: RunOptions): Promise<AxeResults>;
}

let loading: Promise<AxeGlobal> | undefined;

/** axe-core ships as a classic script; load it once from the dev server's node_modules. */
function loadAxe(): Promise<AxeGlobal> {
  loading ??= new Promise<AxeGlobal>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => resolve((window as unknown as { axe: AxeGlobal }).axe);
    script.onerror = () => reject(new Error('axe-core could not be loaded'));
    document.head.append(script);
  });
  return loading;
}

export async function expectAccessible(element: Element): Promise<void> {
  const axe = await loadAxe();
  const results = await axe.run(element, { resultTypes: ['violations'] });
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  if (serious.length > 0) {
    const report = serious
      .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.nodes.map((node) => node.html).join('\n  ')}`)
      .join('\n');
    throw new Error(`axe found ${serious.length} serious or critical violation(s):\n${report}`);
  }
}
