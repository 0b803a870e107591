/**
 * Fuzzing of the model loader and the session on hostile models: {@link dev.sprig.onnx.fuzz.ModelMutator}
 * derives mutants from real model files (bit flips, truncation, duplicated fields, huge and
 * negative sizes, swapped types, rewired values), {@link dev.sprig.onnx.fuzz.ModelFuzzer} loads,
 * prepares and runs each one in its own thread under a deadline and checks that only the
 * documented exceptions come out. Used by the {@code ModelFuzzTest} property test and by
 * {@code ./sprig fuzz --minutes N}.
 */
package dev.sprig.onnx.fuzz;
