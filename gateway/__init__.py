"""The gateway: the only door into the services."""
