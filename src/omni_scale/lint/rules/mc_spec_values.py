"""mc-spec-values: wrong types omnictl cannot decode: `providerdata` as a mapping, `grpctunnel:
ENABLED` (must be 0/1/2), `kernelargs`/`metavalues` shapes. Omni's kernel-arg limits

Spec values must have the types omnictl decodes.

A wrong type fails `omnictl apply` with `failed to unmarshal spec: ...`: `providerdata` as a
mapping instead of a string, `grpctunnel: ENABLED` instead of 0/1/2, `kernelargs` not a list of
strings. Omni also limits kernel args (64 entries, 256 bytes each, no control characters).

Failing::

    spec:
      autoprovision:
        providerid: proxmox
        grpctunnel: ENABLED
        providerdata:
          cores: 2

Passing::

    spec:
      autoprovision:
        providerid: proxmox
        grpctunnel: 1
        providerdata: |
          cores: 2
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import spec_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-spec-values"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})
GRPC_TUNNEL = {0: "UNSET", 1: "ENABLED", 2: "DISABLED"}
MAX_KERNEL_ARGS = 64
MAX_KERNEL_ARG_BYTES = 256


def _problem(doc: Document, node: Any, key: Any, message: str, hint: str) -> Problem:
    return make_problem(
        ID, SEVERITY, doc, f"failed to unmarshal spec: {message}", hint=hint, node=node, key=key
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    spec = spec_of(doc)
    if spec is None:
        return
    labels = spec.get("matchlabels")
    if labels is not None and not (
        isinstance(labels, list) and all(isinstance(x, str) for x in labels)
    ):
        yield _problem(
            doc,
            spec,
            "matchlabels",
            "matchlabels must be a list of strings",
            'write matchlabels: ["omni.sidero.dev/arch = amd64"]',
        )
    auto = spec.get("autoprovision")
    if auto is None:
        return
    if not isinstance(auto, Mapping):
        yield _problem(
            doc,
            spec,
            "autoprovision",
            "autoprovision must be a mapping",
            "indent providerid and providerdata under 'autoprovision:'",
        )
        return
    yield from _autoprovision(doc, auto)


def _autoprovision(doc: Document, auto: Mapping[str, Any]) -> Iterator[Problem]:
    providerid = auto.get("providerid")
    if providerid is not None and not isinstance(providerid, str):
        yield _problem(
            doc, auto, "providerid", "providerid must be a string", "write providerid: proxmox"
        )
    data = auto.get("providerdata")
    if data is not None and not isinstance(data, str):
        kind = "a mapping" if isinstance(data, Mapping) else type(data).__name__
        yield _problem(
            doc,
            auto,
            "providerdata",
            f"providerdata must be a YAML string, not {kind}",
            "write 'providerdata: |' and indent the keys below it (a block string)",
        )
    tunnel = auto.get("grpctunnel")
    if tunnel is not None and not (_is_int(tunnel) and tunnel in GRPC_TUNNEL):
        yield _problem(
            doc,
            auto,
            "grpctunnel",
            f"grpctunnel must be 0, 1 or 2, not {tunnel!r}",
            "0 = unset (Omni's default), 1 = enabled, 2 = disabled; enums are numbers here",
        )
    yield from _kernel_args(doc, auto)
    metavalues = auto.get("metavalues")
    if metavalues is not None:
        ok = isinstance(metavalues, list) and all(
            isinstance(m, Mapping)
            and _is_int(m.get("key", 0))
            and 0 <= int(m.get("key", 0)) < 2**32
            and isinstance(m.get("value", ""), str)
            for m in metavalues
        )
        if not ok:
            yield _problem(
                doc,
                auto,
                "metavalues",
                "metavalues must be a list of {key: <uint32>, value: <string>}",
                'e.g. metavalues: [{key: 10, value: "..."}] or []',
            )


def _kernel_args(doc: Document, auto: Mapping[str, Any]) -> Iterator[Problem]:
    args = auto.get("kernelargs")
    if args is None:
        return
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        yield _problem(
            doc,
            auto,
            "kernelargs",
            "kernelargs must be a list of strings",
            'write kernelargs: ["console=ttyS0"] or []',
        )
        return
    if len(args) > MAX_KERNEL_ARGS:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"auto provision kernel args has too many entries: {len(args)} (max {MAX_KERNEL_ARGS})",
            hint="drop kernel args you do not need",
            node=auto,
            key="kernelargs",
        )
    for index, arg in enumerate(args):
        if len(arg.encode("utf-8")) > MAX_KERNEL_ARG_BYTES:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"auto provision kernel args[{index}] is too long: "
                f"{len(arg.encode('utf-8'))} bytes (max {MAX_KERNEL_ARG_BYTES})",
                hint="shorten the argument",
                node=args,
                key=index,
            )
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in arg):
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"auto provision kernel args[{index}] contains a control character",
                hint="remove tabs and newlines from the argument",
                node=args,
                key=index,
            )
