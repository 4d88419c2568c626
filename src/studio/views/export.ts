/**
 * Downloads from views: a chart as SVG or PNG, its data as CSV. Browser-only helpers; the
 * data never leaves the machine (a blob URL is clicked and revoked).
 */

/** Offers text as a file download. */
export function downloadText(filename: string, mime: string, text: string): void {
  downloadBlob(filename, new Blob([text], { type: mime }));
}

/** Offers a blob as a file download. */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The first <svg> of an element, serialised with its namespace so it opens on its own. */
export function svgText(root: Element): string | null {
  const svg = root instanceof SVGSVGElement ? root : root.querySelector('svg');
  if (!svg) return null;
  const copy = svg.cloneNode(true);
  if (!(copy instanceof SVGSVGElement)) return null;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // Plot styles the chart with a <style> inside the SVG, and the page font; make the file self-contained.
  copy.style.background = '#ffffff';
  copy.style.fontFamily = 'system-ui, sans-serif';
  return new XMLSerializer().serializeToString(copy);
}

/** Renders SVG text to a PNG blob at `scale` × its size. */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2-D canvas is available to draw the image.');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file-name-safe slug of a title. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9\u4e00-\u9fff]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
}
