"""Les réunions des instances : planifier, convoquer, modifier, annuler."""
