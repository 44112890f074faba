# AuditEvent is deliberately not registered: the Django admin would offer edit and delete forms, and staff
# status must not open the log (only auditors read it, through their own pages).
