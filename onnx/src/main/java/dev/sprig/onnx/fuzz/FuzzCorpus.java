package dev.sprig.onnx.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The seed models of the standard fuzz run, from the shared test data folder: the real models
 * ({@code models/<name>/model.onnx}) and ONNX node tests chosen for the operators whose sizes come
 * from the data (shapes, repeats, pads, ranges, indices) or that allocate in proportion to their
 * attributes. Missing ones are skipped, so a partial test data folder still fuzzes what it has.
 */
public final class FuzzCorpus {

    /** Node tests used as seeds: small graphs over the size-taking and allocating operators. */
    static final List<String> NODE_TESTS = List.of(
            "test_conv_with_strides_padding", "test_matmul_2d", "test_softmax_axis_1",
            "test_reshape_reordered_all_dims", "test_gather_0", "test_expand_dim_changed", "test_tile",
            "test_constantofshape_int_zeros", "test_range_float_type_positive_delta", "test_slice",
            "test_concat_3d_axis_1", "test_maxpool_2d_pads", "test_gemm_default_matrix_bias",
            "test_transpose_all_permutations_0", "test_batchnorm_example", "test_averagepool_2d_default",
            "test_layer_normalization_2d_axis0", "test_qlinearconv", "test_resize_upsample_scales_nearest",
            "test_where_example", "test_reduce_sum_keepdims_example", "test_convtranspose",
            "test_gathernd_example_int32", "test_onehot_with_axis", "test_cumsum_1d",
            "test_range_int32_type_negative_delta_expanded", "test_nonzero_example", "test_einsum_batch_matmul",
            "test_flatten_axis0", "test_squeeze", "test_unsqueeze_axis_0", "test_scatter_elements_with_axis",
            "test_depthtospace_example", "test_instancenorm_example", "test_lrn", "test_matmulinteger",
            "test_dequantizelinear", "test_argmax_default_axis_example");

    private FuzzCorpus() {
    }

    /**
     * The seeds found under {@code testdata}; real models larger than {@code maxModelBytes} are
     * left out (a short run spends its time on many small cases rather than a few large ones).
     */
    public static List<FuzzSeed> standard(Path testdata, long maxModelBytes) {
        List<FuzzSeed> seeds = new ArrayList<>();
        Path models = testdata.resolve("models");
        if (Files.isDirectory(models)) {
            try (Stream<Path> dirs = Files.list(models)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path file = dir.resolve("model.onnx");
                    if (Files.isRegularFile(file) && Files.size(file) <= maxModelBytes) {
                        seeds.add(FuzzSeed.read(file));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + models, e);
            }
        }
        for (String test : NODE_TESTS) {
            Path file = testdata.resolve("onnx-node").resolve(test).resolve("model.onnx");
            if (Files.isRegularFile(file)) {
                seeds.add(FuzzSeed.read(file));
            }
        }
        return seeds;
    }
}
