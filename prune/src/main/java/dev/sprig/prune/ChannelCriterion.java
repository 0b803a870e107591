package dev.sprig.prune;

/** How {@link PruneMethod#CHANNELS} ranks a layer's output channels: the smallest go first. */
public enum ChannelCriterion {
    /** Sum of |w| over the channel's weights. */
    L1,
    /** L2 norm of the channel's weights. */
    L2,
    /** |gamma| of the BatchNormalization that follows the layer (the layer is refused when none does). */
    BN_GAMMA
}
