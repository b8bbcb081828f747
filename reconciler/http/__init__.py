"""What every HTTP client of a run shares: when to retry, how fast to go, one TLS context."""
