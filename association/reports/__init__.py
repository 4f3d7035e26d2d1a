"""The reporting framework: report kinds, running the apps' sections, Excel and PDF writers,
the services and selectors behind report jobs, and the leaders' dashboard.

It knows no app: the sections come from ``association.reporting``'s registry, filled by
each app's ``reports.py`` when the app is ready.
"""

from . import notices  # noqa: E402, F401  (the report notices: report ready, the monthly summary)
