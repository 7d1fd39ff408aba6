"""The cluster backend: an OpenSearch index holding the terms the product's analyzer made."""
