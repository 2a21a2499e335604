"""python -m services.jobs web|worker|relay|migrate"""

from kit.cli import main
from services.jobs.app import build_runtime, create_app

main("jobs", build_runtime=build_runtime, create_app=create_app)
