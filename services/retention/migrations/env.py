from kit.migrations import run_env
from services.retention.models import Base

run_env(Base.metadata)
