// Temporary `.part` files of downloads: their names, and the rule for removing the ones killed runs left behind.
import { randomBytes } from 'node:crypto';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DatasetInfo } from '../datasets.js';
import { FILE_ROLES } from '../datasets.js';

/**
 * A `.part` file is removed by age alone once it has not been written for this long. A running download writes
 * at least every `timeoutMs` (default 30 s) or fails, and ends at its deadline (default at most about 11 minutes
 * per file), so a day without a write means no download of ours is writing it, whatever machine it came from.
 */
export const STALE_PART_AGE_MS = 24 * 60 * 60 * 1000;

/** This machine's name as it appears in `.part` names (letters, digits and dashes only). */
function thisHost(): string {
  return hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';
}

/**
 * The temporary path a download writes before renaming to `finalPath`: `<final>.<host>.<pid>.<8 hex>.part`.
 * Unique per process and attempt, so concurrent loaders never write the same file; the host and pid let a later
 * run tell whether the writer is still alive.
 */
export function partialPath(finalPath: string): string {
  return `${finalPath}.${thisHost()}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
}

/** True if a process with this pid runs on this machine (EPERM: it exists but belongs to another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes the `.part` files that killed downloads left in a data set's cache directory, and returns their paths.
 *
 * Only names of our own pattern are considered: one of the data set's file names, `.gz`, then host, pid and 8 hex
 * digits, then `.part` (earlier versions wrote no host: those go by age only). One is removed when
 * - it was written on this machine by a process that no longer runs (a killed run: removed at once), or
 * - it has not been written for {@link STALE_PART_AGE_MS} (its writer is gone, wherever it ran).
 * Not by pid alone for other machines or unknown hosts: a cache shared over a network or between containers sees
 * pids from another process table, and a pid can be reused; a live writer's file is never touched.
 * Errors are ignored: a cache we cannot clean is still usable.
 */
export async function removeStaleParts(dir: string, info: DatasetInfo, now = Date.now()): Promise<string[]> {
  const names = FILE_ROLES.map((role) => info.files[role]).join('|');
  const pattern = new RegExp(`^(?:${names})\\.gz\\.(?:([A-Za-z0-9-]+)\\.)?(\\d+)\\.[0-9a-f]{8}\\.part$`);
  const host = thisHost();
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const match = pattern.exec(entry);
    if (!match) continue;
    const path = join(dir, entry);
    try {
      const stats = await lstat(path);
      if (!stats.isFile()) continue;
      const pid = Number(match[2]);
      const writerGone = match[1] === host && pid > 0 && !isRunning(pid);
      if (writerGone || now - stats.mtimeMs > STALE_PART_AGE_MS) {
        await unlink(path);
        removed.push(path);
      }
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}
