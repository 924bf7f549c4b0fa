"""Load and scale benchmarks of the service, each against a baseline from the same run."""
