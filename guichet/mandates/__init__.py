"""Mandates: a citizen lets a structure act for them, within a scope and for a time (see models.py)."""
