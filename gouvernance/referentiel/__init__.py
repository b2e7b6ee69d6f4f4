"""Le référentiel d'une CTG : territoire, démarche, enjeux et orientations, partenaires, instances."""
