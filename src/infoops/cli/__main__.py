"""``python -m infoops.cli`` runs the CLI (same as the ``infoops`` script)."""

from infoops.cli.app import main

main()
