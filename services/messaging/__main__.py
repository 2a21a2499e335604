"""python -m services.messaging web|worker|relay|migrate"""

from kit.cli import main
from services.messaging.app import build_runtime, create_app

main("messaging", build_runtime=build_runtime, create_app=create_app)
