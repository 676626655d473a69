"""The two models of a numeric check, real and in float64, the candidate holding the reference's
learned tensors (used by :mod:`resnet_verify.verify.same_function` and
:mod:`resnet_verify.verify.hidden_constants`).

What is copied: every learned tensor (a parameter that trains, a norm's running statistics), and every
constant the reference's builder draws at random (a frozen random projection, frozen layers: two builds
under two seeds disagree on them). Every other constant stays as each side built it, so that where the
two sides' constants differ the numbers show it; a candidate built on meta holds no such constant, and
then there is nothing to decide. Learned tensors whose values are all equal (a BatchNorm's 1 and 0, a
zero-initialized residual scale) and the norm statistics are drawn at random first, so no branch hides
behind a zero; a shift is drawn around zero, since a positive one would make the ReLU after it a no-op
(a ReLU left out of the stem, before its max pool, compared the same with positive shifts).

Pairs come from the structural pairing (:func:`~resnet_verify.verify.pairing.pair_parameters`) where it
is one to one, else by name, else by position, always between tensors of one shape (a Linear's (o, i)
weight against a 1x1 conv's (o, i, 1, 1) computes the same, yet the state dict differs: the conv classifier
is a named variant): any bijection will do, since the numbers decide and a
wrong one only fails the check.
"""

from __future__ import annotations

import dataclasses

import torch
from torch import nn

from resnet_verify.specs.usercode import has_reparametrization, unwrap
from resnet_verify.specs.vocabulary import STATISTICS
from resnet_verify.verify.fused_pairs import Stacked, copy_stacked, fused_pairing
from resnet_verify.verify.pairing import ParamMapping, pair_parameters
from resnet_verify.verify.records import Comparison
from resnet_verify.verify.weights import named_tensors as tensors

SEED = 20261205


@dataclasses.dataclass(frozen=True, slots=True)
class Sides:
    reference: nn.Module
    candidate: nn.Module
    pairs: tuple[tuple[str, str], ...]  # (reference name, candidate name) of every copied tensor
    constants: tuple[str, ...] = ()  # the candidate's tensors left as it built them
    stacked: tuple[Stacked, ...] = ()  # layers fused on one side: tensors stacked along the first axis


def runnable_side_by_side(comparison: Comparison) -> bool:
    """Both sides traced without a crash, in PyTorch (a Keras model's tensors are not torch's to copy),
    on the same input shape: the numeric checks can run them on one input."""
    ref, cand = comparison.reference, comparison.candidate
    return (
        ref.crash is None
        and cand.crash is None
        and "keras" not in (ref.device, cand.device)
        and tuple(ref.input_shape) == tuple(cand.input_shape)
    )


def built_on_meta(candidate: nn.Module) -> bool:
    """A candidate built on meta (a test's shape-only build): the numeric checks are what the command
    line's real build gets; a model of shapes alone is the trace's to judge."""
    return any(t.is_meta for t in tensors(unwrap(candidate)).values())


def learned(name: str, t: torch.Tensor) -> bool:
    return (isinstance(t, nn.Parameter) and t.requires_grad) or name.rsplit(".", 1)[-1] in STATISTICS


def _one_to_one(mapping: ParamMapping) -> bool:
    refs = [r for r, _ in mapping.pairs]
    cands = [c for _, c in mapping.pairs]
    whole = mapping.complete and not mapping.zero_candidate and not mapping.conflicts
    unused = [
        n for n in (*mapping.unused_reference, *mapping.unused_candidate) if not n.endswith(STATISTICS[2])
    ]
    return whole and not unused and len(set(refs)) == len(refs) and len(set(cands)) == len(cands)


