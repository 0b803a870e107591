package dev.sprig.onnx.fuzz;

import dev.sprig.onnx.ModelLoadException;
import dev.sprig.onnx.proto.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A valid model file that mutants are derived from: its name, bytes, parsed form and directory
 * (where the mutant's external data, if a mutation asks for some, is looked up).
 */
public record FuzzSeed(String name, byte[] bytes, ModelProto proto, Path dir) {

    /** Reads and parses {@code file}; its name is the directory's name (the model or node test). */
    public static FuzzSeed read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Path dir = file.toAbsolutePath().getParent();
            return new FuzzSeed(dir.getFileName().toString(), bytes, ModelProto.parseFrom(bytes), dir);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException(file + " is not an ONNX model, so it cannot seed the fuzzer", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fuzz seed " + file, e);
        }
    }
}
