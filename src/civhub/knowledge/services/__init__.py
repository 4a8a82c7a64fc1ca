"""Changes to knowledge records, one module per aggregate."""
