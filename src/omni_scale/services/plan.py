"""Plan a project's machine classes: pick each provider's inventory (snapshot file or live API),
then replay the provider on it (core.placement). Used by `machineclass plan` and `check`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from omni_scale.adapters.proxmox.client import ProxmoxClient
from omni_scale.adapters.proxmox.inventory import take_snapshot
from omni_scale.core.machineclass.model import MachineClass
from omni_scale.core.placement.node import pick_node
from omni_scale.core.placement.release import Release, resolve_release
from omni_scale.core.placement.replay import ClassPlan, PlanProblem, plan_class, plans_to_json
from omni_scale.core.placement.scheduler import Ledger
from omni_scale.core.provider.config import ProxmoxConfig
from omni_scale.core.proxmox.snapshot import Snapshot
from omni_scale.errors import EnvironmentProblem, InputError, OmniScaleError
from omni_scale.project import Project
from omni_scale.services.project_files import (
    ProviderTarget,
    find_machine_class,
    load_machine_classes,
    load_provider_config,
    provider_targets,
)
from omni_scale.services.snapshot_file import load_snapshot

Warn = Callable[[str], None]


@dataclass
class PlanSource:
    """Where the inventory of one provider came from."""

    provider_id: str
    mode: str  # "snapshot" | "live" | "none"
    where: str | None = None  # snapshot path (relative) or API host
    reason: str | None = None  # why mode is "none", or why live was chosen
    snapshot: Snapshot | None = None
    config: ProxmoxConfig | None = None
    version: str | None = None
    release: Release = field(default_factory=lambda: resolve_release(None))
    image: str | None = None
    # the provider process's scheduler ledger: one per provider, shared by every set planned
    ledger: Ledger = field(default_factory=Ledger)

    @property
    def notes(self) -> list[str]:
        return self.snapshot.notes if self.snapshot is not None else []

    def provider_json(self) -> dict[str, Any]:
        """`provider` of the plan JSON: id, the release replayed and whether it was assumed."""
        return {"id": self.provider_id, "image": self.image, **self.release.to_json()}

    def to_json(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "mode": self.mode,
            "where": self.where,
            "reason": self.reason,
            "taken_at": self.snapshot.taken_at if self.snapshot else None,
            "release": self.release.name,
            "assumed": self.release.assumed,
            "notes": self.notes,
        }


def _config_or_none(target: ProviderTarget) -> ProxmoxConfig | None:
    if not target.config_path.is_file():
        return None
    try:
        return load_provider_config(target.config_path)
    except InputError:
        return None


async def live_snapshot(
    config: ProxmoxConfig,
    provider_id: str,
    *,
    with_vms: bool = False,
    warn: Warn | None = None,
    ca_file: str | None = None,
    select: Callable[[Snapshot], Collection[str]] | None = None,
    vm_counts: Callable[[], bool] | None = None,
) -> Snapshot:
    async with ProxmoxClient(config, warn=warn, ca_file=ca_file) as pve:
        return await take_snapshot(
            pve, provider_id, with_vms=with_vms, select=select, vm_counts=vm_counts
        )


# How many requests of each class a plan replays (class id -> count); None: one each.
Replicas = Callable[[], dict[str, int]] | None


def _selector(
    classes: Callable[[], Sequence[MachineClass]] | None,
    provider_id: str,
    release: Release,
    replicas: Replicas = None,
) -> Callable[[Snapshot], Collection[str]] | None:
    if classes is None:
        return None

    def select(snapshot: Snapshot) -> Collection[str]:
        counts = replicas() if replicas is not None else {}
        return landing_nodes(classes(), snapshot, provider_id, release, counts)

    return select


def _needs_vm_counts(
    classes: Callable[[], Sequence[MachineClass]] | None, provider_id: str, release: Release
) -> Callable[[], bool] | None:
    """fewer-vms (v0.2.0, no `ha:`) reads every online node's VM count before it picks."""
    if classes is None or not release.at_least("v0.2.0"):
        return None

    def needed() -> bool:
        for mc in classes():
            if mc.providerid != provider_id:
                continue
            try:
                data = mc.providerdata()
            except OmniScaleError:
                continue
            if data.placement_strategy == "fewer-vms" and "ha" not in data.extra:
                return True
        return False

    return needed


def landing_nodes(
    classes: Sequence[MachineClass],
    snapshot: Snapshot,
    provider_id: str,
    release: Release | str | None,
    replicas: dict[str, int] | None = None,
) -> set[str]:
    """The nodes the provider would put these classes' VMs on (each class replayed for its
    number of requests through one ledger, as the plan will)."""

    nodes: set[str] = set()
    ledger = Ledger()
    for mc in classes:
        if mc.providerid != provider_id:
            continue
        try:
            data = mc.providerdata()
        except OmniScaleError:
            continue
        for index in range(1, max(1, (replicas or {}).get(mc.id, 1)) + 1):
            choice = pick_node(
                snapshot,
                data.node,
                release,
                data.placement_strategy,
                ha="ha" in data.extra,
                set_id=mc.id,
                request=f"{mc.id}-{index}",
                memory_mib=data.memory,
                ledger=ledger,
            )
            if choice.node:
                nodes.add(choice.node)
    return nodes


