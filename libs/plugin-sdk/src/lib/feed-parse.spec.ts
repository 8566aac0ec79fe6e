import { describe, expect, it } from 'vitest';

import { assertXmlNesting, FEED_MAX_DEPTH, jsonNestingDepth, parseFeedJson, xmlNestingDepth } from './feed-parse.js';
import { FeedParseError } from './plugin.js';

describe('parseFeedJson', () => {
  it('parses JSON (a BOM and surrounding blanks allowed)', () => {
    expect(parseFeedJson(Buffer.from('\uFEFF {"a":[1,{"b":"]}"}]} \n'), 'feed')).toEqual({ a: [1, { b: ']}' }] });
  });

  it('names what is wrong with a body, never quoting it', () => {
    const cases: [string, RegExp][] = [
      ['', /^feed: empty body$/],
      ['<html><body>secret-token-123</body></html>', /^feed: got an HTML page, not JSON \(42 characters\)$/],
      ['{"token": secret-token-123}', /^feed: not JSON \(27 characters that do not parse\)$/],
    ];
    for (const [body, message] of cases) {
      const err = (() => {
        try {
          parseFeedJson(body, 'feed');
        } catch (e) {
          return e as Error;
        }
        throw new Error('expected a FeedParseError');
      })();
      expect(err).toBeInstanceOf(FeedParseError);
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain('secret-token');
    }
  });

  it('refuses a body nested deeper than the budget before parsing it, and quickly', () => {
    const hostile = '['.repeat(4 * 1024 * 1024);
    const t0 = performance.now();
    expect(() => parseFeedJson(hostile, 'summary.json')).toThrow(
      new FeedParseError(`summary.json: nested deeper than ${FEED_MAX_DEPTH} levels; refused before parsing (a feed nests a few levels)`),
    );
    // Generous: JSON.parse of the same body takes seconds; the scan stops at the first level over the budget.
    expect(performance.now() - t0).toBeLessThan(1000);
    const deepButValid = `${'['.repeat(FEED_MAX_DEPTH + 1)}${']'.repeat(FEED_MAX_DEPTH + 1)}`;
    expect(() => parseFeedJson(deepButValid, 'x')).toThrow(/nested deeper than/);
    const atTheLimit = `${'['.repeat(FEED_MAX_DEPTH)}${']'.repeat(FEED_MAX_DEPTH)}`;
    expect(() => parseFeedJson(atTheLimit, 'x')).not.toThrow();
  });

  it('counts nesting outside strings only', () => {
    expect(jsonNestingDepth('{"a":"[[[[[\\"[[[","b":[{"c":[]}]}')).toBe(4);
    expect(jsonNestingDepth('[]')).toBe(1);
    expect(jsonNestingDepth('42')).toBe(0);
  });
});

describe('XML nesting', () => {
  it('counts element nesting, skipping comments, CDATA, declarations and quoted attributes', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss><rss a="<b>" b='>'><channel><!-- <x><y><z> --><item><![CDATA[<p><q>]]><br/></item></channel></rss>`;
    expect(xmlNestingDepth(xml)).toBe(3);
  });

  it('refuses markup nested deeper than the budget', () => {
    const hostile = `<rss>${'<a>'.repeat(1_000_000)}`;
    expect(() => assertXmlNesting(hostile, 'Azure status feed')).toThrow(/^Azure status feed: nested deeper than 64 levels/);
    expect(() => assertXmlNesting(`<rss><channel><item/></channel></rss>`, 'feed')).not.toThrow();
  });
});
