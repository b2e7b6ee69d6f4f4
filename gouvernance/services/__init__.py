"""Les cas d'usage : une fonction par action d'un utilisateur, nommée par son verbe.

Chaque module regroupe les actions d'un sujet (`reunions.py`, `comptes_rendus.py`, `suivi.py`…). Un cas
d'usage porte toutes les règles et tous les changements d'état de son action ; la commande `ctg`, la tâche
Prefect et la page web qui l'appellent se contentent de lire la saisie, d'appeler, d'afficher.

- Un cas d'usage qui ne touche que la base reçoit une `session: Session` et des valeurs simples (l'heure en
  paramètre nommé `maintenant`), vérifie les règles, change l'état et renvoie une petite dataclass figée.
  L'appelant décide de la transaction.
- Un cas d'usage qui fait un travail lent (rendu Word, LibreOffice, SMTP, IMAP, question à l'utilisateur)
  reçoit le moteur (`Engine`) et ouvre lui-même des sessions COURTES avec `modeles.moteur.ouvrir_session` :
  lecture, puis travail lent hors de toute transaction, puis une écriture courte qui revérifie l'état.
  Aucune transaction d'écriture n'est jamais ouverte pendant un travail lent.
"""
