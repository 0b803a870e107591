package dev.sprig.core.passes;

import java.util.Map;

/** Names for the values a pass adds: {@code base}, or {@code base_2}, {@code base_3}... when taken. */
final class FreshName {

    private FreshName() {
    }

    /** {@code base} if no key of {@code taken} has it, else the first free {@code base_i}, i >= 2. */
    static String of(String base, Map<String, ?> taken) {
        String n = base;
        for (int i = 2; taken.containsKey(n); i++) {
            n = base + "_" + i;
        }
        return n;
    }
}
