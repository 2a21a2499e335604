"""outbox and inbox: the kit's messaging tables, every service's first revision"""
from kit.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None

upgrade, downgrade = create_messaging_tables, drop_messaging_tables
