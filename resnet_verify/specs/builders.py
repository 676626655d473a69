"""Build a model from a spec string, build torchvision references, parse input sizes.

Spec forms: a family name (``resnet50``, ``resnet50_v1``), ``torchvision:NAME``, ``timm:NAME``, ``keras:NAME``
(see :mod:`~resnet_verify.specs.keras_specs`), ``path/to/file.py:callable``, ``package.module:callable``
and ``git:REV:path/to/file.py:callable`` (:mod:`~resnet_verify.specs.git_specs`). Every bad spec raises
:class:`~resnet_verify.errors.UsageError` with one line naming the problem.
"""

from __future__ import annotations

import contextlib

import torch
from torch import nn

from resnet_verify.errors import UsageError
from resnet_verify.models.resnet import MODEL_BUILDERS
from resnet_verify.specs import keras_specs
from resnet_verify.specs.git_specs import GIT_PREFIX, build_git
from resnet_verify.specs.timm_specs import TIMM_PREFIX, build_timm
from resnet_verify.specs.user_specs import (
    DEFAULT_CLASSES,
    DOTTED,
    build_user,
    classes_kwarg,
    device_ctx,
    exc_text,
    suggest,
)

TORCHVISION_PREFIX = "torchvision:"

_REFERENCE_NAMES: tuple[str, ...] = (
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet101",
    "resnet152",
    "resnext50_32x4d",
    "resnext101_32x8d",
    "resnext101_64x4d",
    "wide_resnet50_2",
    "wide_resnet101_2",
)

_FORMS = (
    "a family name (resnet50), torchvision:NAME, timm:NAME, keras:NAME, FILE.py:CALLABLE, MODULE:CALLABLE "
    "or git:REV:FILE.py:CALLABLE"
)


def default_reference(spec: str, fallback: str = "resnet50") -> str:
    """The reference a model spec is compared with when none is given (compare, train's gate):
    a torchvision model is its own, a family model its builder's twin, anything else ``fallback``."""
    from resnet_verify.models.resnet import reference_name_for

    if spec.startswith("torchvision:"):
        return spec.split(":", 1)[1]
    if spec in MODEL_BUILDERS:
        return str(reference_name_for(spec))
    return fallback


def reference_names() -> tuple[str, ...]:
    """torchvision builders that :func:`build_reference` accepts."""
    return _REFERENCE_NAMES


def build_reference(name: str, *, num_classes: int) -> nn.Module:
    """torchvision's ``name`` with random (not pretrained) weights, on the meta device."""
    _check_num_classes(num_classes)
    if name not in _REFERENCE_NAMES:
        valid = ", ".join(_REFERENCE_NAMES)
        raise UsageError(f"unknown reference {name!r}{suggest(name, _REFERENCE_NAMES)}; valid: {valid}")
    import torchvision.models  # local: keeps `import resnet_verify.specs.builders` light

    from resnet_verify.specs.shape_init import zero_random_init

    # A meta tensor holds no values, yet torchvision's kaiming_normal_ on one runs torch's Python
    # refs: half of building resnet50 (~20 ms of a first compare). Its structure does not depend on
    # values (structure_ignores_values), so the random initialisers are skipped as for a candidate.
    with torch.device("meta"), zero_random_init():
        return getattr(torchvision.models, name)(weights=None, num_classes=num_classes)


def build_reference_model(
    spec: str, *, num_classes: int, input_size: tuple[int, int, int] | None = None
) -> nn.Module:
    """The model a ``--reference SPEC`` names: anything ``--model`` takes.

    A bare torchvision ResNet name (``resnet50``) keeps meaning torchvision's builder, as it always
    has for references; ``torchvision:NAME`` and family names are built on meta (no weight memory);
    every other spec (``timm:NAME``, ``FILE.py:CALLABLE`` ...) is built as ``build_model`` builds it,
    because a user's constructor may need real tensors.
    """
    name = spec.strip().removeprefix(TORCHVISION_PREFIX).strip()
    if name in _REFERENCE_NAMES:
        return build_reference(name, num_classes=num_classes)
    if ":" not in spec and spec.strip() not in MODEL_BUILDERS:
        known = (*_REFERENCE_NAMES, *(n for n in MODEL_BUILDERS if n not in _REFERENCE_NAMES))
        raise UsageError(
            f"unknown reference {name!r}{suggest(name, known)}; valid names: {', '.join(known)} "
            f"(or any model spec: {_FORMS})"
        )
    meta = spec.strip().startswith(TORCHVISION_PREFIX) or spec.strip() in MODEL_BUILDERS
    device = "meta" if meta else None
    # On meta nothing has values to draw; build_model skips drawing only for those builders anyway.
    return build_model(
        spec, num_classes=num_classes, device=device, input_size=input_size, random_init=not meta
    )[0]


