/**
 * VSAQ writes its texts as HTML fragments (`<p>`, `<code>`, `<a href>`, `<b>`, entities). Bulwark keeps
 * questionnaire text as plain text (the portal never renders a template's text as HTML), so imported text is
 * converted: paragraphs and list items become lines, a link keeps its address in brackets, tags go, and
 * entities are decoded. The result is only ever shown as text, so no markup can reach a page from an import.
 *
 * One pass over the text with `indexOf` (no backtracking regular expression over the whole input), so a hostile
 * file of unclosed tags or comments costs time in proportion to its size.
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

/** Block-level tags: they start and end a line. */
const BLOCK = new Set(['p', 'div', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'table', 'blockquote', 'pre']);

/** Plain text of an HTML fragment (idempotent on plain text, apart from whitespace). */
export function htmlToText(html: string): string {
  const s = html.replace(/\r\n?/g, '\n');
  let out = '';
  /** The open links' targets, innermost last, and where each link's text began in `out`. */
  const links: { href: string; start: number }[] = [];
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    if (lt < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, lt);
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      i = end < 0 ? s.length : end + 3;
      continue;
    }
    const m = /^<(\/?)([A-Za-z][A-Za-z0-9]*)/.exec(s.slice(lt, lt + 16));
    const gt = m ? s.indexOf('>', lt + 1) : -1;
    if (!m || gt < 0) {
      // Not a tag ("a < b"), or none closes after this: the rest is text.
      out += '<';
      i = lt + 1;
      if (m && gt < 0) {
        out += s.slice(i);
        break;
      }
      continue;
    }
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    const attrs = s.slice(lt + m[0].length, gt);
    i = gt + 1;
    if (name === 'br') out += '\n';
    else if (name === 'li' && !closing) out += '\n• ';
    else if (BLOCK.has(name)) out += '\n';
    else if (name === 'a' && !closing) {
      const h = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);
      links.push({ href: decodeEntities((h?.[1] ?? h?.[2] ?? h?.[3] ?? '').trim()), start: out.length });
    } else if (name === 'a' && closing) {
      const link = links.pop();
      const label = link ? decodeEntities(out.slice(link.start)).trim() : '';
      if (link?.href && !link.href.startsWith('#') && link.href !== label) out += ` (${link.href})`;
    }
  }
  return decodeEntities(out)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
