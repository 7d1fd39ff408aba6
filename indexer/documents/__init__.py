"""Bytes to Article: decoding, HTML extraction, cleaning, metadata, bylines."""
