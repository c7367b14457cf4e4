"""`cluster plan`: replay every machine set of a cluster template through its class's provider
and release, then judge the cluster's capacity (memory per node, disk per storage, control
planes sharing a node). Used by `cluster plan` and `check`.

Every machine Omni creates for a cluster is in a machine request set named like its machine set
(`<cluster>-control-planes`, `<cluster>-workers`, `<cluster>-<name>`), so each set's requests
`<set>-1 … <set>-N` go through the provider's in-set path and (v0.2.0) one ledger per provider.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.core.machineclass.model import MachineClass
from omni_scale.core.placement.capacity import (
    Capacity,
    PlacedVM,
    capacity,
    shared_control_planes,
)
from omni_scale.core.placement.model import PlanProblem, dedupe
from omni_scale.core.placement.replay import ClassPlan, plan_class
from omni_scale.core.proxmox.snapshot import Snapshot
from omni_scale.core.template.model import MachineSetSpec, machine_sets
from omni_scale.errors import InputError, OmniScaleError
from omni_scale.lint.document import read_source
from omni_scale.project import Project
from omni_scale.services.plan import PlanSource, plan_inputs, root_login
from omni_scale.services.project_files import loadable_machine_classes


@dataclass
class SetPlan:
    spec: MachineSetSpec
    plan: ClassPlan | None = None
    problems: list[PlanProblem] = field(default_factory=list)

    @property
    def all_problems(self) -> list[PlanProblem]:
        return self.problems + (self.plan.problems if self.plan else [])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.spec.id,
            "kind": self.spec.kind,
            "class": self.spec.machine_class,
            "size": self.spec.size,
            "machines": [m.to_json() for m in self.plan.machines] if self.plan else [],
            "ok": not any(p.severity == "error" for p in self.all_problems),
            "provider_error": (
                e.message if self.plan and (e := self.plan.provider_error) else None
            ),
            "problems": [p.to_json() for p in self.all_problems],
        }


@dataclass
class ClusterPlan:
    name: str | None
    path: str
    sets: list[SetPlan] = field(default_factory=list)
    capacity: Capacity = field(default_factory=Capacity)
    problems: list[PlanProblem] = field(default_factory=list)
    providers: list[PlanSource] = field(default_factory=list)
    planned: bool = True  # False when no inventory was available

    @property
    def every_problem(self) -> list[PlanProblem]:
        out = list(self.problems)
        for s in self.sets:
            out += s.all_problems
        return out

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.every_problem)

    def to_json(self) -> dict[str, Any]:
        provider = self.providers[0].provider_json() if self.providers else None
        return {
            "name": self.name,
            "path": self.path,
            "provider": provider,
            "providers": [p.provider_json() for p in self.providers],
            "planned": self.planned,
            "sets": [s.to_json() for s in self.sets],
            "capacity": self.capacity.to_json(),
            "ok": self.ok,
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass(frozen=True)
class Template:
    path: Path
    name: str | None
    sets: tuple[MachineSetSpec, ...]
    error: InputError | None = None


def template_paths(project: Project, names: Sequence[str]) -> list[Path]:
    """TEMPLATE arguments (a file, or a name in clusters/) or every clusters/*.yaml."""
    folder = project.clusters_dir
    if not names:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))
    out: list[Path] = []
    for name in names:
        given = Path(name)
        candidates = [given, project.root / given, folder / f"{name}.yaml", folder / f"{name}.yml"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            known = ", ".join(p.stem for p in template_paths(project, [])) or "none"
            raise InputError(
                f"cluster template {name!r} not found",
                hint=f"give a file or a name from {project.relative(folder)}/ (templates: {known})",
            )
        out.append(found.resolve())
    return out


def read_template(path: Path) -> Template:
    source = read_source(path)
    if source.error is not None:
        return Template(path, None, (), source.error)
    name, sets = machine_sets([d.data for d in source.documents])
    return Template(path, name, tuple(sets))


def class_sizes(templates: Sequence[Template]) -> dict[str, int]:
    """Requests per class over every planned set (for a live read's landing nodes)."""
    sizes: dict[str, int] = {}
    for template in templates:
        for spec in template.sets:
            if spec.machine_class and isinstance(spec.size, int):
                sizes[spec.machine_class] = max(sizes.get(spec.machine_class, 0), spec.size)
    return sizes


def plan_template(
    project: Project,
    template: Template,
    classes: Sequence[MachineClass],
    sources: Sequence[PlanSource],
) -> ClusterPlan:
    cluster = ClusterPlan(template.name, project.relative(template.path))
    if template.error is not None:
        cluster.problems.append(
            PlanProblem("error", template.error.one_line(), template.error.hint)
        )
        return cluster
    if template.name is None:
        cluster.problems.append(
            PlanProblem(
                "error",
                "no `kind: Cluster` document with a name: the machine set ids are unknown",
                "start the template with kind: Cluster and name: <cluster>",
            )
        )
    by_id = {c.id: c for c in classes}
    by_provider = {s.provider_id: s for s in sources}
    placed: list[PlacedVM] = []
    used: list[PlanSource] = []
    for spec in template.sets:
        set_plan = SetPlan(spec)
        cluster.sets.append(set_plan)
        source = _plan_set(set_plan, by_id, by_provider, sources)
        if source is None or set_plan.plan is None:
            continue
        if source not in used:
            used.append(source)
        placed += [
            PlacedVM(spec.id, spec.kind, m, set_plan.plan.memory, source.provider_id)
            for m in set_plan.plan.machines
        ]
    cluster.providers = used or [s for s in sources][:1]
    cluster.planned = any(s.snapshot is not None for s in used) or not template.sets
    snapshots: dict[str, Snapshot] = {
        s.provider_id: s.snapshot for s in used if s.snapshot is not None
    }
    cluster.capacity = capacity(placed, snapshots)
    cluster.problems += cluster.capacity.problems
    cp_providers = {vm.provider for vm in placed if vm.kind == "ControlPlane"}
    online = None
    if len(cp_providers) == 1 and (snap := snapshots.get(next(iter(cp_providers)))) is not None:
        online = sum(1 for n in snap.nodes if n.online)
    cluster.problems += shared_control_planes(placed, online)
    cluster.problems = dedupe(cluster.problems)
    return cluster


def _plan_set(
    set_plan: SetPlan,
    by_id: dict[str, MachineClass],
    by_provider: dict[str, PlanSource],
    sources: Sequence[PlanSource],
) -> PlanSource | None:
    spec = set_plan.spec
    add = set_plan.problems.append
    if spec.machine_class is None:
        add(PlanProblem("info", f"{spec.id}: machines listed by hand, nothing to place", None))
        return None
    if spec.size == "unlimited":
        add(
            PlanProblem(
                "info",
                f"{spec.id}: size unlimited takes every matching machine; nothing to replay",
                None,
            )
        )
        return None
    if not isinstance(spec.size, int):
        add(PlanProblem("error", f"{spec.id}: machineClass.size is not valid", "see lint"))
        return None
    mc = by_id.get(spec.machine_class)
    if mc is None:
        add(
            PlanProblem(
                "error",
                f"{spec.id}: machine class {spec.machine_class!r} is not in machine-classes/",
                f"create it (omni-scale machineclass create {spec.machine_class}) or fix the name",
            )
        )
        return None
    source = by_provider.get(mc.providerid or "")
    if source is None:
        known = ", ".join(sorted(by_provider)) or "none"
        add(
            PlanProblem(
                "error",
                f"{spec.id}: class {mc.id} has providerid {mc.providerid!r}, which this project "
                f"does not run (providers: {known}): no machine is ever created",
                "set providerid to the provider's --id (case-sensitive), or add that provider",
            )
        )
        return None
    if source.snapshot is None:
        add(PlanProblem("info", f"{spec.id}: not planned: {source.reason or 'no inventory'}"))
        return source
    if spec.size == 0:
        return source
    try:
        data = mc.providerdata()
    except OmniScaleError as exc:
        add(PlanProblem("error", f"{spec.id}: {exc.one_line()}", exc.hint))
        return source
    set_plan.plan = plan_class(
        mc.id,
        mc.providerid,
        data,
        source.snapshot,
        release=source.release,
        root_login=root_login(source),
        replicas=spec.size,
        set_id=spec.id,
        ledger=source.ledger,
    )
    return source


def cluster_plan(
    project: Project,
    names: Sequence[str] = (),
    *,
    meanwhile: Callable[[], None] | None = None,
    **options: Any,
) -> tuple[list[ClusterPlan], list[PlanSource]]:
    """Plan the given templates (default: every clusters/*.yaml) on each provider's inventory.

    Bad input (InputError): templates named that hold no cluster, and clusters that name
    providers when none of them could be planned for want of an inventory."""
    paths = template_paths(project, names)
    templates = [read_template(p) for p in paths]
    classes, sources = plan_inputs(
        project,
        lambda: loadable_machine_classes(project),
        meanwhile,
        replicas=lambda: class_sizes(templates),
        **options,
    )
    clusters = plan_templates(project, templates, classes, sources)
    if not clusters and names:
        raise InputError("no cluster templates to plan", hint="give clusters/<name>.yaml")
    blind = [s for s in sources if s.snapshot is None and any(c.providers for c in clusters)]
    if blind and all(not c.planned for c in clusters) and clusters:
        raise InputError(
            "nothing to plan from: " + "; ".join(f"{s.provider_id}: {s.reason}" for s in blind),
            hint="take a snapshot with `omni-scale proxmox snapshot` (needs docker/config.yaml), "
            "or pass --snapshot FILE",
        )
    return clusters, sources


def plan_templates(
    project: Project,
    templates: Sequence[Template],
    classes: Sequence[MachineClass],
    sources: Sequence[PlanSource],
) -> list[ClusterPlan]:
    return [plan_template(project, t, classes, sources) for t in templates if _is_template(t)]


def _is_template(template: Template) -> bool:
    """A file of clusters/ with a Cluster, ControlPlane or Workers document (or one that does
    not parse: its error is reported). Other YAML there is the linter's business."""
    return template.error is not None or template.name is not None or bool(template.sets)
