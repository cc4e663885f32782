"""The editors' UI keeps no tables of its own: the audit log it shows is core's
(core/models.py), moved there by migration 0002."""
