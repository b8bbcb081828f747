"""The company.yaml contract: its model, loader, checks and JSON Schema."""
