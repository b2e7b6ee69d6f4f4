"""L'application web du coordinateur et des secrétaires : `creer_application` la construit, `ctg web` la sert."""
