// Forks producerProcess.ts (TypeScript, through register-ts.js) and talks to it.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { ParentMessage, ProducerArgs, ProducerMessage } from './protocol';

export class ProducerChild {
  readonly child: ChildProcess;
  private readonly messages: ProducerMessage[] = [];
  private waiters: (() => void)[] = [];
  private exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;

  constructor(args: ProducerArgs) {
    this.child = fork(path.join(__dirname, 'producerProcess.ts'), [JSON.stringify(args)], {
      execArgv: ['-r', path.join(__dirname, '../support/register-ts.js')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, SLUICE_LEAK_DETECTION_LEVEL: process.env.SLUICE_LEAK_DETECTION_LEVEL ?? 'simple' },
    });
    this.child.on('message', (m: ProducerMessage) => {
      this.messages.push(m);
      for (const w of this.waiters.splice(0)) w();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        this.exitCode = code;
        for (const w of this.waiters.splice(0)) w();
        resolve(code);
      }),
    );
  }

  /** The next message of `type` (messages of other types before it are kept), failing if the child fails or exits. */
  async next<T extends ProducerMessage['type']>(type: T): Promise<Extract<ProducerMessage, { type: T }>> {
    for (;;) {
      const failed = this.messages.find((m) => m.type === 'failed');
      if (failed !== undefined && failed.type === 'failed') throw new Error(`producer process failed: ${failed.message}`);
      const i = this.messages.findIndex((m) => m.type === type);
      if (i >= 0) return this.messages.splice(i, 1)[0] as Extract<ProducerMessage, { type: T }>;
      if (this.exitCode !== undefined) throw new Error(`producer process exited (${String(this.exitCode)}) before '${type}'`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  send(message: ParentMessage): void {
    this.child.send(message);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
