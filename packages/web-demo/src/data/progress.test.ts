import { describe, expect, it } from 'vitest';
import { sumProgress } from './progress';

describe('download progress over several files', () => {
  const files = {
    'a.gz': { file: 'a.gz', bytesDone: 10, bytesTotal: 10 },
    'b.gz': { file: 'b.gz', bytesDone: 5, bytesTotal: undefined },
  };
  it('adds the bytes; the total is the shipped sizes when known, else what every server announced', () => {
    expect(sumProgress(files)).toEqual({ bytesDone: 15, bytesTotal: undefined });
    expect(sumProgress(files, { 'a.gz': 10, 'b.gz': 40, 'c.gz': 50 })).toEqual({
      bytesDone: 15,
      bytesTotal: 100,
    });
    expect(sumProgress({ 'a.gz': files['a.gz'] })).toEqual({ bytesDone: 10, bytesTotal: 10 });
    expect(sumProgress({})).toEqual({ bytesDone: 0, bytesTotal: 0 });
  });
});
