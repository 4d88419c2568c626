/**
 * Notes are markdown written by people: rendered with marked, then sanitised with DOMPurify
 * so a note can never run script or inject markup. Browser-only (DOMPurify needs a DOM).
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

/** Renders a note to safe HTML. */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] });
}
