/**
 * A Svelte action that reports once an element comes near the viewport, so the notebook draws
 * a step's results only when a reader gets there (drawing every table and chart at once
 * blocks the page). Printing needs everything: `beforeprint` reports every element as seen.
 */

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
  function cleanup(): void {
    observer?.disconnect();
    removeEventListener('beforeprint', fire);
  }
  return { destroy: cleanup };
}
