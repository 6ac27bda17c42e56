"""Review: alignment of layers, agreement and its report, the gold layer, comments, merging another project."""
