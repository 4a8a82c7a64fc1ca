"""The scheme's pages: one module per part, each with its `urlpatterns` (applicants, evaluators, the secretariat)."""
