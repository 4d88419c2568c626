/**
 * A Svelte action that reports once an element comes near the viewport, so the notebook draws
 * a step's results only when a reader gets there (drawing every table and chart at once
 * blocks the page). Printing needs everything: `renderAllEvent` (sent by the print button a
 * moment before printing) and `beforeprint` report every element as seen.
 */

/** Window event that makes every lazily drawn part draw now (sent before printing). */
export const renderAllEvent = 'insight:render-all';

/** Calls `onVisible` once, when the element is within `margin` of the viewport or the page prints. */
export function whenVisible(node: HTMLElement, onVisible: () => void): { destroy(): void } {
  let done = false;
  const fire = (): void => {
    if (done) return;
    done = true;
    cleanup();
    onVisible();
  };
  const observer = typeof IntersectionObserver === 'function' ? new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && fire(), { rootMargin: '400px 0px' }) : null;
  observer?.observe(node);
  if (!observer) fire();
  addEventListener('beforeprint', fire);
  addEventListener(renderAllEvent, fire);
  function cleanup(): void {
    observer?.disconnect();
    removeEventListener('beforeprint', fire);
    removeEventListener(renderAllEvent, fire);
  }
  return { destroy: cleanup };
}
