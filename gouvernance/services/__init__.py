"""Les cas d'utilisation : une fonction par chose que fait un utilisateur, appelée par la CLI, les flux et le web."""
