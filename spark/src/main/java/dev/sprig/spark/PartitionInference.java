package dev.sprig.spark;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.session.Session;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The executor side of {@link SprigInference}: takes the JVM's cached session for the model
 * (loading it from the broadcast bytes the first time), then streams the partition's rows
 * through it in chunks of {@code batchSize}, appending the score column (and argmax / top-k) to
 * each row. A chunk is one run when the model's batch dimension is symbolic; with a batch fixed
 * at 1 each row is its own run. Null inputs give null outputs.
 */
final class PartitionInference implements MapPartitionsFunction<Row, Row>, Serializable {

    private static final long serialVersionUID = 1L;

    /** What the task needs besides the model bytes; everything is serializable. */
    record Settings(String sha256, String source, String baseDir, ModelSignature signature, String column,
                    int columnIndex, int batchSize, int threads, boolean argmax, int topK) implements Serializable {
    }

    private final Broadcast<byte[]> modelBytes;
    private final Settings settings;

    PartitionInference(Broadcast<byte[]> modelBytes, Settings settings) {
        this.modelBytes = modelBytes;
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Settings s = settings;
        Session session = ModelCache.session(s.sha256(), modelBytes::value,
                s.baseDir() == null ? null : Path.of(s.baseDir()), s.source(), s.threads());
        return new Chunks(rows, session, s);
    }

    /** The output rows of one partition, computed a chunk at a time as Spark pulls them. */
    private static final class Chunks implements Iterator<Row> {

        private final Iterator<Row> input;
        private final Session session;
        private final Settings s;
        private final ModelSignature signature;
        private final InputDecoder decoder;
        private final int rowElements;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private final List<Row> chunk = new ArrayList<>();
        /** Reused across runs: the outputs are copied out before the next run. */
        private final float[] single;
        private long rowsSeen;

        Chunks(Iterator<Row> input, Session session, Settings s) {
            this.input = input;
            this.session = session;
            this.s = s;
            this.signature = s.signature();
            this.rowElements = signature.rowElements();
            this.decoder = new InputDecoder(s.column(), signature.input(), rowElements);
            this.single = signature.batched() ? null : new float[rowElements];
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty() && input.hasNext()) {
                nextChunk();
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void nextChunk() {
            chunk.clear();
            int present = 0;
            while (chunk.size() < s.batchSize() && input.hasNext()) {
                Row row = input.next();
                chunk.add(row);
                if (!row.isNullAt(s.columnIndex())) {
                    present++;
                }
            }
            long first = rowsSeen;
            rowsSeen += chunk.size();
            float[][] scores = signature.batched() ? runBatch(present, first) : runRows(first);
            int p = 0;
            for (Row row : chunk) {
                ready.add(row.isNullAt(s.columnIndex()) ? withOutputs(row, null) : withOutputs(row, scores[p++]));
            }
        }

        /** One run over the chunk's non-null rows joined along the batch dimension. */
        private float[][] runBatch(int present, long first) {
            if (present == 0) {
                return new float[0][];
            }
            float[] x = new float[present * rowElements];
            int r = 0;
            long index = first;
            for (Row row : chunk) {
                if (!row.isNullAt(s.columnIndex())) {
                    decode(row, x, r++ * rowElements, index);
                }
                index++;
            }
            return split(run(x, present, first), present, first);
        }

        /** One run per non-null row, for models whose batch dimension is fixed at 1. */
        private float[][] runRows(long first) {
            List<float[]> out = new ArrayList<>(chunk.size());
            long index = first;
            for (Row row : chunk) {
                if (!row.isNullAt(s.columnIndex())) {
                    decode(row, single, 0, index);
                    float[][] one = split(run(single, 1, index), 1, index);
                    out.add(one[0]);
                }
                index++;
            }
            return out.toArray(new float[0][]);
        }

        private void decode(Row row, float[] x, int offset, long index) {
            try {
                decoder.decode(row.get(s.columnIndex()), x, offset);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SprigInference: row " + index + " of this partition: "
                        + e.getMessage(), e);
            }
        }

        private Tensor run(float[] x, int rows, long first) {
            Map<String, Tensor> out;
            try {
                out = session.run(Map.of(signature.inputName(), Tensor.of(x, signature.shape(rows))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("SprigInference: the run over rows " + first + ".."
                        + (first + rows - 1) + " of this partition failed: " + e.getMessage(), e);
            }
            Tensor y = out.get(signature.outputName());
            if (y.dtype() != DType.FLOAT) {
                throw new IllegalArgumentException("SprigInference: the model's output '" + signature.outputName()
                        + "' is " + y.dtype() + " " + y.shape() + "; the score column holds FLOAT values");
            }
            return y.contiguous();
        }

        /** Each row's slice of a batch output: the output's dimension 0 must be the batch. */
        private float[][] split(Tensor y, int rows, long first) {
            if (signature.batched() && (y.shape().rank() == 0 || y.shape().dim(0) != rows)) {
                throw new IllegalArgumentException("SprigInference: the model's output '" + signature.outputName()
                        + "' has shape " + y.shape() + " for a batch of " + rows + " rows (rows " + first + ".."
                        + (first + rows - 1) + "); a batched output needs the batch as its dimension 0");
            }
            int per = y.size() / rows;
            float[] data = y.floatData();
            float[][] scores = new float[rows][];
            for (int r = 0; r < rows; r++) {
                scores[r] = new float[per];
                System.arraycopy(data, y.offset() + r * per, scores[r], 0, per);
            }
            return scores;
        }

        /** The input row's values followed by the score column and the argmax / top-k columns asked for. */
        private Row withOutputs(Row row, float[] scores) {
            int n = row.length();
            Object[] values = new Object[n + 1 + (s.argmax() ? 1 : 0) + (s.topK() > 0 ? 1 : 0)];
            for (int i = 0; i < n; i++) {
                values[i] = row.get(i);
            }
            int c = n;
            values[c++] = scores;
            if (s.argmax()) {
                values[c++] = scores == null ? null : ScoreRanking.argmax(scores);
            }
            if (s.topK() > 0) {
                values[c] = scores == null ? null : ScoreRanking.topK(scores, s.topK());
            }
            return RowFactory.create(values);
        }
    }
}
