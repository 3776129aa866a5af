/**
 * Replays a recorded workflow history (the JSON the Web UI's "Download" or scripts/record-history.sh
 * gives) against the workflow code of this checkout, offline: no server, no workers. Exit 0: the
 * code still produces the recorded commands (safe to deploy for jobs in flight); 1: it does not,
 * with the nondeterminism named. Usage: node --import tsx scripts/replay-history.ts history.json…
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { historyFromJSON as HistoryFromJSON } from '@temporalio/common/lib/proto-utils';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { historyFromJSON } = require('@temporalio/common/lib/proto-utils') as { historyFromJSON: typeof HistoryFromJSON };

// The replay worker's state changes are chatter here; a nondeterminism is reported below, per file.
Runtime.install({ logger: new DefaultLogger('ERROR') });

async function main(files: string[]): Promise<number> {
  if (!files.length) {
    console.error('usage: node --import tsx scripts/replay-history.ts HISTORY.json [...]');
    return 2;
  }
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', 'workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never });
  let failed = 0;
  for (const file of files) {
    try {
      await Worker.runReplayHistory({ workflowBundle }, historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8'))), path.basename(file));
      console.log(`ok      ${file}`);
    } catch (err) {
      failed++;
      console.log(`FAILED  ${file}: ${(err as Error).message}`);
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
