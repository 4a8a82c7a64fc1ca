"""Forms of the knowledge base, one module per aggregate."""
