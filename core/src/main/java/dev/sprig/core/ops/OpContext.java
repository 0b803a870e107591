package dev.sprig.core.ops;

import dev.sprig.kernels.ThreadPool;

/**
 * What an operator may use while it runs: the session's thread pool (kernels split their work
 * over it; results do not depend on its size).
 */
public record OpContext(ThreadPool pool) {

    /** A context running everything on the calling thread. */
    public static final OpContext SERIAL = new OpContext(ThreadPool.SERIAL);
}
