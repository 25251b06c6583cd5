// Messages between the script host (main thread) and a sandbox worker. Only strings and numbers cross: the
// step context goes in as JSON text and the result comes back as JSON text, so no host object is ever shared.

export interface LoadMessage {
  readonly type: 'load';
  readonly script: number;
  readonly files: ReadonlyArray<{ readonly name: string; readonly source: string }>;
}

export interface RunMessage {
  readonly type: 'run';
  /** Call number, also what the host writes into the shared abort cell to cancel this call. */
  readonly call: number;
  readonly script: number;
  readonly contextJson: string;
  readonly timeoutMs: number;
  /** Interrupt polls allowed (QuickJS polls about every 10 000 branches and calls). */
  readonly pollBudget: number;
  readonly memoryLimitBytes: number;
  readonly maxResultChars: number;
}

export type HostMessage = LoadMessage | RunMessage;

export type Failure = 'failed' | 'timeout' | 'statements' | 'memory' | 'stack' | 'result_size' | 'cancelled';

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly call: number; readonly json?: string }
  | { readonly type: 'error'; readonly call: number; readonly failure: Failure; readonly message: string };
