import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeData } from './terminal-safe';

describe('terminalSafe', () => {
  it('writes every control character as an escape, so nothing reaches the terminal raw', () => {
    expect(terminalSafe('a\u001b[2J\u001b]0;pwned\u0007b')).toBe('a\\e[2J\\e]0;pwned\\x07b');
    expect(terminalSafe('x.png: 7 (99.0%)\rforged\nline\t\u007f\u009b\u202e')).toBe(
      'x.png: 7 (99.0%)\\rforged\\nline\\t\\x7f\\x9b\\u{202e}',
    );
    for (let code = 0; code < 0x20; code++) {
      expect(terminalSafe(String.fromCharCode(code))).toMatch(/^\\/);
    }
  });
  it('keeps text as it is when it holds no control character, and newlines when asked', () => {
    const plain = 'mnist: /tmp/mödel dir/model.json is not a model (☃, 7×7).';
    expect(terminalSafe(plain)).toBe(plain);
    expect(terminalSafe('one\ntwo\u001b', { lines: true })).toBe('one\ntwo\\e');
  });
  it('makes every string of an event safe, keeping newlines in messages and reports only, numbers and arrays as they are', () => {
    const probabilities = Float32Array.of(0.5);
    const event = {
      type: 'done',
      message: 'Stopped.\nNot saved: m\u001b[31m',
      reportText: '   precision\n0  0.9\u001b[2J',
      results: [{ model: 'evil\n\u001b]0;x\u0007', saved: null, testAccuracy: 0.5 }],
      probabilities,
    };
    expect(terminalSafeData(event)).toEqual({
      type: 'done',
      message: 'Stopped.\nNot saved: m\\e[31m',
      reportText: '   precision\n0  0.9\\e[2J',
      results: [{ model: 'evil\\n\\e]0;x\\x07', saved: null, testAccuracy: 0.5 }],
      probabilities,
    });
    expect(event.results[0]?.model).toBe('evil\n\u001b]0;x\u0007');
  });
});