def _by_name_or_order(
    rt: dict[str, torch.Tensor],
    ct: dict[str, torch.Tensor],
    refs: list[str],
    cands: list[str],
    by_order: bool,
) -> list[tuple[str, str]] | None:
    if len(refs) != len(cands):
        return None
    if set(refs) == set(cands) and all(rt[n].shape == ct[n].shape for n in refs):
        return [(n, n) for n in refs]
    if by_order and all(rt[r].shape == ct[c].shape for r, c in zip(refs, cands, strict=True)):
        return list(zip(refs, cands, strict=True))
    return None


def _entries(t: dict[str, torch.Tensor], drawn: set[str]) -> list[tuple[str, tuple[int, ...]]]:
    return [(n, tuple(v.shape)) for n, v in t.items() if learned(n, v) or n in drawn]


def _randomize(model: nn.Module, names: set[str]) -> None:
    gen = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, t in tensors(model).items():
            if name not in names or not t.is_floating_point() or t.numel() == 0:
                continue
            leaf = name.rsplit(".", 1)[-1]
            if leaf == "running_mean":
                t.copy_(torch.randn(t.shape, generator=gen) * 0.1)
            elif leaf == "running_var":
                t.copy_(torch.rand(t.shape, generator=gen) + 0.5)
            elif bool((t == t.reshape(-1)[0]).all()):
                c = float(t.reshape(-1)[0])
                drawn = (
                    torch.rand(t.shape, generator=gen) + 0.5
                    if c
                    else torch.randn(t.shape, generator=gen) * 0.5
                )
                t.copy_(drawn * c if c else drawn)


def _random_constants(reference: str | nn.Module, num_classes: int, rt: dict[str, torch.Tensor]) -> set[str]:
    """The reference's non-learned tensors its builder draws at random: a second build disagrees."""
    from resnet_verify.verify.weights import load_reference

    fixed = [n for n, t in rt.items() if not learned(n, t)]  # a random permutation buffer too
    if not fixed or not isinstance(reference, str):
        return set()
    other = tensors(load_reference(reference, num_classes=num_classes, seed=1))
    return {n for n in fixed if n not in other or not torch.equal(other[n], rt[n])}


def _pairs(
    comparison: Comparison,
    rt: dict[str, torch.Tensor],
    ct: dict[str, torch.Tensor],
    drawn: set[str],
    by_order: bool,
) -> list[tuple[str, str]] | None:
    refs = [n for n, t in rt.items() if learned(n, t) or n in drawn]
    mapping = pair_parameters(comparison)
    if _one_to_one(mapping) and all(
        r in rt and c in ct and rt[r].shape == ct[c].shape for r, c in mapping.pairs
    ):
        pairs = [(r, c) for r, c in mapping.pairs if r in set(refs)]
        unpaired = {n for n, t in ct.items() if learned(n, t)} - {c for _, c in pairs}
        left = (set(refs) - {r for r, _ in pairs}) | unpaired
        if not [n for n in left if not n.endswith(STATISTICS[2])]:
            return pairs
    cands = [n for n, t in ct.items() if learned(n, t) or n in drawn]
    return _by_name_or_order(rt, ct, refs, cands, by_order)


def _negate(model: nn.Module, names: set[str]) -> None:
    """The named learned tensors negated: another draw of the same scale, every sign the other way.
    Two spellings that agree on one draw only because an activation's input kept one sign there (abs
    against ReLU after a bias that happened to be positive) disagree on it; a spelling of the same
    function agrees on every draw."""
    with torch.no_grad():
        for name, t in tensors(model).items():
            leaf = name.rsplit(".", 1)[-1]
            if name in names and t.is_floating_point() and leaf not in ("running_mean", "running_var"):
                t.neg_()


