"""Where employees come from: the HR systems."""
