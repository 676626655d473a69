from resnet_verify.cli import entry

entry()
