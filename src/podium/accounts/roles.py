"""Roles are Django groups; these names are the only place they are spelled."""

EDITORS = "Redactie"
ADMINISTRATORS = "Beheerders"
