"""The scheme's forms: one module per part (applicants, evaluators, the secretariat)."""
