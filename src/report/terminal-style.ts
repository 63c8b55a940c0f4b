/**
 * SGR colours for the terminal summary. Only these sequences ever reach a terminal: capture
 * strings are escaped to printable ASCII (escapeToAscii) before they are styled.
 */
const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;

export type Style = keyof typeof SGR;

export interface Painter {
  (style: Style, text: string): string;
}

/** A painter that colours, or one that returns the text unchanged (NO_COLOR, --no-color, not a TTY). */
export function createPainter(color: boolean): Painter {
  if (!color) return (_style, text) => text;
  return (style, text) => (text === '' ? text : `\x1b[${SGR[style]}m${text}\x1b[0m`);
}
