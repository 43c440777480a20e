// Work asked for again while it runs collapses into one more run: at most one in flight and one queued.
// A storm of SIGHUPs or reload posts (each after a changed file) so costs at most two reloads; everyone who
// asked while one was running gets the queued run's result, and that run starts after their request, so it
// reads the file as they left it.
const ignore = (): void => undefined;

export class Coalescer<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly work: () => Promise<T>) {}

  run(): Promise<T> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    this.queued = this.running.then(ignore, ignore).then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  /** Resolves once nothing runs and nothing is queued. */
  async idle(): Promise<void> {
    for (let pending = this.queued ?? this.running; pending; pending = this.queued ?? this.running) await pending.then(ignore, ignore);
  }

  private start(): Promise<T> {
    const running = this.work();
    this.running = running;
    const done = () => {
      if (this.running === running) this.running = undefined;
    };
    running.then(done, done);
    return running;
  }
}
