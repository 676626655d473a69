"""``resnet-verify COMMAND``: ``main(argv) -> int`` and one module per command."""

from resnet_verify.cli.main import entry, main, main_parser

__all__ = ["entry", "main", "main_parser"]
