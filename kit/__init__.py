"""The shared kit: mechanics every service uses, never a domain rule.

Modules: settings, clock, events (CloudEvents envelope), db, outbox + relay, inbox,
consumer, topology, uow (unit of work), problem (problem+json), web (Flask helpers),
mail, testing (pytest plugin).
"""
