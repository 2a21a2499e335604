"""python -m services.retention web|worker|relay|migrate"""

from kit.cli import main
from services.retention.app import build_runtime, create_app

main("retention", build_runtime=build_runtime, create_app=create_app)
