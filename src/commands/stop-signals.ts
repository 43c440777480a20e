// The foreground loop of the long-running commands (run, demo, simulate): SIGTERM/SIGINT stop, SIGHUP reloads.
import type { Logger } from "pino";

export interface Stoppable {
  stop(): Promise<void>;
  /** SIGHUP; without it the signal is logged and ignored. */
  reload?(): Promise<unknown>;
}

/** Resolves once `target` has stopped after SIGTERM/SIGINT. A second stop signal exits at once. */
export function untilStopSignal(target: Stoppable, logger: Logger, signals: NodeJS.EventEmitter = process): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onStop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, "second signal: exiting without clean-up");
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, "stopping");
      void target.stop().then(() => {
        signals.off("SIGTERM", onTerm);
        signals.off("SIGINT", onInt);
        signals.off("SIGHUP", onHup);
        resolve();
      });
    };
    const onTerm = () => onStop("SIGTERM");
    const onInt = () => onStop("SIGINT");
    // The listener stays while stopping: without one, a SIGHUP would kill the process mid clean-up.
    const onHup = () => {
      if (stopping) logger.info("SIGHUP while stopping: no reload");
      else if (target.reload) void target.reload();
      else logger.info("SIGHUP: nothing to reload");
    };
    signals.on("SIGTERM", onTerm);
    signals.on("SIGINT", onInt);
    signals.on("SIGHUP", onHup);
  });
}
