"""One module per CLI verb; each exposes one function that returns an exit code."""
