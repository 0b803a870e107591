package dev.sprig.spark;

import dev.sprig.core.ModelException;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.ModelLoadException;
import dev.sprig.onnx.OnnxModelLoader;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The models loaded in this JVM, keyed by the SHA-256 of their ONNX bytes: every task of a Spark
 * executor (and the driver, which loads the model once to check it before the job starts) shares
 * one loaded {@link Model} and one {@link Session} per thread count, so a model is parsed and its
 * weights packed once per JVM, not once per task or per row. {@link Session#run} is thread-safe,
 * so concurrent tasks run on the same session.
 *
 * <p>Entries stay until {@link #clear()}: an executor that runs many different models in one
 * application holds all of them.
 */
public final class ModelCache {

    /** A loaded model and its sessions by thread count. */
    private record Entry(Model model, Map<Integer, Session> sessions) {
    }

    private static final Map<String, Entry> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ModelCache() {
    }

    /**
     * The session over the model whose ONNX bytes hash to {@code sha256}, on {@code threads}
     * threads; the model is loaded from {@code bytes} only when this JVM has not loaded it yet.
     *
     * @param source  names the model in error messages (a file name, or "model bytes")
     * @param baseDir where the model's external tensor data lives, or null when it has none
     * @throws ModelLoadException when the bytes are not a model Sprig can load, the message
     *                            starting with {@code source}
     * @throws ModelException     when Sprig cannot run the model (an unsupported operator...), the
     *                            message starting with {@code source}
     */
    static Session session(String sha256, Supplier<byte[]> bytes, Path baseDir, String source, int threads) {
        Entry entry = MODELS.computeIfAbsent(sha256, key -> load(bytes.get(), baseDir, source));
        return entry.sessions().computeIfAbsent(threads, t -> create(entry.model(), t, source));
    }

    private static Session create(Model model, int threads, String source) {
        try {
            return Session.create(model, new SessionOptions(threads, true));
        } catch (ModelException e) {
            throw new ModelException(source + ": " + e.getMessage(), e);
        }
    }

    /** The loaded model whose bytes hash to {@code sha256} (loading it as {@link #session} does). */
    static Model model(String sha256, Supplier<byte[]> bytes, Path baseDir, String source) {
        return MODELS.computeIfAbsent(sha256, key -> load(bytes.get(), baseDir, source)).model();
    }

    private static Entry load(byte[] bytes, Path baseDir, String source) {
        Model model;
        try {
            model = OnnxModelLoader.load(bytes, baseDir);
        } catch (ModelLoadException e) {
            throw new ModelLoadException(source + ": " + e.getMessage(), e);
        } catch (LinkageError e) {
            // Spark's jars carry their own, older protobuf-java (4.33.5 in Spark 4.2.0), which comes first
            throw new IllegalStateException("Sprig's ONNX loader cannot start (" + rootMessage(e)
                    + "); on Spark, submit sprig-spark-VERSION-all.jar, whose protobuf-java is relocated,"
                    + " instead of the plain jars", e);
        }
        LOADS.incrementAndGet();
        return new Entry(model, new ConcurrentHashMap<>());
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    /** How many models this JVM has loaded since it started (one loaded again after {@link #clear()} counts again). */
    public static int loadCount() {
        return LOADS.get();
    }

    /** How many models this JVM holds now. */
    public static int size() {
        return MODELS.size();
    }

    /**
     * Closes every cached session and forgets every model. Call it only when no job in this JVM
     * is running inference: a run on a closed session fails.
     */
    public static void clear() {
        for (String key : MODELS.keySet()) {
            Entry e = MODELS.remove(key);
            if (e != null) {
                e.sessions().values().forEach(Session::close);
            }
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}: the cache key. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
