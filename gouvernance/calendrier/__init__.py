"""Le calendrier annuel des instances : rythmes, jours fériés et propositions de réunions."""
