"""python -m services.auth web|worker|relay|migrate"""

from kit.cli import main
from services.auth.app import build_runtime, create_app

main("auth", build_runtime=build_runtime, create_app=create_app)
