package dev.sprig.core.ops.shape;

import dev.sprig.core.ops.OperatorRegistry;

/**
 * The shape and data-movement operators of ai.onnx: Reshape, Flatten, Transpose, Concat, Split,
 * Slice, Squeeze, Unsqueeze, Gather, GatherElements, Shape, Size, Constant, ConstantOfShape,
 * Expand, Range, Identity, Dropout, Tile, Pad, DepthToSpace, SpaceToDepth, Resize and Upsample.
 *
 * <p>Each is registered at the opsets where its inputs or semantics changed (docs/Changelog.md);
 * versions that only widened the type list share the earlier factory, which reads the model's
 * opset where a detail depends on it (negative axes from 11, allowzero from 14, ...). Data
 * movement is written once for every dtype: contiguous runs move with System.arraycopy on the
 * backing arrays, strided ones through {@link StridedCopy}; Reshape, Flatten, Squeeze, Unsqueeze
 * and Identity return views of a contiguous input.
 */
public final class ShapeOperators {

    private ShapeOperators() {
    }

    /** Adds the family to {@code r}. */
    public static void register(OperatorRegistry r) {
        r.register("Reshape", 1, Reshape::createV1);
        r.register("Reshape", 5, Reshape::create);
        r.register("Reshape", 14, Reshape::create);
        r.register("Flatten", 1, Flatten::create);
        r.register("Flatten", 11, Flatten::create);
        r.register("Transpose", 1, Transpose::create);
        r.register("Concat", 1, Concat::create);
        r.register("Concat", 4, Concat::create);
        r.register("Concat", 11, Concat::create);
        r.register("Split", 1, Split::create);
        r.register("Split", 2, Split::create);
        r.register("Split", 11, Split::create);
        r.register("Split", 13, Split::create);
        r.register("Split", 18, Split::create);
        r.register("Slice", 1, Slice::createV1);
        r.register("Slice", 10, Slice::create);
        r.register("Slice", 11, Slice::create);
        r.register("Squeeze", 1, Squeeze::create);
        r.register("Squeeze", 11, Squeeze::create);
        r.register("Squeeze", 13, Squeeze::create);
        r.register("Unsqueeze", 1, Unsqueeze::create);
        r.register("Unsqueeze", 11, Unsqueeze::create);
        r.register("Unsqueeze", 13, Unsqueeze::create);
        r.register("Gather", 1, Gather::create);
        r.register("Gather", 11, Gather::create);
        r.register("GatherElements", 11, GatherElements::create);
        r.register("Shape", 1, ShapeOf::create);
        r.register("Shape", 15, ShapeOf::create);
        r.register("Size", 1, Size::create);
        r.register("Constant", 1, Constant::create);
        r.register("ConstantOfShape", 9, ConstantOfShape::create);
        r.register("Expand", 8, Expand::create);
        r.register("Range", 11, Range::create);
        r.register("Identity", 1, Identity::create);
        r.register("Dropout", 7, Dropout::create);
        r.register("Dropout", 10, Dropout::create);
        r.register("Dropout", 12, Dropout::create);
        r.register("Tile", 6, Tile::create);
        r.register("Pad", 1, Pad::create);
        r.register("Pad", 2, Pad::create);
        r.register("Pad", 11, Pad::create);
        r.register("Pad", 18, Pad::create);
        r.register("Pad", 19, Pad::create);
        r.register("DepthToSpace", 1, DepthToSpace::create);
        r.register("DepthToSpace", 11, DepthToSpace::create);
        r.register("SpaceToDepth", 1, SpaceToDepth::create);
        r.register("Resize", 10, Resize::create);
        r.register("Resize", 11, Resize::create);
        r.register("Resize", 13, Resize::create);
        r.register("Resize", 18, Resize::create);
        r.register("Resize", 19, Resize::create);
        r.register("Upsample", 7, Resize::createUpsample);
        r.register("Upsample", 9, Resize::createUpsample);
    }
}