def plan_inputs(
    project: Project,
    load_classes: Callable[[], list[MachineClass]],
    meanwhile: Callable[[], None] | None = None,
    **options: Any,
) -> tuple[list[MachineClass], list[PlanSource]]:
    """Read the inventory (network, in a thread) while the classes are parsed (CPU, here).

    A live read waits for the classes between its two rounds (node list, then the landing
    nodes' storages and bridges); `meanwhile` (e.g. lint) runs after the classes are ready.
    `snapshot_file` and `live` are checked first (`check_source_options`)."""

    check_source_options(options.get("snapshot_file"), bool(options.get("live")))
    ready: Future[list[MachineClass]] = Future()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(resolve_sources, project, classes=ready.result, **options)
        try:
            classes = load_classes()
        except BaseException as exc:
            ready.set_exception(exc)
            raise
        ready.set_result(classes)
        if meanwhile is not None:
            meanwhile()
        sources = pending.result()
    return classes, sources


def resolve_sources(
    project: Project,
    *,
    snapshot_file: Path | None = None,
    live: bool = False,
    warn: Warn | None = None,
    strict: bool = True,
    classes: Callable[[], Sequence[MachineClass]] | None = None,
    replicas: Replicas = None,
) -> list[PlanSource]:
    """One PlanSource per provider: --snapshot FILE > --live > the snapshot file > live > none.

    With `strict`, a failed live read raises (exit 3); otherwise the source gets mode "none"
    and the reason (so `check` can fall back to lint only). With `classes`, a live read fetches
    storages and bridges only for the nodes those classes would land on.
    """
    targets = provider_targets(project)
    sources: list[PlanSource] = []
    pending: list[tuple[PlanSource, ProxmoxConfig]] = []
    for target in targets:
        config = _config_or_none(target)
        source = PlanSource(
            target.provider_id,
            "none",
            config=config,
            version=target.version,
            release=resolve_release(target.image),
            image=target.image,
        )
        sources.append(source)
        if snapshot_file is not None:
            source.mode, source.where = "snapshot", project.relative(snapshot_file)
            source.snapshot = load_snapshot(snapshot_file)
            continue
        if not live and target.snapshot_path.is_file():
            source.mode, source.where = "snapshot", project.relative(target.snapshot_path)
            source.snapshot = load_snapshot(target.snapshot_path)
            continue
        if config is None:
            source.reason = (
                f"no {project.relative(target.snapshot_path)} and no usable "
                f"{project.relative(target.config_path)}"
            )
            if live and strict:
                raise InputError(
                    f"--live needs the Proxmox config {project.relative(target.config_path)}",
                    hint="run `omni-scale provider setup`, or plan from a snapshot file",
                )
            continue
        source.mode = "live"
        source.reason = "--live" if live else f"no {project.relative(target.snapshot_path)}"
        pending.append((source, config))

    async def read_all() -> list[Snapshot | BaseException]:
        return await asyncio.gather(
            *(
                live_snapshot(
                    c,
                    s.provider_id,
                    warn=warn,
                    select=_selector(classes, s.provider_id, s.release, replicas),
                    vm_counts=_needs_vm_counts(classes, s.provider_id, s.release),
                )
                for s, c in pending
            ),
            return_exceptions=True,
        )

    if pending:
        results = asyncio.run(read_all())
        for (source, config), result in zip(pending, results, strict=True):
            source.where = urlsplit(config.url).netloc
            if isinstance(result, Snapshot):
                source.snapshot = result
            elif isinstance(result, OmniScaleError):
                if strict:
                    raise result
                source.mode, source.reason = "none", result.one_line()
            else:
                raise result
    return sources


def root_login(source: PlanSource) -> bool | None:
    """Whether that provider logs in as root@pam itself (None: unknown)."""
    if source.config is not None:
        return source.config.is_root_login
    if source.snapshot is not None and source.snapshot.auth_id:
        return source.snapshot.auth_id in ("root@pam", "root")
    return None