def build_sides(
    candidate: nn.Module,
    reference: str | nn.Module,
    comparison: Comparison,
    *,
    by_order: bool = True,
    negated: bool = False,
) -> Sides | None:
    """Both models for a numeric check (see the module docstring), or None where none can be made.
    ``negated``: the learned tensors negated (``_negate``). ``by_order=False``: only the structural pairing or names pair tensors, for a check whose "differ" is an
    answer (a wrong pairing by position only ever makes two models differ)."""
    from resnet_verify.verify.weights import candidate_copy, load_reference

    # a weight a parametrization computes is folded into a plain one on the copies, where the numbers
    # can no longer see the transform: its difference (spectral norm on one side only) stands as traced
    models = (unwrap(candidate), *((reference,) if isinstance(reference, nn.Module) else ()))
    if any(m.field == "param_ops" for m in comparison.mismatches) and any(map(has_reparametrization, models)):
        return None
    original = tensors(unwrap(candidate))
    ref_model = load_reference(reference, num_classes=comparison.num_classes, seed=0)
    rt = tensors(ref_model)
    drawn = _random_constants(reference, comparison.num_classes, rt)
    cand_model = candidate_copy(candidate)
    ct = tensors(cand_model)
    pairs = _pairs(comparison, rt, ct, drawn, by_order)
    stacked: tuple[Stacked, ...] = ()
    if pairs is None and by_order:
        fused = fused_pairing(*(_entries(t, drawn) for t in (rt, ct)))
        if fused is not None:
            pairs, stacked = list(fused.pairs), fused.stacked
    if pairs is None:
        return None
    copied = {c for _, c in pairs} | {c for s in stacked for c in s.candidate}
    if any(t.is_meta for name, t in original.items() if name not in copied):
        return None  # a constant the candidate was built without: nothing to compare it with
    _randomize(ref_model, {r for r, _ in pairs} | {r for s in stacked for r in s.reference})
    if negated:
        _negate(ref_model, {r for r, _ in pairs} | {r for s in stacked for r in s.reference})
    with torch.no_grad():
        for r, c in pairs:
            ct[c].copy_(rt[r])
        for s in stacked:
            copy_stacked(s, rt, ct)
    drawn_ref = {r for r, _ in pairs} | {r for s in stacked for r in s.reference}
    written = {
        "reference": _constants_as_written(rt, drawn_ref),
        "candidate": _constants_as_written(ct, copied),
    }
    for model in (ref_model, cand_model):
        _to_float64(model)
    for side, model in (("reference", ref_model), ("candidate", cand_model)):
        _put_back(model, written[side])
    constants = tuple(n for n in ct if n not in copied)
    return Sides(ref_model, cand_model, tuple(pairs), constants, stacked)


def _to_float64(model: nn.Module) -> None:
    nn.Module.double(model)
    with torch.no_grad():  # complex weights (a Fourier layer's) to complex128 as well: double() leaves them
        for t in tensors(model).values():
            if t.is_complex():
                t.data = t.data.to(torch.complex128)


def _constants_as_written(named: dict[str, torch.Tensor], learned: set[str]) -> dict[str, torch.Tensor]:
    return {n: _as_written(t) for n, t in named.items() if n not in learned and _single(t)}


def _put_back(model: nn.Module, written: dict[str, torch.Tensor]) -> None:
    held = tensors(model)
    with torch.no_grad():
        for name, values in written.items():
            if name in held and held[name].dtype is torch.float64:
                held[name].copy_(values)


_MAX_WRITTEN = 1 << 16


def _single(t: torch.Tensor) -> bool:
    return t.dtype is torch.float32 and not t.is_meta and t.numel() <= _MAX_WRITTEN


def _as_written(t: torch.Tensor) -> torch.Tensor:
    """A float32 constant in float64 as the user wrote it: each value the shortest decimal that is that
    float32 (``0.299`` in a buffer is 0.29899999499 in float32, and 0.299 where a forward multiplies by
    the Python float). In float32, the model's own precision, the two are one number; the float64
    check must not tell them apart (heldout91's luma weights as a fixed 1x1 conv)."""
    values = t.detach().cpu().reshape(-1).numpy()
    return torch.tensor([float(str(v)) for v in values], dtype=torch.float64).reshape(t.shape)
