"""Le bilan annuel de la CTG : chiffres d'une année civile, graphiques, document Word et PDF, tableaux CSV."""
