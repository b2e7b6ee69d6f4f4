"""La commande `ctg`."""
