import { parentPort, workerData } from 'node:worker_threads';
import { main } from '../../cli.js';
import type { CliDone, CliWorkerData } from './worker-messages.js';
import { workerHost } from './worker-host.js';

// The worker thread that bin/dnstrace.js starts (see run-cli-in-worker.ts): the whole CLI, with
// the worker's host for standard streams and temporary directories.
const port = parentPort;
if (port === null) throw new Error('cli-worker.js runs in a worker thread (bin/dnstrace.js starts it)');
const data = workerData as CliWorkerData;
const code = await main(data.argv, workerHost(data.streams, port));
port.postMessage({ kind: 'done', code } satisfies CliDone);
