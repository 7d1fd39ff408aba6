"""Reliability tools: a crash soak for the indexer and a load test for the web server.

Run as modules (``python -m indexer.reliability.soak``, ``.load``). They work in temporary
folders, talk only to 127.0.0.1, and never touch the user's index.
"""
