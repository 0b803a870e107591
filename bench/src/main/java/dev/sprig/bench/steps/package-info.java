/**
 * GEMM from the triple loop to most of the machine's peak, one small class per step, for the
 * guide's GEMM chapter ({@code docs/guide/}). These are teaching kernels, not engine kernels: each
 * computes {@code C = A * B} for row-major float matrices (A m x k, B k x n, C m x n) and changes one
 * thing from the step before it.
 *
 * <ol>
 *   <li>{@link dev.sprig.bench.steps.Step1TripleLoop}: the i-j-k triple loop;</li>
 *   <li>{@link dev.sprig.bench.steps.Step2LoopOrder}: loop order i-k-j, so the inner loop streams
 *       rows;</li>
 *   <li>{@link dev.sprig.bench.steps.Step3VectorRow}: that inner loop in the Vector API;</li>
 *   <li>{@link dev.sprig.bench.steps.Step4RegisterTile}: a 4 x 2-vector tile of C held in registers
 *       across k;</li>
 *   <li>{@link dev.sprig.bench.steps.Step5Packed}: A and B packed into contiguous panels for the
 *       tile;</li>
 *   <li>{@link dev.sprig.bench.steps.Step6CacheBlocked}: KC, MC, NC blocks sized for L1, L2, L3;</li>
 *   <li>{@link dev.sprig.bench.steps.Step7Threaded}: row blocks over a fixed thread pool.</li>
 * </ol>
 *
 * Step 8 is the engine's own {@link dev.sprig.kernels.gemm.Sgemm}, which adds to step 7: a tile
 * chosen per machine by measurement ({@code SgemmMicrokernel2x4v}, 2 rows x 4 vectors, on AVX2's 16
 * registers; {@code SgemmMicrokernel6x2v}, 6 x 2 vectors, with AVX-512's 32); row blocks outermost
 * so a C block stays in L2 across the k blocks; B packed once per call, or once per weight at
 * session creation ({@code PackedMatrix}), by all threads; a finer thread split (row blocks in
 * multiples of the thread count, column blocks when there are too few rows) and no extra threads
 * for work too small to pay for waking them; a separate small-M (GEMV) path that streams B
 * instead of packing it; transposed operands, alpha, beta and a fused epilogue (bias, activation)
 * applied as the tile is stored; and a scalar backend when the Vector API is missing.
 *
 * <p>{@code GemmStepsBenchmark} measures every step; each has a test against the scalar reference
 * {@link dev.sprig.kernels.reference.Sgemm}.
 */
package dev.sprig.bench.steps;
