// The one place untrusted text is made safe for a terminal: file and directory names, what a model.json says,
// library messages quoting either. Control characters would otherwise reach the terminal raw: an escape sequence
// clears the screen or sets the window title, a carriage return or a newline forges a line. JSON output never
// goes through here (JSON.stringify escapes control characters itself, and keeps the text exact).

/**
 * C0 controls (bar newline, handled apart), DEL, C1 controls, and the invisible bidirectional overrides and
 * isolates that reorder what a line appears to say.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\r': '\\r', '\n': '\\n', '\u001b': '\\e' };

function escapeCharacter(character: string): string {
  const named = NAMED[character];
  if (named !== undefined) return named;
  const code = character.codePointAt(0) as number;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * `text` with every control character written as an escape (`\e`, `\r`, `\x07`, `\u{202e}`): what a terminal
 * shows is what the text holds, and nothing in it can move the cursor, recolour, retitle or add a line. With
 * `lines`, newlines are kept (for our own multi-line messages); without, they are escaped too (`\n`), so that one
 * name or result stays on one line.
 */
export function terminalSafe(text: string, options: { readonly lines?: boolean } = {}): string {
  const safe = text.replace(UNSAFE, escapeCharacter);
  return options.lines === true ? safe : safe.replace(/\n/g, '\\n');
}

/**
 * One of our messages, which may have several lines, made {@link terminalSafe}, with the untrusted names it quotes
 * (`quoted`: the file or directory it is about) escaped whole, newlines included: a name cannot add a line.
 */
export function terminalSafeMessage(message: string, quoted: readonly string[] = []): string {
  let text = message;
  for (const name of quoted) {
    if (name !== '' && terminalSafe(name) !== name) text = text.split(name).join(terminalSafe(name));
  }
  return terminalSafe(text, { lines: true });
}

/** The event fields that are ours and may have several lines: their newlines are kept. */
const MULTI_LINE_FIELDS: ReadonlySet<string> = new Set(['message', 'reportText']);

/**
 * A copy of an event (or any plain data) with every string in it made {@link terminalSafe}, for the outputs that
 * show it in a terminal (the lines and the dashboard; the JSON printer and the report get the event as it is).
 * Newlines are kept only in {@link MULTI_LINE_FIELDS}.
 */
export function terminalSafeData<T>(value: T, key?: string): T {
  if (typeof value === 'string')
    return terminalSafe(value, { lines: key !== undefined && MULTI_LINE_FIELDS.has(key) }) as T;
  if (Array.isArray(value)) return value.map((item) => terminalSafeData(item)) as T;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) copy[name] = terminalSafeData(item, name);
  return copy as T;
}
