/**
 * Capture-derived strings are attacker-controlled (a name can hold "|", "`", "<script>").
 * Everything from a capture goes through one of these before it reaches markdown.
 */
import { escapeControls } from './escape-controls.js';

/**
 * Characters that would start markup, break a table cell, or open HTML (CommonMark §2.4 lets any
 * ASCII punctuation be backslash-escaped; HTML-significant ones become entities instead so no
 * renderer can see a tag). "$" starts math on GitHub.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~&$!]/g;

/** A line that starts like a list item, a heading underline or a quote would change the block. */
const BLOCK_MARK = /^(\s*)([-+=])/;
const ORDERED_MARK = /^(\s*\d+)([.)])/;

/** Escapes text for a markdown paragraph or table cell. */
export function md(text: string): string {
  return escapeControls(text)
    .replace(MARKDOWN_SPECIAL, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
    .replace(BLOCK_MARK, '$1\\$2')
    .replace(ORDERED_MARK, '$1\\$2');
}

/** Names made only of these characters are shown as code; anything else as escaped text. */
const PLAIN_NAME = /^[A-Za-z0-9._:\-[\]/]*$/;

/** A capture string as inline code when that is safe, else as escaped text. */
export function code(text: string): string {
  if (text.length > 0 && PLAIN_NAME.test(text)) return `\`${text}\``;
  return md(text);
}

/** Control characters shown as \xNN so nothing can break a line or a terminal. */
export function stripControls(text: string): string {
  return escapeControls(text);
}

/**
 * A fenced code block that no content can close early: the fence is longer than any run of
 * backticks inside (CommonMark §4.5). Lines keep their breaks; controls are escaped.
 */
export function fenced(body: string, info = ''): string[] {
  const lines = body.split(/\r?\n/).map(escapeControls);
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...lines, fence];
}