def reference_display(spec: str) -> str:
    """How reports name a reference: ``resnet50`` for torchvision's, else the spec as given."""
    name = spec.strip().removeprefix(TORCHVISION_PREFIX).strip()
    return name if name in _REFERENCE_NAMES else spec.strip()


def build_model(
    spec: str,
    *,
    num_classes: int | None,
    device: str | torch.device | None = None,
    input_size: tuple[int, int, int] | None = None,
    random_init: bool = True,
) -> tuple[nn.Module, str]:
    """Build the model a spec names; returns ``(model, display_name)``.

    ``num_classes=None`` builds the class count the builder itself defaults to (its own default, not
    ours: the caller reads the count off the model's head); a builder that requires one gets
    :data:`DEFAULT_CLASSES`.
    ``input_size`` ``(C, H, W)`` is needed only by ``keras:NAME`` (Keras fixes its input shape
    when it builds; default 3x224x224). ``random_init=False`` asks for the shape-only shortcut
    (``torch.nn.init``'s random initialisers write zeros, ``shape_init``) for a caller that reads no
    values; it is taken only for builders whose structure provably does not depend on values
    (:func:`structure_ignores_values`). Any other spec is built exactly as Python builds it: a user's
    builder may prune by weight magnitude, export and re-import, or branch on its own weights.

    Construction sites of every module are recorded on the way (``sources.record_sources``), so
    reports can point at the line of the user's file that built an offending layer.
    """
    from resnet_verify.specs.shape_init import zero_random_init
    from resnet_verify.specs.sources import record_sources
    from resnet_verify.specs.usercode import holds_script, jit_disabled, model_output, unwrap

    shortcut = not random_init and structure_ignores_values(spec)
    init = zero_random_init() if shortcut else contextlib.nullcontext()
    with record_sources(), model_output(), init:  # prints of the user's constructor go to stderr
        model, display = _build_model(spec, num_classes=num_classes, device=device, input_size=input_size)
        if holds_script(model):
            # TorchScript runs the module's own Python source compiled: built again with torch.jit
            # off, torch.jit.script / trace return that source as it is, which a trace can read op by
            # op. A builder that cannot run so (it saves and loads the script) keeps its script model,
            # refused below with its hint.
            with contextlib.suppress(Exception), jit_disabled():  # (failing, the first build stands)
                eager, shown = _build_model(
                    spec, num_classes=num_classes, device=device, input_size=input_size
                )
                # the model as built, parameter for parameter: a builder that prunes or reads its own
                # weights may build another one the second time; then the script model stands
                if _shapes(eager) == _shapes(model):
                    model, display = eager, shown
    return (model if keras_specs.is_keras_model(model) else unwrap(model)), display


def _shapes(model: nn.Module) -> dict[str, tuple[int, ...]]:
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def structure_ignores_values(spec: str) -> bool:
    """Whether the model ``spec`` names has the same modules, shapes and forward whatever its
    weights: the project's family, torchvision's and timm's builders, which build layers from their
    arguments alone. Nothing else qualifies: user code is not inspected, it is run as written."""
    if not isinstance(spec, str):
        return False
    spec = spec.strip()
    if spec in MODEL_BUILDERS:
        return True
    return spec.startswith((TORCHVISION_PREFIX, TIMM_PREFIX)) and spec.count(":") == 1


def _build_model(
    spec: str,
    *,
    num_classes: int | None,
    device: str | torch.device | None = None,
    input_size: tuple[int, int, int] | None = None,
) -> tuple[nn.Module, str]:
    if num_classes is not None:
        _check_num_classes(num_classes)
    if not isinstance(spec, str) or not spec.strip():
        raise UsageError(f"empty model spec: give {_FORMS}")
    spec = spec.strip()
    dev = torch.device(device) if device is not None else None
    if spec.startswith(GIT_PREFIX):  # git:REV:FILE.py:CALLABLE: the one form with three colons
        keras_specs.prefer_torch_backend()
        model, display = build_git(spec, num_classes, dev)
        if dev is not None:
            nn.Module.to(model, dev)
        return model, display
    if spec.count(":") > 1:
        raise UsageError(f"malformed model spec {spec!r}: expected at most one ':' ({_FORMS})")

    if spec.startswith(keras_specs.KERAS_PREFIX):
        name = spec[len(keras_specs.KERAS_PREFIX) :].strip()
        classes = DEFAULT_CLASSES if num_classes is None else num_classes  # Keras needs a count
        model = keras_specs.build_keras_application(name, num_classes=classes, input_size=input_size)
        return model, f"keras:{name}"  # Keras places its own variables: no .to(device)
    if spec.startswith(TORCHVISION_PREFIX):
        name = spec[len(TORCHVISION_PREFIX) :].strip()
        model = _build_torchvision(name, num_classes, dev)
        display = f"torchvision:{name}"
    elif spec.startswith(TIMM_PREFIX):
        name = spec[len(TIMM_PREFIX) :].strip()
        model = build_timm(
            name, num_classes=DEFAULT_CLASSES if num_classes is None else num_classes, device=dev
        )
        display = f"timm:{name}"
    elif ":" in spec:
        where, attr = (part.strip() for part in spec.split(":"))
        if not where or not attr:
            raise UsageError(f"malformed model spec {spec!r}: both sides of ':' must be non-empty")
        if not DOTTED.match(attr):
            raise UsageError(f"malformed model spec {spec!r}: {attr!r} is not a Python name")
        keras_specs.prefer_torch_backend()  # before the user's code may import keras
        model, display = build_user(spec, where, attr, num_classes, dev)
    else:
        model = _build_family(spec, num_classes, dev)
        display = spec

    if dev is not None and not keras_specs.is_keras_model(model):
        # Parameters a user created with an explicit device ignore the context. nn.Module.to
        # itself: a user's `to` override may not return the model.
        nn.Module.to(model, dev)
    return model, display


