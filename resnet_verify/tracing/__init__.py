"""One forward on meta tensors -> a :class:`Trace`: ops, module calls, parameters, structure."""

from resnet_verify.tracing.records import Trace
from resnet_verify.tracing.tracer import trace

__all__ = ["Trace", "trace"]