def plan_all(
    classes: Sequence[MachineClass],
    sources: Sequence[PlanSource],
    project: Project,
    *,
    replicas: int = 1,
) -> list[ClassPlan]:
    by_id = {s.provider_id: s for s in sources}
    plans: list[ClassPlan] = []
    for mc in classes:
        path = project.relative(mc.path)
        source = by_id.get(mc.providerid or "")
        plan = ClassPlan(mc.id, mc.providerid, path=f"{path}:{mc.line}")
        if source is None:
            known = ", ".join(sorted(by_id)) or "none"
            plan.problems.append(
                PlanProblem(
                    "error",
                    f"providerid {mc.providerid!r} is not run by this project (providers: {known})",
                    "set providerid to the provider's --id (case-sensitive)",
                )
            )
            plans.append(plan)
            continue
        if source.snapshot is None:
            plan.problems.append(
                PlanProblem("info", f"not planned: {source.reason or 'no inventory'}", None)
            )
            plan.source = "none"
            plans.append(plan)
            continue
        try:
            data = mc.providerdata()
        except OmniScaleError as exc:
            plan.problems.append(PlanProblem("error", exc.one_line(), exc.hint))
            plans.append(plan)
            continue
        planned = plan_class(
            mc.id,
            mc.providerid,
            data,
            source.snapshot,
            release=source.release,
            root_login=root_login(source),
            replicas=replicas,
            ledger=Ledger(),
        )
        planned.path = plan.path
        plans.append(planned)
    return plans


def select_classes(project: Project, names: Sequence[str], include_all: bool) -> list[MachineClass]:
    if names:
        return [find_machine_class(project, name) for name in names]
    folder = project.machine_classes_dir
    if not folder.is_dir():
        raise InputError(
            f"no {project.relative(folder)}/ folder in {project.root}",
            hint="create a class with `omni-scale machineclass create NAME`",
        )
    classes = load_machine_classes([folder])
    if not classes and include_all:
        raise InputError(
            f"no machine classes in {project.relative(folder)}/",
            hint="create one with `omni-scale machineclass create NAME`",
        )
    return classes


def unreachable(sources: Sequence[PlanSource]) -> EnvironmentProblem | None:
    failed = [s for s in sources if s.mode == "none" and s.config is not None and s.reason]
    if not failed:
        return None
    return EnvironmentProblem("; ".join(f"{s.provider_id}: {s.reason}" for s in failed))


def check_source_options(snapshot_file: Path | None, live: bool) -> None:
    """`--snapshot FILE` and `--live` (plan and check): one source, and the file exists."""
    if snapshot_file is not None and live:
        raise InputError("--snapshot and --live exclude each other", hint="choose one")
    if snapshot_file is not None and not snapshot_file.is_file():
        raise InputError(
            f"snapshot file {snapshot_file} does not exist",
            hint="take one with `omni-scale proxmox snapshot -o FILE`",
        )


def provider_json(sources: Sequence[PlanSource], wanted: Collection[str | None]) -> dict[str, Any]:
    """The design's `provider` block: the provider the planned classes use (the first one
    when they use several; `providers` lists them all)."""
    used = [s for s in sources if s.provider_id in wanted] or list(sources)
    return used[0].provider_json() if used else {"id": None, "release": None, "assumed": True}


@dataclass
class ClassPlans:
    """`machineclass plan`: one plan a class, on each provider's inventory."""

    plans: list[ClassPlan]
    sources: list[PlanSource]
    provider_ids: set[str | None]  # the providers the planned classes name

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.plans)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"provider": provider_json(self.sources, self.provider_ids)}
        data.update(plans_to_json(self.plans))
        data["providers"] = [s.provider_json() for s in self.sources]
        data["sources"] = [s.to_json() for s in self.sources]
        return data


def plan_classes(
    project: Project,
    names: Sequence[str],
    include_all: bool,
    *,
    snapshot_file: Path | None,
    live: bool,
    replicas: int,
    warn: Warn,
) -> ClassPlans:
    """Plan the classes `names` (none: every class) with `replicas` requests each.

    The inventory is read while the classes load; a provider the classes use that has no
    inventory (no snapshot, no reachable config) is bad input that says how to get one."""
    loaded: list[MachineClass] = []

    def load() -> list[MachineClass]:
        loaded[:] = select_classes(project, names, include_all)
        return list(loaded)

    classes, sources = plan_inputs(
        project,
        load,
        snapshot_file=snapshot_file,
        live=live,
        warn=warn,
        replicas=lambda: {c.id: replicas for c in loaded},
    )
    wanted = {c.providerid for c in classes}
    blind = [s for s in sources if s.snapshot is None and s.provider_id in wanted]
    if blind:
        raise InputError(
            "nothing to plan from: " + "; ".join(f"{s.provider_id}: {s.reason}" for s in blind),
            hint="take a snapshot with `omni-scale proxmox snapshot` (needs docker/config.yaml), "
            "or pass --snapshot FILE",
        )
    plans = plan_all(classes, sources, project, replicas=replicas)
    return ClassPlans(plans, list(sources), wanted)
