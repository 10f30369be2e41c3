"""Users, the municipalities they serve and their role in each (accounts app)."""
