"""Every change of state in the volunteers app, one module per piece of work.

Views, admin actions and tasks call these functions with ids; the functions read (and
lock) the rows themselves, validate, write inside a transaction, record what happened
(association.audit) and enqueue follow-up work by the task's name. A refused change raises
``association.states.DomainError`` (a forbidden move its ``TransitionNotAllowed``), whose
message is Chinese and fit to show as it is.
"""
