from resnet_verify.cli.main import entry

entry()
