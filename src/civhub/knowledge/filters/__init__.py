"""Filter classes, one module per aggregate, shared by the HTML lists and the API."""
