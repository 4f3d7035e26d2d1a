"""Every change of state in the core app: one module per subject."""
