from kit.migrations import run_env
from services.messaging.models import Base

run_env(Base.metadata)
