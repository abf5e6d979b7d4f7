"""Database plumbing of our own: the SQLite backend with a process-wide writer queue."""
