"""Every change of state in the talents app (see the modules for each part)."""
