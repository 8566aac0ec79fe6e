/**
 * VSAQ writes its texts as HTML fragments (`<p>`, `<code>`, `<a href>`, `<b>`, entities). Bulwark keeps
 * questionnaire text as plain text (the portal never renders a template's text as HTML), so imported text is
 * converted: paragraphs and list items become lines, a link keeps its address in brackets, tags go, and
 * entities are decoded. The result is only ever shown as text, so no markup can reach a page from an import.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  times: '×',
  deg: '°',
  shy: '',
  zwnj: '',
  zwj: '',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z]{2,8});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** Plain text of an HTML fragment (idempotent on plain text, apart from whitespace). */
export function htmlToText(html: string): string {
  let s = html.replace(/\r\n?/g, '\n');
  // Links keep where they point: "text (https://…)".
  s = s.replace(
    /<a\b[^>]*?\bhref\s*=\s*("([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi,
    (_m, _q, dq?: string, sq?: string, inner?: string) => {
      const href = decodeEntities((dq ?? sq ?? '').trim());
      const label = (inner ?? '').replace(/<[^>]*>/g, '');
      const text = decodeEntities(label).trim();
      if (!href || href.startsWith('#') || href === text) return label;
      return `${label} (${href})`;
    },
  );
  s = s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n• ')
    .replace(/<\/li\s*>/gi, '')
    .replace(/<\/(p|div|ul|ol|h[1-6]|tr|table|blockquote|pre)\s*>/gi, '\n')
    .replace(/<(p|div|ul|ol|h[1-6]|tr|table|blockquote|pre)\b[^>]*>/gi, '\n')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\/?[A-Za-z][^>]*>/g, '');
  s = decodeEntities(s);
  return s
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
