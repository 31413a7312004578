import { main } from './main';

// The one place that ends the process: every command resolves with its exit code (exit-codes.ts:
// 0 success, 1 failure, 2 usage error, 130/143 stopped by SIGINT or q / SIGTERM, 141 stdout closed).
const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  onSignal: (handler) => {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
  // A second interrupt: no handler any more, the signal's default action ends the process (as the shell
  // sees it: 130 or 143), even while a read is stuck in Node's thread pool.
  quitAtOnce: (signal) => {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  },
});
process.exit(code);
