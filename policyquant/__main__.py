"""``python -m policyquant``: the command line."""

from .cli import main

main(prog_name="policyquant")
