"""BatchNorm hyper-parameters that come from another framework's defaults (Keras, TF)."""

from __future__ import annotations

from resnet_verify.tracing.records import OpKind
from resnet_verify.verify.patterns.context import Context, at
from resnet_verify.verify.records import Finding, Pattern

# Keras' BatchNormalization defaults: epsilon 1e-3, momentum 0.99 (= PyTorch momentum 0.01);
# keras.applications' ResNets use epsilon 1.001e-5.
_KERAS_EPS = (1e-3, 1.001e-5)
_KERAS_MOMENTUM = (0.99, 0.01)


def _keras_value(field: str | None, value: object) -> bool:
    if field == "eps":
        return isinstance(value, float) and any(abs(value - v) < 1e-12 for v in _KERAS_EPS)
    if field == "momentum":
        return isinstance(value, float) and any(abs(value - v) < 1e-12 for v in _KERAS_MOMENTUM)
    return False


def detect_keras_batchnorm(ctx: Context) -> list[Finding]:
    idx = ctx.indices(lambda m: m.op_kind is OpKind.BATCH_NORM and m.field in ("eps", "momentum"))
    keras = [i for i in idx if _keras_value(ctx.mismatches[i].field, ctx.mismatches[i].actual)]
    # The whole signature: Keras' momentum as written (0.99: no PyTorch user writes it otherwise), or
    # converted (0.01) beside Keras' eps. An eps of 1e-3 alone, or a momentum of 0.01 alone with PyTorch's
    # eps kept, is a common choice of its own (Inception's eps=0.001; a slower running average), described.
    keras_fields = {ctx.mismatches[i].field for i in keras}
    as_written = any(
        ctx.mismatches[i].field == "momentum" and ctx.mismatches[i].actual == 0.99 for i in keras
    )
    if not (as_written or keras_fields == {"eps", "momentum"}):
        return []
    ms = [ctx.mismatches[i] for i in idx]
    fields = sorted({m.field or "" for m in ms})
    found = {m.field: m.actual for m in ms}
    wanted = {m.field: m.expected for m in ms}
    first = ctx.mismatches[keras[0]]
    call = ", ".join(f"{k}={v}" for k, v in sorted(wanted.items()) if k)
    seen = ", ".join(f"{k} {v}" for k, v in sorted(found.items()) if k)
    return [
        Finding(
            pattern=Pattern.KERAS_BATCHNORM,
            title="Keras BatchNorm defaults",
            message=f"{len(idx)} BatchNorm settings differ ({', '.join(fields)}: {seen}): Keras' defaults are eps 1e-3 "
            f"(keras.applications: 1.001e-5) and momentum 0.99, which is PyTorch momentum 0.01 (PyTorch's "
            f"momentum weighs the new batch, Keras' the running average).",
            locations=tuple(sorted({ctx.mismatches[i].reference_path or "" for i in idx}))[:8],
            mismatches=idx,
            suggestion=f"{at(first.candidate_path, first.source)}: BatchNorm2d(num_features, {call}) as in the reference"
            + (
                "; Keras' momentum 0.99 is PyTorch's momentum=0.01, not 0.99"
                if found.get("momentum") == 0.99
                else ""
            ),
            source=first.source,
        )
    ]
