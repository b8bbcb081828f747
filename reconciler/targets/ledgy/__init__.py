"""Ledgy: the GraphQL driver, the bulk workbook driver, and their shared values."""
