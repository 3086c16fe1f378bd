package streams.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a streaming run that can drain: the first one asks the job to drain (the run loop sees
 * {@link #requested}), a second one ends the process at once (the default handler: the JVM shuts down and
 * the shutdown hook cancels the job). Without draining, Ctrl-C keeps the default behaviour.
 */
final class Interrupts implements AutoCloseable {
  private static final Signal INT = new Signal("INT");

  private final AtomicBoolean requested = new AtomicBoolean();
  private final SignalHandler previous;

  private Interrupts(boolean install) {
    SignalHandler old = null;
    if (install) {
      old =
          Signal.handle(
              INT,
              sig -> {
                EngineLog.consoleErr().println(
                    "\ninterrupt: draining the job (Ctrl-C again to cancel it at once, losing open state)");
                requested.set(true);
                Signal.handle(INT, SignalHandler.SIG_DFL);
              });
    }
    this.previous = old;
  }

  static Interrupts install(boolean drainOnInterrupt) {
    return new Interrupts(drainOnInterrupt);
  }

  boolean requested() {
    return requested.get();
  }

  @Override
  public void close() {
    if (previous != null) {
      Signal.handle(INT, previous);
    }
  }
}
