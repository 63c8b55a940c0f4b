/**
 * Capture-derived strings are attacker-controlled (a name can hold "|", "`", "<script>").
 * Everything from a capture goes through one of these before it reaches markdown.
 */

/** Characters that would start markup, break a table cell, or open HTML. */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#|~&]/g;

/** Escapes text for a markdown paragraph or table cell. */
export function md(text: string): string {
  return stripControls(text).replace(MARKDOWN_SPECIAL, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

/** Names made only of these characters are shown as code; anything else as escaped text. */
const PLAIN_NAME = /^[A-Za-z0-9._:\-[\]/]*$/;

/** A capture string as inline code when that is safe, else as escaped text. */
export function code(text: string): string {
  if (text.length > 0 && PLAIN_NAME.test(text)) return `\`${text}\``;
  return md(text);
}

/** Control characters (C0, DEL, C1) and line breaks shown as \xNN so nothing can break a line or a terminal. */
export function stripControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
