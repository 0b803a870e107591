package dev.sprig.bench.model;

import dev.sprig.core.graph.Model;
import java.util.Locale;

/**
 * FP32 models with random weights shaped like well-known networks, built with Sprig's own graph
 * types so the benchmark has models of realistic size and operator mix without downloading any:
 * ResNet-18 and MobileNetV2 (ImageNet classifiers, input [batch, 3, size, size]) and a BERT-style
 * encoder (input hidden states [batch, seq, hidden]). The full sizes are those of the published
 * networks; the tests use the same builders at tiny sizes.
 */
public final class SyntheticModels {

    /** The names {@code --synthetic} accepts. */
    public static final String NAMES = "resnet18, mobilenetv2, encoder";

    private SyntheticModels() {
    }

    /** Sizes of a synthetic convolutional network: input side, width multiplier (1 = published), classes. */
    public record CnnSize(int imageSize, double width, int classes) {

        /** The published network's sizes: 224x224, full width, 1000 classes. */
        public static final CnnSize FULL = new CnnSize(224, 1.0, 1000);

        /** Checks the sizes. */
        public CnnSize {
            if (imageSize < 32 || width <= 0 || classes < 1) {
                throw new IllegalArgumentException("CNN sizes need imageSize >= 32, width > 0, classes >= 1; got "
                        + imageSize + ", " + width + ", " + classes);
            }
        }

        int channels(int published) {
            return Math.max(4, (int) Math.round(published * width));
        }
    }

    /** Sizes of a synthetic encoder: layers, hidden width, attention heads, feed-forward width, sequence length. */
    public record EncoderSize(int layers, int hidden, int heads, int ffn, int seq) {

        /** 6 layers, hidden 384, 12 heads of 32, FFN 1536, 128 tokens (the all-MiniLM-L6-v2 shape). */
        public static final EncoderSize FULL = new EncoderSize(6, 384, 12, 1536, 128);

        /** Checks the sizes. */
        public EncoderSize {
            if (layers < 1 || heads < 1 || hidden % heads != 0 || ffn < 1 || seq < 1) {
                throw new IllegalArgumentException("encoder sizes need layers, heads, ffn, seq >= 1 and hidden divisible"
                        + " by heads; got layers " + layers + ", hidden " + hidden + ", heads " + heads + ", ffn "
                        + ffn + ", seq " + seq);
            }
        }
    }

    /**
     * The published-size model named {@code name} ({@value #NAMES}), weights from {@code seed}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Model byName(String name, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "resnet18" -> resnet18(CnnSize.FULL, seed);
            case "mobilenetv2" -> mobileNetV2(CnnSize.FULL, seed);
            case "encoder" -> encoder(EncoderSize.FULL, seed);
            default -> throw new IllegalArgumentException("unknown synthetic model '" + name + "': expected one of "
                    + NAMES);
        };
    }

    /**
     * ResNet-18 (He et al. 2015, the torchvision layout): 7x7/2 stem, 3x3/2 max pool, four stages of
     * two basic blocks (64, 128, 256, 512 channels; a 1x1/2 projection where the shape changes),
     * every conv followed by BatchNormalization, global average pool and a fully connected classifier.
     */
    public static Model resnet18(CnnSize size, long seed) {
        GraphBuilder b = new GraphBuilder(seed);
        String x = b.input("input", 3, size.imageSize(), size.imageSize());
        int c = size.channels(64);
        x = b.relu(b.batchNorm(b.conv(x, 3, c, 7, 2, 1), c));
        x = b.maxPool(x, 3, 2, 1);
        int[] stages = {64, 128, 256, 512};
        for (int s = 0; s < stages.length; s++) {
            int out = size.channels(stages[s]);
            for (int block = 0; block < 2; block++) {
                int stride = s > 0 && block == 0 ? 2 : 1;
                String y = b.relu(b.batchNorm(b.conv(x, c, out, 3, stride, 1), out));
                y = b.batchNorm(b.conv(y, out, out, 3, 1, 1), out);
                String shortcut = stride != 1 || c != out ? b.batchNorm(b.conv(x, c, out, 1, stride, 1), out) : x;
                x = b.relu(b.add(y, shortcut));
                c = out;
            }
        }
        x = b.linear(b.flatten(b.globalAveragePool(x)), c, size.classes());
        b.output(x);
        return b.build("resnet18-synthetic");
    }

