import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMAND_SPECS } from '../src/args/commands';
import { EXIT } from '../src/exit-codes';

// The README documents what the code does: these facts are read from the code, not typed twice.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the option table under `### \`mnist <command>...`: [option cell, default cell]. */
function optionRows(command: string): [string, string][] {
  const section = readme.split(/^### /m).find((part) => part.startsWith(`\`mnist ${command}`)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `') || line.startsWith('| `-'))
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()))
    .map((cells) => [cells[1] ?? '', cells[3] ?? ''] as [string, string]);
}

const plain = (text: string) => text.replace(/`/g, '');

describe('README', () => {
  it.each(COMMAND_NAMES)(
    'mnist %s: every default in its option table is the one the code uses',
    (command) => {
      const rows = optionRows(command);
      expect(rows.length).toBeGreaterThan(0);
      let checked = 0;
      for (const [option, spec] of Object.entries(COMMAND_SPECS[command])) {
        const expected = spec.defaultHelp ?? spec.default;
        if (expected === undefined) continue;
        // Rows that document this option alone (shared rows list several flags and say "as for train").
        const row = rows.find(([cell]) => {
          const flags = (cell.match(/`[^`]*`/g) ?? []).filter((span) => span.startsWith('`-'));
          return (
            flags.length === 1 && new RegExp(`^\`(-\\w, )?--${option}( [^\`]*)?\`$`).test(flags[0] ?? '')
          );
        });
        if (row === undefined) continue;
        expect(plain(row[1]).startsWith(expected), `--${option}: "${row[1]}" vs "${expected}"`).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    },
  );
  it('lists every exit code', () => {
    const table = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('## Development'));
    for (const code of Object.values(EXIT)) expect(table).toMatch(new RegExp(`^\\| ${code} +\\|`, 'm'));
  });
});
