"""HTTP: the Starlette application and its routes. Requests enter here and nowhere else."""
