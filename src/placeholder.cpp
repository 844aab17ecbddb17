// Keeps a subsystem library non-empty until it has sources of its own.
