"""The pure core: desired state, sync rules, matching, diff, the plan, safety."""