    /**
     * MobileNetV2 (Sandler et al. 2018): 3x3/2 stem of 32, seventeen inverted residual blocks
     * (1x1 expansion, 3x3 depthwise, 1x1 linear projection; ReLU6 after the first two; a residual
     * add when stride 1 keeps the channels), a 1x1 conv to 1280, global average pool and classifier.
     */
    public static Model mobileNetV2(CnnSize size, long seed) {
        GraphBuilder b = new GraphBuilder(seed);
        String x = b.input("input", 3, size.imageSize(), size.imageSize());
        int c = size.channels(32);
        x = b.relu6(b.batchNorm(b.conv(x, 3, c, 3, 2, 1), c));
        // expansion t, output channels, repeats n, first stride s (the paper's Table 2)
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1},
            {6, 160, 3, 2}, {6, 320, 1, 1}};
        for (int[] st : settings) {
            int out = size.channels(st[1]);
            for (int i = 0; i < st[2]; i++) {
                int stride = i == 0 ? st[3] : 1;
                int hidden = c * st[0];
                String y = x;
                if (st[0] != 1) {
                    y = b.relu6(b.batchNorm(b.conv(y, c, hidden, 1, 1, 1), hidden));
                }
                y = b.relu6(b.batchNorm(b.conv(y, hidden, hidden, 3, stride, hidden), hidden));
                y = b.batchNorm(b.conv(y, hidden, out, 1, 1, 1), out);
                x = stride == 1 && c == out ? b.add(x, y) : y;
                c = out;
            }
        }
        int last = Math.max(size.channels(1280), 8);
        x = b.relu6(b.batchNorm(b.conv(x, c, last, 1, 1, 1), last));
        x = b.linear(b.flatten(b.globalAveragePool(x)), last, size.classes());
        b.output(x);
        return b.build("mobilenetv2-synthetic");
    }

    /**
     * A post-norm BERT-style encoder over hidden states [batch, seq, hidden] (the embeddings'
     * output): per layer, multi-head self-attention (Q, K, V projections, scores Q K^T / sqrt(d)
     * softmaxed, context, output projection) added to the input and layer-normalised, then a
     * GELU feed-forward block added and normalised the same way.
     */
    public static Model encoder(EncoderSize size, long seed) {
        GraphBuilder b = new GraphBuilder(seed);
        int h = size.hidden();
        int heads = size.heads();
        int d = h / heads;
        String x = b.input("hidden_states", size.seq(), h);
        String scale = b.scalar("sqrt_d", (float) Math.sqrt(d));
        for (int layer = 0; layer < size.layers(); layer++) {
            // [batch, seq, hidden] -> [batch, heads, seq, d]; Reshape's 0 copies batch and seq
            String q = b.transpose(b.reshape(b.matMulAdd(x, h, h), 0, 0, heads, d), 0, 2, 1, 3);
            String kT = b.transpose(b.reshape(b.matMulAdd(x, h, h), 0, 0, heads, d), 0, 2, 3, 1);
            String v = b.transpose(b.reshape(b.matMulAdd(x, h, h), 0, 0, heads, d), 0, 2, 1, 3);
            String probs = b.softmax(b.div(b.matMul(q, kT), scale), -1);
            String context = b.reshape(b.transpose(b.matMul(probs, v), 0, 2, 1, 3), 0, 0, h);
            x = b.layerNorm(b.add(x, b.matMulAdd(context, h, h)), h);
            String ffn = b.matMulAdd(b.gelu(b.matMulAdd(x, h, size.ffn())), size.ffn(), h);
            x = b.layerNorm(b.add(x, ffn), h);
        }
        b.output(x);
        return b.build("encoder-synthetic");
    }
}
