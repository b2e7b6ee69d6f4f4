"""Le référentiel d'une CTG : territoire, démarche, enjeux et orientations, partenaires, instances."""

#: L'identifiant du format des fichiers YAML de référentiel.
FORMAT = "ctg-referentiel/1"
