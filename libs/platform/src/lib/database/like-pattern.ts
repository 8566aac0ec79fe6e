/** A LIKE/ILIKE pattern matching `search` anywhere in the text, with `%`, `_` and `\` in it taken literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
