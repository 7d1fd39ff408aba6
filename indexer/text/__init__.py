"""The one analyzer: Korean, English and Chinese text to terms; no I/O."""
