package org.flowcert.numeric;

/**
 * Runs the parallel stages of {@link BlasKernel}: a stage is tasks 0 .. count-1 (fixed blocks of
 * a product's output), claimed one at a time by the caller and by {@code threads - 1} persistent
 * worker threads, or run in order on the caller with one thread. Which thread runs which task does
 * not matter, since each task writes only its own block; the caller continues when all are done.
 * Nothing is allocated per stage. One caller at a time.
 *
 * <p>Why plain threads and a monitor, not a {@code ForkJoinPool}: a stage is a block of a GEMM
 * (milliseconds), so a monitor hand-off costs nothing measurable, and a pool whose idle workers
 * time out once left {@code invoke} parked with no worker to run the task (seen once in a
 * {@code descend} run on JDK 17). Here the workers never time out: they wait for the next stage
 * until {@link #close}.
 */
final class BlockPhases implements AutoCloseable {

  /** One parallel stage; {@code task} picks the block. */
  interface Phase {
    void run(int task);
  }

  private final Object lock = new Object();
  private final Thread[] workers;
  // Guarded by lock.
  private Phase phase;
  private int count;
  private int next;
  private int done;
  private long generation;
  private boolean closed;
  private Throwable error;

  /**
   * @param threads worker threads (>= 1; one runs every task on the caller)
   * @param maxTasks the most tasks a stage has (unused: kept for the callers' sizing)
   */
  BlockPhases(int threads, int maxTasks) {
    workers = new Thread[Math.max(0, threads - 1)];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Thread(this::workerLoop, "flowcert-blas-" + (w + 1));
      workers[w].setDaemon(true);
      workers[w].start();
    }
  }

  /** Runs {@code p} on tasks 0 .. count-1 and returns when all are done. */
  void run(Phase p, int count) {
    if (workers.length == 0 || count == 1) {
      for (int t = 0; t < count; t++) {
        p.run(t);
      }
      return;
    }
    synchronized (lock) {
      phase = p;
      this.count = count;
      next = 0;
      done = 0;
      error = null;
      generation++;
      lock.notifyAll();
    }
    work();
    Throwable failure;
    synchronized (lock) {
      boolean interrupted = false;
      while (done < this.count) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      failure = error;
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /** Claims and runs tasks of the current stage until none is left. */
  private void work() {
    while (true) {
      Phase p;
      int t;
      synchronized (lock) {
        if (next >= count) {
          return;
        }
        t = next++;
        p = phase;
      }
      Throwable failure = null;
      try {
        p.run(t);
      } catch (Throwable e) {
        failure = e;
      }
      synchronized (lock) {
        if (failure != null && error == null) {
          error = failure;
        }
        if (++done == count) {
          lock.notifyAll();
        }
      }
    }
  }

  private void workerLoop() {
    long seen = 0;
    while (true) {
      synchronized (lock) {
        while (!closed && generation == seen) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        seen = generation;
      }
      work();
    }
  }

  /** Stops the workers. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
  }
}
