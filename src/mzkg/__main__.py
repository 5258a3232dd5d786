from .interfaces.cli import run_cli

run_cli()
