"""Who is calling: the ``Caller`` every request carries, and the scope vocabulary."""
