/**
 * Probabilities over random draws and parameter sweeps ({@code flowcert sweep}, {@code flowcert
 * merge}; issue 11).
 *
 * <p><b>Takes</b>: a case file, a grid of {@code --vary KEY=V1,V2,..} values ({@link Grid}: the
 * Cartesian product, the first key varying slowest), K draws per grid point, a check ({@link
 * Check}: rank, flow, descend) and its options ({@link SweepPlan}). Point p, draw k is the case
 * {@code materialize(load(case, overrides of p).draw(k, redraw))}; its global index is g = p K + k.
 *
 * <p><b>Gives</b>: {@code DIR/draws.csv} (one row per draw in order g, {@link RowCsv}),
 * {@code DIR/summary.json} ({@link Summary}: per point the counts singular / positive definite /
 * undecided, the probability of a singular G(0) among the decided draws with its Clopper-Pearson
 * interval ({@link ClopperPearson}), quantiles and a log histogram of lambda_min(G(0)), and for
 * flow/descend the final-loss quantiles and the quartiles of the loss at 33 fixed times or
 * steps), {@code DIR/sweep.html} (rendered from summary.json alone by {@code
 * org.flowcert.report.SweepReport}); with {@code --shard I/N} ({@link Shard}: g mod N = I) the
 * shard's rows and {@code DIR/shard.json} ({@link ShardManifest}), which {@link Merge} combines.
 *
 * <p><b>Guarantees</b>: every draw is classified by an exact proof (rank first, for every check:
 * {@code singular} when G(0) is proved singular, {@code positive-definite} when proved, else
 * {@code undecided}); lambda_min is binary64 and never a proof. A draw depends on (case file,
 * options, p, k) only; draws run in parallel ({@link Runner}: fixed chunks, rows written in
 * order g), so the files are byte-identical at any thread count. Summary and HTML are computed
 * from the rows read back from draws.csv, so a merge of shards is byte-identical to the unsharded
 * run by construction. {@code --resume} keeps the whole rows of {@code draws.partial.csv} that
 * belong to the same run and gives the same files as an uninterrupted run. Every file is written
 * atomically; bad input ({@code OPTION_INVALID}, {@code CASE_INVALID}, {@code OUTPUT_UNWRITABLE})
 * is refused before anything is written. Memory: one chunk of rows, plus one grid point's values
 * while summarising (K doubles; K x 33 for the loss curves).
 *
 * <p>Calls into {@code org.flowcert.flow} and {@code org.flowcert.descent} are confined to
 * {@code TrainDraw} and {@link Curves}.
 *
 * <p><b>Loss curves</b> ({@code flowcert curves}, the paper's section 4 figure): {@link Curves}
 * runs, per case file and grid point (no re-draw), K steps of gradient descent with {@code
 * descend}'s kernels in the case's loss convention, and returns one {@code flowcert-curves/1} map
 * (P, nM, P/nM and its label, the loss every E steps, the rate fitted by {@link CurveFit}, the
 * binary64 lambda_min(G(0)) when affordable, optionally the true flow at the same times); the
 * command writes it as curves.json, curves.csv and curves.html ({@code
 * org.flowcert.report.CurvesReport}) together, atomically.
 */
package org.flowcert.study;
