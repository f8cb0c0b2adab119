package org.flowcert.numeric;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Runs the parallel stages of {@link BlasKernel}: a stage is tasks 0 .. count-1 (fixed blocks of
 * a product's output), forked on a pool of worker threads or run in order on the caller with one
 * thread. Which worker runs which task does not matter, since each task writes only its own
 * block; the caller continues when all are done. Nothing is allocated per stage. One caller at a
 * time.
 */
final class BlockPhases implements AutoCloseable {

  /** One parallel stage; {@code task} picks the block. */
  interface Phase {
    void run(int task);
  }

  private final ForkJoinPool pool;
  private final Task[] tasks;
  private final Root root = new Root();
  private Phase phase;
  private int taskCount;

  /**
   * @param threads worker threads (>= 1; one runs every task on the caller)
   * @param maxTasks the most tasks a stage has
   */
  BlockPhases(int threads, int maxTasks) {
    tasks = new Task[maxTasks];
    for (int t = 0; t < maxTasks; t++) {
      tasks[t] = new Task(t);
    }
    pool = threads > 1 ? new ForkJoinPool(threads) : null;
  }

  private final class Task extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    final int index;

    Task(int index) {
      this.index = index;
    }

    @Override
    protected void compute() {
      phase.run(index);
    }
  }

  private final class Root extends RecursiveAction {
    private static final long serialVersionUID = 1L;

    @Override
    protected void compute() {
      for (int t = 1; t < taskCount; t++) {
        tasks[t].reinitialize();
        tasks[t].fork();
      }
      phase.run(0);
      for (int t = taskCount - 1; t >= 1; t--) {
        tasks[t].join();
      }
    }
  }

  /** Runs {@code p} on tasks 0 .. count-1 and returns when all are done. */
  void run(Phase p, int count) {
    phase = p;
    taskCount = count;
    if (pool == null || count == 1) {
      for (int t = 0; t < count; t++) {
        p.run(t);
      }
      return;
    }
    root.reinitialize();
    pool.invoke(root);
  }

  /** Stops the workers. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
