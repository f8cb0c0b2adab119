package org.flowcert.numeric;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * One helper thread for {@link NetworkKernel}'s large dense products: a job is always split into
 * the same {@link #BLOCKS} blocks (independent of the number of cores), each block writes its own
 * part of the result with the same sequential code as the one-thread path, so results are the
 * same bit for bit whichever thread runs which block, and with or without a helper.
 *
 * <p>Why a spinning thread and not an executor: a field evaluation of the flow benchmark takes
 * about 25 us, of which each product about 10 us; handing work to a pooled thread (park/unpark)
 * costs as much. The helper spins (Thread.onSpinWait) for {@link #SPIN_NANOS} after each job and
 * then parks. Both threads claim blocks from a shared counter, the caller first: a block is only
 * ever waited for while the helper is running it, so a helper that is parked or not scheduled
 * costs nothing (the caller does both blocks).
 *
 * <p>One caller thread at a time. {@link #close} stops the helper.
 */
public final class BlockHelper implements AutoCloseable {
  /** Blocks per job (fixed: results do not depend on the core count). */
  public static final int BLOCKS = 2;
  /** How long the helper spins for the next job before it parks. */
  private static final long SPIN_NANOS = 200_000;

  private static final class Job {
    final IntConsumer task;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable error;

    Job(IntConsumer task) {
      this.task = task;
    }

    void work() {
      int b;
      while ((b = next.getAndIncrement()) < BLOCKS) {
        try {
          task.accept(b);
        } catch (Throwable t) {
          error = t;
        } finally {
          done.incrementAndGet();
        }
      }
    }
  }

  private final Thread helper;
  private volatile Job current;
  private volatile boolean parked;
  private volatile boolean closed;

  /** Helpers alive in this JVM: at most one per core beyond the first (see {@link #acquire}). */
  private static final AtomicInteger LIVE = new AtomicInteger();

  private boolean released;

  private BlockHelper() {
    helper = new Thread(this::loop, "flowcert-block-helper");
    helper.setDaemon(true);
    helper.start();
  }

  /**
   * A new helper, or null when this JVM already runs one per core beyond the first (several
   * flows at once, e.g. in parallel streams, then run on their own threads instead of adding
   * spinning threads to busy cores). Close it when done.
   */
  public static BlockHelper acquire() {
    int cap = Runtime.getRuntime().availableProcessors() - 1;
    while (true) {
      int live = LIVE.get();
      if (live >= cap) {
        return null;
      }
      if (LIVE.compareAndSet(live, live + 1)) {
        return new BlockHelper();
      }
    }
  }

  /** Runs task(0) .. task(BLOCKS - 1), on this thread and the helper; returns when all are done. */
  public void run(IntConsumer task) {
    Job j = new Job(task);
    current = j;
    if (parked) {
      LockSupport.unpark(helper);
    }
    j.work();
    while (j.done.get() < BLOCKS) {
      Thread.onSpinWait();
    }
    Throwable t = j.error;
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  private void loop() {
    Job last = null;
    long idleSince = System.nanoTime();
    while (!closed) {
      Job j = current;
      if (j != last) {
        last = j;
        j.work();
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince > SPIN_NANOS) {
        parked = true;
        if (current == last && !closed) {
          LockSupport.park(this);
        }
        parked = false;
        idleSince = System.nanoTime();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(helper);
    if (!released) {
      released = true;
      LIVE.decrementAndGet();
    }
  }
}
