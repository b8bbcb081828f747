"""GitHub: workflow commands, the job summary, the sticky PR comment."""
