package dev.sprig.spark;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: one {@code local[2]} session for the whole test JVM (starting one costs
 * seconds), without the web UI. Spark's shutdown hook stops it when the JVM exits.
 */
final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("sprig-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return session;
    }

    static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    /** The shared test data: the system property {@code sprig.testdata} the build sets. */
    static Path testdata() {
        return Path.of(System.getProperty("sprig.testdata", "../shared/testdata"));
    }

    /** Prints and returns why a test that needs {@code what} from the test data is skipped. */
    static String skipReason(String what) {
        String reason = "skipped: no " + what + " under sprig.testdata=" + testdata().toAbsolutePath();
        System.out.println(reason);
        return reason;
    }
}
