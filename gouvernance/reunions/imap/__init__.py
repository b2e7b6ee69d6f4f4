"""Relever les réponses des invités dans la boîte du coordinateur, par IMAP, sans rien y modifier."""
