"""The one way in: sources and the library, jobs, batches and their workers."""
