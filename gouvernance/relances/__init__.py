"""Les relances : invités sans réponse, compte rendu attendu, récapitulatif de la semaine du coordinateur.

`selection` dit ce qui est dû un jour donné, `preparation` l'écrit dans la boîte d'envoi (une fois par clé),
`caducite` écarte avant l'envoi ce qui n'a plus lieu d'être. Aucune de ces fonctions n'envoie : le flux
`relances-quotidiennes` enchaîne préparation, mise à l'écart des relances périmées et envoi.
"""
