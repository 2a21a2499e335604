"""The services: each sub-package is one service; they never import each other."""
