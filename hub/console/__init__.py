"""The ``hub`` command line. Each concern has its own module with a Typer sub-app; ``main``
only assembles them."""
