package dev.sprig.quant;

import dev.sprig.core.graph.Node;
import java.util.List;

/**
 * A Conv, Gemm or MatMul node that gets quantized: which inputs are activations, where its
 * constant weight is and along which axis its output channels lie in the weight and in the
 * output, and where its per-channel bias lives.
 *
 * @param node          the node as it is in the prepared FP32 graph
 * @param activations   indices of the inputs quantized as activations (per tensor)
 * @param weightInput   index of the constant weight input, or -1 (MatMul of two activations)
 * @param weightAxis    output-channel axis of the weight (Conv 0; MatMul B last; Gemm B 1, or 0
 *                      when transB)
 * @param outputAxis    channel axis of the node's output (Conv 1, else the last)
 * @param channels      number of output channels
 * @param bias          where the bias is, {@link BiasSlot#NONE} when it cannot be corrected
 * @param biasAdd       for {@link BiasSlot#FOLLOWING_ADD}: the Add node holding the bias
 * @param biasAddInput  for {@link BiasSlot#FOLLOWING_ADD}: the Add's constant input index
 */
record QuantizableLayer(Node node, List<Integer> activations, int weightInput, int weightAxis, int outputAxis,
                        int channels, BiasSlot bias, Node biasAdd, int biasAddInput) {

    /** Where a layer's per-channel bias is. */
    enum BiasSlot {
        /** Input 2 of Conv or Gemm (created as zeros when absent), quantized to INT32. */
        INPUT,
        /** A constant operand of the Add that alone reads a MatMul's output; stays FLOAT. */
        FOLLOWING_ADD,
        /** No per-channel bias to correct. */
        NONE
    }

    String output() {
        return node.outputs().get(0);
    }
}
