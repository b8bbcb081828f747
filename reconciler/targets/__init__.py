"""Where stakeholders live: Ledgy, read and written by one of two drivers."""
