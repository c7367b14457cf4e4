"""ct-cluster: the Cluster document's name and labels pass omnictl's checks.

`name is required`; `name should only contain letters, digits, dashes and underscores`;
`disk encryption is supported only for Talos version >= 1.5.0`; labels
and annotations must not use the `omni.sidero.dev/` prefix (reserved for Omni).

Failing::

    kind: Cluster
    name: talos.prod
    labels:
      omni.sidero.dev/env: prod

Passing::

    kind: Cluster
    name: talos-prod
    labels:
      env: prod
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.core.template.model import RESERVED_PREFIX, valid_cluster_name
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-cluster"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    data = doc.data
    if data.get("kind") != "Cluster":
        return
    name = data.get("name")
    if name is None or str(name) == "":
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "name is required",
            hint="add `name: <cluster>` (letters, digits, dashes, underscores)",
            node=data,
            key="kind",
        )
    elif not valid_cluster_name(str(name)):
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f'cluster name "{name}": name should only contain letters, digits, dashes and '
            "underscores",
            hint="use letters, digits, dashes and underscores only, e.g. "
            + (re.sub(r"[^\w-]+", "-", str(name)).strip("-") or "talos"),
            node=data,
            key="name",
        )
    yield from _disk_encryption(doc)
    for field in ("labels", "annotations"):
        values = data.get(field)
        if not isinstance(values, Mapping):
            continue
        for key in values:
            if str(key).startswith(RESERVED_PREFIX):
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f'{field[:-1]} "{key}" is invalid: prefix "{RESERVED_PREFIX}" is reserved for '
                    "internal use",
                    hint="use your own prefix, e.g. example.com/<key>",
                    node=values,
                    key=key,
                )


def _disk_encryption(doc: Document) -> Iterator[Problem]:
    features = doc.data.get("features")
    talos = doc.data.get("talos")
    if not isinstance(features, Mapping) or features.get("diskEncryption") is not True:
        return
    version = str(talos.get("version") or "") if isinstance(talos, Mapping) else ""
    match = re.match(r"^v?(\d+)\.(\d+)", version)
    if match and (int(match.group(1)), int(match.group(2))) < (1, 5):
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "disk encryption is supported only for Talos version >= 1.5.0",
            hint="raise talos.version, or drop features.diskEncryption",
            node=features,
            key="diskEncryption",
        )
