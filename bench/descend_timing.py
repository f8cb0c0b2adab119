"""The timing loop shared by descend_numpy.py and descend_cnn_numpy.py: warm-up steps, then
repeats x steps-per-repeat, wall time (perf_counter) and this process's CPU time (process_time,
all threads) per step; prints the medians and the ratio flowcert / numpy of each, reading
flowcert's medians from PREFIX.flowcert-ms.txt (written by DescendBench: wall and CPU ms)."""
import time


def time_steps(step, prefix, label, repeats, per, warmup, target):
    for _ in range(warmup):
        step()
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(per):
            step()
        wall.append((time.perf_counter() - t0) * 1e3 / per)
        cpu.append((time.process_time() - c0) * 1e3 / per)
    wall.sort()
    cpu.sort()
    w, c = wall[repeats // 2], cpu[repeats // 2]
    print(f"numpy     {label}: one GD step, median {w:.2f} ms wall (min {wall[0]:.2f}, max {wall[-1]:.2f}), "
          f"{c:.2f} ms CPU; {repeats} repeats x {per} steps")
    fields = open(prefix + ".flowcert-ms.txt").read().split()
    fw = float(fields[0])
    fc = float(fields[1]) if len(fields) > 1 else float("nan")
    print(f"ratio     flowcert / numpy = {fw / w:.2f} wall, {fc / c:.2f} CPU (target <= {target})")
