package dev.sprig.core.session;

import dev.sprig.core.Tensor;
import java.lang.reflect.Array;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of intermediate storage one run holds at a time, for {@link SessionOptions#maxArenaBytes()}.
 * Storage is counted per backing array (a view such as Reshape's output shares its input's array and
 * is not counted again), and arrays that are not the run's own (constants, the caller's inputs) are
 * not counted at all. One per run; not thread-safe.
 */
final class LiveBytes {

    private final Set<Object> constants;
    private final Set<Object> inputs = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Object, int[]> holders = new IdentityHashMap<>();
    private long bytes;

    /** {@code constants}: an identity set of the session's constant arrays (shared, only read). */
    LiveBytes(Set<Object> constants) {
        this.constants = constants;
    }

    /** {@code t} is the caller's (a run input): its storage, and views of it, are not counted. */
    void notOwned(Tensor t) {
        inputs.add(t.array());
    }

    /** A value of the run now refers to {@code t}'s storage. */
    void hold(Tensor t) {
        Object array = t.array();
        if (constants.contains(array) || inputs.contains(array)) {
            return;
        }
        int[] refs = holders.get(array);
        if (refs == null) {
            holders.put(array, new int[] {1});
            bytes += (long) Array.getLength(array) * t.dtype().byteSize();
        } else {
            refs[0]++;
        }
    }

    /**
     * A value of the run that referred to {@code t}'s storage was dropped.
     *
     * @return true when that was the last value of the run on this storage (and the storage is the run's own)
     */
    boolean release(Tensor t) {
        Object array = t.array();
        int[] refs = holders.get(array);
        if (refs != null && --refs[0] == 0) {
            holders.remove(array);
            bytes -= (long) Array.getLength(array) * t.dtype().byteSize();
            return true;
        }
        return false;
    }

    /** The bytes held now. */
    long bytes() {
        return bytes;
    }
}
