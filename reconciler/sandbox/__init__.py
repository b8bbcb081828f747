"""Local emulators of CharlieHR, Ledgy and GitHub, and the demo company they serve."""
