"""outbox and inbox: the kit's messaging tables, every service's first revision"""
from kit.migrations import create_messaging_tables as upgrade
from kit.migrations import drop_messaging_tables as downgrade

revision = "0001"
down_revision = None
