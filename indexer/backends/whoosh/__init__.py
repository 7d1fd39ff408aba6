"""The embedded Whoosh store: schema, segments, merges, the numpy engine."""
