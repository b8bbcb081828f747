"""The values both sides are turned into, and the tables that say what they may hold. Pure.

Employees and stakeholders, the writes between them, the HR field catalogue, the
sensitive categories, identifiers and countries: no I/O, no environment
(``tests/test_architecture.py`` keeps it so).
"""
