import { describe, expect, it } from 'vitest';
import { describeTerminal } from './terminal';

const tty = { isTTY: true, columns: 100 };
const pipe = { isTTY: false };

describe('describeTerminal', () => {
  it('gives a terminal the dashboard in colour, and a pipe plain lines', () => {
    expect(describeTerminal(tty, {}, false)).toEqual({ kind: 'dashboard', color: true, width: 100 });
    expect(describeTerminal(pipe, {}, false)).toEqual({ kind: 'lines', color: false, width: 80 });
  });
  it('gives TERM=dumb lines without colour: no escape sequences at all', () => {
    expect(describeTerminal(tty, { TERM: 'dumb' }, false)).toMatchObject({ kind: 'lines', color: false });
  });
  it('honours FORCE_COLOR as Node does, also into a pipe, over NO_COLOR and TERM=dumb; never in JSON', () => {
    for (const force of ['1', '2', '3', 'true', '']) {
      expect(describeTerminal(pipe, { FORCE_COLOR: force }, false)).toMatchObject({
        kind: 'lines',
        color: true,
      });
      expect(describeTerminal(tty, { FORCE_COLOR: force, NO_COLOR: '1', TERM: 'dumb' }, false).color).toBe(
        true,
      );
    }
    for (const off of ['0', 'false'])
      expect(describeTerminal(tty, { FORCE_COLOR: off }, false).color).toBe(false);
    expect(describeTerminal(tty, { NO_COLOR: '1' }, false).color).toBe(false);
    expect(describeTerminal(pipe, { FORCE_COLOR: '1' }, true)).toMatchObject({ kind: 'json', color: false });
  });
});
