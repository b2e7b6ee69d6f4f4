"""Les comptes rendus des réunions : feuille d'émargement, projet Word, relecture, validation, suivi."""
