"""python -m services.profile web|worker|relay|migrate"""

from kit.cli import main
from services.profile.app import build_runtime, create_app

main("profile", build_runtime=build_runtime, create_app=create_app)
