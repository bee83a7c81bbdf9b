"""Weight initialization and eigenvectors: numerics, datasets, figures and write-up."""
