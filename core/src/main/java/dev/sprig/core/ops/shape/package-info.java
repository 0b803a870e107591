/**
 * The shape and data-movement operators of ai.onnx, registered by
 * {@link dev.sprig.core.ops.shape.ShapeOperators#register}: Reshape, Flatten, Transpose, Concat, Split,
 * Slice, Squeeze, Unsqueeze, Gather, GatherElements, Shape, Size, Constant, ConstantOfShape, Expand,
 * Tile, Pad, Range, Resize (and the older Upsample), DepthToSpace, SpaceToDepth, Identity and Dropout
 * (inference). Reshape, Flatten, Squeeze and Unsqueeze return views of a contiguous input; Transpose
 * and the other copies of strided data go through one loop ({@code StridedCopy}).
 */
package dev.sprig.core.ops.shape;
