"""Near-duplicate documents: shingles, MinHash signatures, banding, clusters, index."""
