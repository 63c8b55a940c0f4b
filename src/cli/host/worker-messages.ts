/** What the main thread tells the CLI's worker about the standard streams it cannot see itself. */
export interface StreamFacts {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stdoutColumns: number | undefined;
  stderrIsTTY: boolean;
  stderrColumns: number | undefined;
}

export interface CliWorkerData {
  argv: string[];
  streams: StreamFacts;
}

/** From the worker: make a temporary directory that a signal removes (signals reach the main thread only). */
export interface MakeDirectoryRequest {
  kind: 'make-directory';
  id: number;
  base: string;
}

/** From the worker: the run is done with a directory it asked for. */
export interface RemoveDirectoryRequest {
  kind: 'remove-directory';
  path: string;
}

/** From the worker: main(argv) returned this exit code. */
export interface CliDone {
  kind: 'done';
  code: number;
}

export type WorkerMessage = MakeDirectoryRequest | RemoveDirectoryRequest | CliDone;

/** To the worker: the directory made, or why it could not be. */
export interface DirectoryMade {
  kind: 'directory';
  id: number;
  path?: string;
  error?: { code?: string; message: string };
}