def parse_input_size(text: str | int, *, min_size: int = 32) -> tuple[int, ...]:
    """The input of one sample: ``N`` -> ``(3, N, N)``; ``CxL`` (1-D: signals), ``CxHxW`` (images) and
    ``CxDxHxW`` (3-D: video, volumes) as written. Every spatial side must be >= ``min_size``, except a
    3-D input's depth (a clip of 8 frames is usual)."""
    usage = "use N, CxL, CxHxW or CxDxHxW (e.g. 224, 12x1000, 3x224x224 or 3x16x112x112)"
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise UsageError(f"input size must be N, CxL, CxHxW or CxDxHxW, got {text!r}")
    parts = [text] if isinstance(text, int) else text.strip().lower().replace("×", "x").split("x")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise UsageError(f"malformed input size {text!r}: {usage}") from None
    if len(numbers) == 1:
        numbers = [3, numbers[0], numbers[0]]
    elif len(numbers) not in (2, 3, 4):
        raise UsageError(f"malformed input size {text!r}: {usage}")
    if min(numbers) <= 0:
        raise UsageError(f"input size {text!r} must be positive in every dimension")
    sides = numbers[-2:] if len(numbers) > 2 else numbers[-1:]
    for side in sides:
        if side < min_size:
            raise UsageError(f"input size {side} is too small: the network needs at least {min_size} px")
    return tuple(numbers)


def image_size(size: tuple[int, ...]) -> tuple[int, int, int] | None:
    """``(C, H, W)`` for a 2-D input (what ``keras:NAME`` needs to fix its input shape), else None."""
    return (size[0], size[1], size[2]) if len(size) == 3 else None


def full_input_shape(size: tuple[int, ...]) -> torch.Size:
    """A parsed per-sample size as the whole shape the tracer takes (batch 1), unambiguous for every
    dimensionality (see ``tracing.tracer.normalize_input_shape``)."""
    return torch.Size((1, *size))


# ---- helpers --------------------------------------------------------------------------------------


def _check_num_classes(num_classes: int) -> None:
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise UsageError(f"num_classes must be a positive integer, got {num_classes!r}")


def _build_family(name: str, num_classes: int | None, dev: torch.device | None) -> nn.Module:
    if name not in MODEL_BUILDERS:
        if name.endswith(".py"):
            raise UsageError(f"model spec {name!r} names a file but no callable: use {name}:NAME")
        raise UsageError(
            f"unknown model {name!r}{suggest(name, MODEL_BUILDERS)}; family models: {', '.join(MODEL_BUILDERS)}"
            " (or use torchvision:NAME, timm:NAME, FILE.py:CALLABLE or MODULE:CALLABLE)"
        )
    with device_ctx(dev):
        return MODEL_BUILDERS[name](**classes_kwarg(num_classes))


def _build_torchvision(name: str, num_classes: int | None, dev: torch.device | None) -> nn.Module:
    import torchvision.models

    if not name:
        raise UsageError(
            "malformed model spec 'torchvision:': give a builder name, e.g. torchvision:resnet50"
        )
    available = torchvision.models.list_models()
    if name not in available:
        raise UsageError(f"torchvision has no model builder {name!r}{suggest(name, available)}")
    try:
        with device_ctx(dev):
            model = torchvision.models.get_model(name, weights=None, **classes_kwarg(num_classes))
    except Exception as exc:
        raise UsageError(f"building torchvision:{name} raised {exc_text(exc)}") from exc
    if not isinstance(model, nn.Module):  # pragma: no cover - torchvision builders return modules
        raise UsageError(f"torchvision:{name} returned {type(model).__name__}, not a torch.nn.Module")
    return model
