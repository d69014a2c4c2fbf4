"""Data: loaders into partitioned numpy blocks, preparation transforms, synthetic generators."""
