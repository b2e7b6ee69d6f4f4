"""Les documents d'une réunion : convocation, ordre du jour et annulation (Word, puis PDF)."""
