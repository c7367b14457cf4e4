"""The known-error table: an error text in, its cause and fix out.

One table feeds `provider logs --diagnose`, `provider status`, `cluster status` and the
plugin's troubleshooting reference (rendered with `render_markdown`), so they cannot drift.
Sources: siderolabs/omni-infra-provider-proxmox, siderolabs/omni v1.10.4 and the Proxmox VE API
(pve-manager, pve-access-control); each entry names its own.

Each entry is a regular expression (matched case-sensitively against any text: a log line, an
`Error:` line, an omnictl error) with named groups; `cause` and `fix` may use those names as
`{name}` placeholders, filled from the match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from omni_scale.core.machineclass.model import is_dns_label


@dataclass(frozen=True)
class KnownError:
    id: str
    pattern: str  # a regular expression; named groups feed the {placeholders}
    where: str
    cause: str
    fix: str
    example: str  # the error as printed (shown in the Markdown table)
    source: str = ""
    # ids of entries this one explains better when both match the same text
    shadows: tuple[str, ...] = ()
    # the fix when the match's `id` group is not a DNS-1123 label (the usual fix would name it)
    fix_invalid_id: str = ""

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern)


@dataclass(frozen=True)
class Diagnosis:
    id: str
    matched: str
    where: str
    cause: str
    fix: str
    source: str
    groups: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "matched": self.matched,
            "where": self.where,
            "cause": self.cause,
            "fix": self.fix,
            "source": self.source,
        }


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_Q = r'"(?P<id>[^"]*)"'  # a quoted provider id

KNOWN_ERRORS: tuple[KnownError, ...] = (
    # --- provider start-up and registration -------------------------------------------------
    KnownError(
        "provider-id-mismatch",
        r"resource ID must match the infra provider ID " + _Q,
        "provider start (InvalidArgument)",
        "the provider's --id differs from the name its key was created for ('{id}'); "
        "ids are case-sensitive",
        "set --id={id} in docker/compose.yaml (and providerid: {id} in the machine classes), "
        "or create a key for the id you use: omnictl infraprovider create <id>",
        'resource ID must match the infra provider ID "Proxmox"',
        "provider.md §3, §10",
        # `--id=Proxmox` is refused by setup (and by Omni >= 1.10): not a fix that passes
        fix_invalid_id="create a key for the id docker/compose.yaml uses: omnictl "
        "infraprovider create <id> ('{id}' is not a lowercase DNS-1123 label, so it cannot "
        "be the provider's --id)",
    ),
    KnownError(
        "provider-not-registered",
        r"infra provider with name " + _Q + r" is not registered in the system",
        "provider start (PermissionDenied)",
        "Omni has no InfraProvider '{id}': it was deleted, or the key came from "
        "`omnictl serviceaccount create` instead of `omnictl infraprovider create`",
        "an Omni admin runs: omnictl infraprovider create {id}; put the printed key into .env "
        "(omni-scale provider setup --create-key does both)",
        'infra provider with name "proxmox" is not registered in the system',
        "provider.md §3, omni.md §3.5",
    ),
    KnownError(
        "omni-endpoint-missing",
        r"omni-api-endpoint flag is not set",
        "provider start",
        "neither --omni-api-endpoint nor OMNI_ENDPOINT is set",
        "set OMNI_ENDPOINT in .env (omni-scale provider setup --omni-endpoint URL)",
        "Error: omni-api-endpoint flag is not set",
        "provider.md §2",
    ),
    KnownError(
        "provider-key-missing",
        r"OMNI_SERVICE_ACCOUNT_KEY variable is not set",
        "provider start",
        "the infra-provider key is missing from the container's environment",
        "put the key printed by `omnictl infraprovider create <id>` into .env "
        "(OMNI_INFRA_PROVIDER_KEY), then omni-scale provider restart",
        "OMNI_SERVICE_ACCOUNT_KEY variable is not set",
        "provider.md §10 (field report)",
    ),
    KnownError(
        "compose-key-unset",
        r"(?P<var>OMNI_INFRA_PROVIDER_KEY\w*)[^\n]*?(?:is missing a value|is not set)",
        "docker compose",
        "{var} (the provider key) is not set in .env",
        "add the key to .env (omni-scale provider setup --key-file FILE, or --create-key)",
        "required variable OMNI_INFRA_PROVIDER_KEY is missing a value",
        "omni-scale compose file",
    ),
    KnownError(
        "config-file-unreadable",
        r'failed to read Proxmox config file "(?P<file>[^"]*)"',
        "provider start",
        "the provider cannot read its --config-file ({file}): wrong path or mount",
        "mount docker/config.yaml read-only at the --config-file path "
        "(omni-scale provider setup writes both)",
        'failed to read Proxmox config file "/config.yaml"',
        "provider.md §10",
    ),
    KnownError(
        "key-from-ui",
        r"gopenpgp: EdDSA verification failure",
        "provider start",
        "the key was generated in the Omni UI or is damaged",
        "mint the key with: omnictl infraprovider create <id>",
        "gopenpgp: EdDSA verification failure",
        "provider.md §10 (field report)",
    ),
    KnownError(
        "omni-tls-unknown-ca",
        r"x509: certificate signed by unknown authority",
        "provider -> Omni, omnictl -> Omni",
        "Omni's TLS certificate is self-signed or from a private CA",
        "use a publicly trusted certificate for Omni, or add --insecure-skip-verify to the "
        "provider command (Omni side only; not config.yaml's insecureSkipVerify)",
        "transport: authentication handshake failed: x509: certificate signed by unknown authority",
        "provider.md §2, P#59",
    ),
    KnownError(
        "omni-endpoint-proxy",
        r'unexpected content-type "text/html"',
        "provider -> Omni",
        "a proxy or a wrong URL answers instead of Omni's gRPC API",
        "point --omni-api-endpoint / OMNI_ENDPOINT at Omni's API URL (the one omnictl uses)",
        '403 (Forbidden); transport: received unexpected content-type "text/html"',
        "provider.md §10, P#32",
    ),
    KnownError(
        "omni-invalid-signature",
        r"code = Unauthenticated desc = invalid signature",
        "omnictl / provider -> Omni",
        "Omni rejected the request signature: an expired omnictl session, a wrong key, or a "
        "clock more than 5 minutes off",
        "log in again (run any omnictl command in a terminal), check the key, sync the clock (NTP)",
        "rpc error: code = Unauthenticated desc = invalid signature",
        "omni.md §3.6",
    ),
    KnownError(
        "omni-provider-name-invalid",
        r"invalid infra provider name: " + _Q + r" is not a valid DNS-1123 label",
        "omnictl infraprovider create",
        "Omni >= v1.10 accepts only lowercase DNS-1123 provider names ('{id}' is not one)",
        "use a lowercase id of letters, digits and '-' (max 63), e.g. proxmox",
        'invalid infra provider name: "Proxmox" is not a valid DNS-1123 label',
        "omni.md §1.3",
    ),
    KnownError(
        "omni-too-old",
        r"this infra provider requires Omni 1\.8 or newer",
        "provider createSchematic",
        "the Omni server is older than this provider release needs",
        "upgrade Omni, or pin an older provider image",
        "this infra provider requires Omni 1.8 or newer, which the server it is connected to "
        "does not appear to be",
        "provider.md §10",
    ),
    KnownError(
        "omnictl-api-mismatch",
        r"client API version mismatch: backend API version",
        "omnictl",
        "omnictl's API version differs from the server's (the wording of every released "
        "omnictl up to v1.10.4)",
        "install the omnictl that matches the server: omni-scale omnictl install",
        "client API version mismatch: backend API version 3, client API version 2",
        "omni.md §0.7",
    ),
    KnownError(
        "omnictl-too-old",
        r"omnictl is too old for this Omni instance",
        "omnictl",
        "the omnictl API version is older than the server's",
        "install the omnictl that matches the server: omni-scale omnictl install",
        "omnictl is too old for this Omni instance, please update omnictl: backend API "
        "version 3, client API version 2",
        "omni.md §5",
    ),
    KnownError(
        "omnictl-too-new",
        r"omnictl is newer than this Omni instance",
        "omnictl",
        "the omnictl API version is newer than the server's",
        "install the omnictl of the server's version: omni-scale omnictl install",
        "omnictl is newer than this Omni instance, please update Omni or use a matching "
        "omnictl: backend API version 2, client API version 3",
        "omni.md §5",
    ),
    # --- MachineClass apply -------------------------------------------------------------
    KnownError(
        "mc-legacy-format",
        r"expected 4 elements node, got \d+",
        "omnictl apply",
        "a Kubernetes-style MachineClass (apiVersion/kind), as in the provider README",
        "use the COSI shape: metadata {namespace, type, id} + spec.autoprovision "
        "(omni-scale machineclass create writes it)",
        "Error: expected 4 elements node, got 8",
        "provider.md §10, omni.md §1.2",
    ),
    KnownError(
        "mc-provider-unknown",
        r"resource InfraProviderStatuses\.omni\.sidero\.dev\(infra-provider/(?P<id>[^@)]*)"
        r"@undefined\) doesn't exist|failed to get provider: ",
        "MachineClass apply",
        "no provider with id '{id}' has ever connected to Omni (or providerid is misspelled)",
        "start the provider with --id={id} (omni-scale provider up), or fix providerid",
        "failed to get provider: resource InfraProviderStatuses.omni.sidero.dev"
        "(infra-provider/proxmox@undefined) doesn't exist",
        "omni.md §1.3",
    ),
    KnownError(
        "mc-providerid-empty",
        r"providerID can not be empty",
        "MachineClass apply",
        "spec.autoprovision.providerid is empty",
        "set providerid to the provider's --id",
        "providerID can not be empty",
        "omni.md §1.3",
    ),
    KnownError(
        "mc-static-provider",
        r"cannot use static provider in the auto-provisioned machine class",
        "MachineClass apply",
        "providerid names a bare-metal (static) provider",
        "use the Proxmox provider's id",
        "cannot use static provider in the auto-provisioned machine class",
        "omni.md §1.3",
    ),
    KnownError(
        "mc-schema",
        r'config value "\.(?P<key>[\w.\[\]]+)": (?P<msg>[^\n]+)',
        "MachineClass apply (Omni >= 1.7)",
        "providerdata fails the provider's published schema at '{key}': {msg}",
        "fix providerdata (omni-scale lint shows the line)",
        'config value ".storage_selector": is required',
        "omni.md §1.3",
    ),
    # --- CEL storage selector (syncVM) ---------------------------------------------------
    KnownError(
        "cel-empty-selector",
        r"Syntax error: mismatched input '<EOF>'",
        "provider syncVM",
        "the storage_selector is empty (or missing, on provider builds before PR #17)",
        'write a selector, e.g. storage_selector: name == "local-lvm"',
        "ERROR: <input>:1:0: Syntax error: mismatched input '<EOF>' expecting {...}",
        "provider.md §10, P#4, P#39",
    ),
    KnownError(
        "cel-not-bool",
        r"expression output type is (?P<type>\S+), expected bool",
        "provider syncVM",
        'the storage_selector evaluates to {type}, not a boolean (e.g. a bare "local-lvm")',
        'compare instead: name == "local-lvm"',
        "expression output type is string, expected bool",
        "provider.md §5, P#77",
    ),
    KnownError(
        "cel-uint-int",
        r"found no matching overload for '_(?P<op>[<>=!]+)_' applied to '\(uint, int\)'",
        "provider syncVM",
        "availableSpace is a uint and is compared with an int literal",
        "write the number as uint: availableSpace > 100u (or uint(100))",
        "found no matching overload for '_>_' applied to '(uint, int)'",
        "provider.md §5",
    ),
    KnownError(
        "cel-type-builtin",
        r"found no matching overload for '_==_' applied to '\(type\(type\), string\)'",
        "provider syncVM",
        "`type` is CEL's built-in type identifier, not the storage type",
        'use storageType == "rbd"',
        "found no matching overload for '_==_' applied to '(type(type), string)'",
        "provider.md §5, §10",
    ),
    KnownError(
        "cel-undeclared",
        r"undeclared reference to '(?P<name>[^']+)'",
        "provider syncVM",
        "the selector uses '{name}'; only name, node, storageType and availableSpace exist, "
        "and it is evaluated once per storage (no list, no filter())",
        'write a per-storage boolean, e.g. storageType == "lvmthin" && '
        "availableSpace > 100u * 1024u * 1024u * 1024u",
        "undeclared reference to 'storage' (in container '')",
        "provider.md §5",
    ),
    # The additional-disk entry comes first: its text carries the primary's inner text too
    # (`failed to pick storage for additional disk 1: failed to pick the disk: no matches …`),
    # and the primary entry must not be blamed for it (placement.md §6).
    KnownError(
        "storage-additional-disk",
        r"failed to pick storage for additional disk (?P<disk>\w+): ?(?P<inner>[^\n]*)",
        "provider syncVM (after scsi0 and the pool)",
        "additional disk {disk} (scsi{disk}, additional_disks[{index}] in providerdata) found "
        "no storage: its storage_selector fails to compile or evaluate, or matches nothing on "
        "the chosen node",
        "fix additional_disks[{index}].storage_selector (omni-scale selector check), and compare "
        "with `pvesh get /nodes/<node>/storage`",
        "failed to pick storage for additional disk 1: failed to pick the disk: no matches for "
        'the condition "name == \\"nvme\\""',
        "placement.md §6",
        shadows=("storage-no-match",),
    ),
    KnownError(
        "storage-no-match",
        r'failed to pick the disk: no matches for the condition "(?P<sel>(?:[^"\\]|\\.)*)"',
        "provider syncVM (scsi0)",
        "no storage on the chosen node matches {sel} (e.g. a storage name that does not exist "
        "there); the cluster stays SCALING_UP",
        "compare with `pvesh get /nodes/<node>/storage`, or try: omni-scale selector check",
        'failed to pick the disk: no matches for the condition "name == \\"fast\\""',
        "provider.md §5, placement.md §6",
    ),
    KnownError(
        "pool-missing",
        r'proxmox pool "(?P<pool>[^"]*)" does not exist',
        "provider syncVM (v0.1.0+, after scsi0)",
        "providerdata names pool '{pool}', which GET /pools does not list: it does not exist, "
        "or (PVE 9) the token lacks Pool.Audit on it",
        "pveum pool add {pool}, and grant Pool.Audit + Pool.Allocate on /pool/{pool}; or drop "
        "`pool` to use the machine request set id (the provider creates that pool)",
        'proxmox pool "talos" does not exist; create it in Proxmox or leave "pool" empty to use '
        "the machine request set id",
        "placement.md §6",
    ),
    KnownError(
        "pool-list-failed",
        r"failed to list proxmox pools: ",
        "provider syncVM (v0.1.0+)",
        "GET /pools failed for the provider's credentials",
        "grant Pool.Audit (omni-scale proxmox check prints the pveum commands)",
        "failed to list proxmox pools: not authorized to access endpoint",
        "placement.md §6",
    ),
    # --- node choice --------------------------------------------------------------------
    KnownError(
        "node-none",
        r"no nodes available",
        "provider pickNode",
        # GET /nodes lists every node to any authenticated caller (pve-manager Nodes.pm index:
        # user => 'all'; Sys.Audit only adds the stats), so an empty list is not a privilege.
        "GET /nodes returned no node; it needs no privilege, so the URL is not a PVE API",
        "check proxmox.url: https://HOST:8006/api2/json of a Proxmox VE node",
        "no nodes available",
        "provider.md §6",
    ),
    KnownError(
        "node-not-found",
        r'specified node "(?P<node>[^"]*)" not found in cluster',
        "provider pickNode",
        "providerdata node '{node}' does not exist",
        "fix node: (names are case-sensitive), or drop it for automatic placement",
        'specified node "pve9" not found in cluster',
        "provider.md §6",
    ),
    KnownError(
        "node-offline",
        r'specified node "(?P<node>[^"]*)" is not online',
        "provider pickNode",
        "providerdata node '{node}' is offline",
        "bring the node back, or change node:",
        'specified node "pve2" is not online (status: offline)',
        "provider.md §6",
    ),
    KnownError(
        "node-none-online",
        r"no online nodes available for provisioning",
        "provider pickNode (v0.1.0+)",
        "every node of GET /nodes is offline (or unknown) for the provider",
        "bring a node back online; check `pvecm status`",
        "no online nodes available for provisioning",
        "placement.md §3",
    ),
    KnownError(
        "placement-strategy-unknown",
        r'unknown placement strategy "(?P<strategy>[^"]*)"',
        "provider pickNode (v0.2.0+)",
        "placement_strategy '{strategy}' is not one the provider knows; the VM is not created",
        "use spread (the default), fewer-vms, round-robin or binpack",
        'unknown placement strategy "fastest"',
        "placement.md §4",
    ),
    KnownError(
        "node-get-failed",
        r'failed to get node "(?P<node>[^"]*)"',
        "provider pickNode (machine request sets)",
        "node '{node}' did not answer GET /nodes/{node}/status: before v0.1.0 every node is "
        "asked, and an offline node's HTTP 595 (`unexpected end of JSON input`) fails every "
        "cluster machine's pick",
        "bring the node back or remove it (pvecm delnode), or upgrade the provider to >= v0.1.0 "
        "(skips offline nodes)",
        'failed to get node "pve2", unexpected end of JSON input',
        "placement.md §3, PR #61",
    ),
    KnownError(
        "node-list-vms-failed",
        r'failed to get vms for (?:now|node) "(?P<node>[^"]*)"',
        "provider pickNode (machine request sets)",
        "listing the VMs of node '{node}' failed (the text says `for now` before v0.2.0, "
        "`for node` from v0.2.0)",
        "check the node and the token's VM.Audit privilege",
        'failed to get vms for node "pve1", ...',
        "provider.md §10, placement.md §3",
    ),
    # --- HA (v0.2.0) ----------------------------------------------------------------------
    KnownError(
        "ha-config-removed",
        r"ha config removed from an HA-registered machine",
        "provider (v0.2.0, HA)",
        "the class lost its `ha:` block while the VM is still an HA resource",
        "re-add ha: to the class, or deprovision the machine",
        "ha config removed from an HA-registered machine; re-add ha: or deprovision it",
        "placement.md §5",
    ),
    KnownError(
        "ha-rule-create-failed",
        r'failed to create HA rule "(?P<rule>[^"]*)"',
        "provider (v0.2.0, HA rules)",
        "creating HA rule '{rule}' failed: the rules API needs Proxmox VE 9, and the token "
        "needs Sys.Console on /",
        "upgrade to PVE 9, or drop node_affinity_nodes/resource_affinity from ha:",
        'failed to create HA rule "omni-demo-workers-naff": ...',
        "placement.md §5",
    ),
    KnownError(
        "ha-rule-add-failed",
        r'failed to add (?P<sid>\S+) to HA rule "(?P<rule>[^"]*)"',
        "provider (v0.2.0, HA rules)",
        "adding {sid} to HA rule '{rule}' failed",
        "check that rule {rule} exists (Datacenter > HA > Rules) on PVE 9",
        'failed to add vm:104 to HA rule "keep-apart": ...',
        "placement.md §5",
    ),
    KnownError(
        "ha-rule-missing",
        r"ha: not found: ",
        "provider (v0.2.0, HA)",
        "an HA rule listed in ha.rules (or an HA resource) does not exist: the provider only "
        "adds VMs to existing rules",
        "create the rule first in Datacenter > HA > Rules (PVE 9), or drop it from ha.rules",
        "ha: not found: no such ha rule 'keep-apart'",
        "placement.md §5",
    ),
    KnownError(
        "ha-rule-conflict",
        r'gave up editing HA rule "(?P<rule>[^"]*)" after',
        "provider (v0.2.0, HA rules)",
        "HA rule '{rule}' kept changing while the provider edited it (digest conflicts)",
        "retry later; avoid editing the rule by hand while machines are created",
        'gave up editing HA rule "keep-apart" after 10 retries: ha: digest conflict',
        "placement.md §5",
    ),
    KnownError(
        "ha-resource-failed",
        r"failed to (?P<action>register|update|deregister) HA resource (?P<sid>\S+?):? ",
        "provider (v0.2.0, HA)",
        "the provider could not {action} {sid} with Proxmox HA",
        "check that HA works on the cluster (ha-manager status) and the token's Sys.Console",
        "failed to register HA resource vm:104: ...",
        "placement.md §5",
    ),
    # --- ISO / VM ----------------------------------------------------------------------
    KnownError(
        "iso-storage-missing",
        r"failed to get storage: ",
        "provider uploadISO",
        "no enabled storage with 'iso' content on the node (visible to the token)",
        "enable exactly one file-based ISO storage on every node (content: iso)",
        "failed to get storage: unable to find the item you are looking for",
        "provider.md §7",
    ),
    KnownError(
        "iso-node-decoding",
        r"cannot unmarshal array into Go value of type proxmox\.Node",
        "provider uploadISO",
        "a response-decoding bug of old go-proxmox during ISO storage discovery",
        "upgrade the provider image",
        "json: cannot unmarshal array into Go value of type proxmox.Node",
        "provider.md §10, P#22",
    ),
    KnownError(
        "proxmox-not-authorized",
        r"not authorized to access endpoint",
        "provider, any step",
        "Proxmox answered 401/403 (the reason is dropped): a missing privilege, or a password "
        "session older than 2 h (never renewed, P#25)",
        "grant the privileges (omni-scale proxmox check), and use an API token instead of a "
        "password",
        "not authorized to access endpoint",
        "provider.md §2, §10, proxmox.md §2",
    ),
    KnownError(
        "proxmox-no-ticket",
        r"\b401 No ticket\b|\bNo ticket\b",
        "Proxmox API",
        "the request carried no credentials: config.yaml has neither tokenID/tokenSecret nor "
        "username/password",
        "set tokenID and tokenSecret in docker/config.yaml (omni-scale provider setup)",
        "401 No ticket",
        "provider.md §2, proxmox.md §5",
    ),
    KnownError(
        "proxmox-auth-failed",
        r"Authentication failed!|invalid token value!|no such token '[^']*' for user"
        r"|token '[^']*' access expired|authentication failure",
        "Proxmox API",
        "Proxmox refused the token or password",
        "check tokenID (user@realm!name) and tokenSecret, or the password and realm",
        "401 Authentication failed!",
        "proxmox.md §5",
    ),
    KnownError(
        "hugepages-root-only",
        r"only root can set 'hugepages' config",
        "provider syncVM",
        "hugepages needs the root@pam identity",
        "drop hugepages from providerdata, or run the provider as root@pam",
        "500 only root can set 'hugepages' config",
        "provider.md §4, §10",
    ),
    KnownError(
        "node-renamed",
        r"hostname lookup '(?P<node>[^']*)' failed",
        "provider deprovision",
        "the node the VM was recorded on ('{node}') was renamed or removed",
        "restore the node name, or remove the stuck machine request by hand",
        "500 hostname lookup 'proxmox' failed - failed to get address info for: proxmox",
        "provider.md §10, P#49",
    ),
    KnownError(
        "nocloud-failed",
        r"failed to inject nocloud config",
        "provider startVM",
        "uploading or attaching the cloud-init ISO failed",
        "grant Datastore.AllocateTemplate and VM.Config.CDROM",
        "failed to inject nocloud config: ...",
        "provider.md §10",
    ),
    KnownError(
        "vm-node-missing",
        r"VM is missing the node information",
        "provider deprovision",
        "the machine request lost the node the VM lives on",
        "delete the VM by hand in Proxmox, then the machine",
        "VM is missing the node information",
        "provider.md §10",
    ),
    KnownError(
        "hostname-conflict",
        r"static hostname is already set in v1alpha1 config",
        "Talos (omnictl machine-logs)",
        "a provider build before 559954c patches the hostname, which conflicts with Talos 1.12 "
        "HostnameConfig",
        "upgrade the provider image (>= v0.1.0); do not add a hostname patch to classes",
        "configuration validation failed: 1 error occurred: * static hostname is already set "
        "in v1alpha1 config",
        "provider.md §10, P#43",
    ),
    KnownError(
        "migrate-local-cdrom",
        r"Cannot migrate with local CD/DVD",
        "Proxmox",
        "the provider leaves the Talos ISO attached",
        "do not live-migrate provider VMs (teardown breaks, P#75)",
        "Cannot migrate with local CD/DVD",
        "provider.md §10",
    ),
    KnownError(
        "machines-read-only",
        r"only read access is permitted",
        "omnictl delete machine",
        "Machines (and other Omni-owned resources) are read-only for users",
        "omnictl delete clustermachine <uuid>",
        "rpc error: code = PermissionDenied desc = only read access is permitted",
        "omni.md §0.9",
    ),
    KnownError(
        "machine-requests-stuck",
        r'users are not allowed to modify "MachineRequestStatuses\.omni\.sidero\.dev"',
        "omnictl",
        "machines are stuck deprovisioning while the provider is offline",
        "start the provider again (omni-scale provider up)",
        'PermissionDenied: users are not allowed to modify "MachineRequestStatuses.omni.sidero'
        '.dev" resources',
        "provider.md §10",
    ),
    KnownError(
        "provider-delete-in-use",
        r"cannot delete the infra provider " + _Q + r", as there are (?P<n>\w+) running machines",
        "omnictl infraprovider delete",
        "{n} machines managed by '{id}' still exist",
        "delete the clusters or machines first",
        'cannot delete the infra provider "proxmox", as there are 2 running machines managed '
        "by it: [...]",
        "provider.md §10",
    ),
    # --- docker -----------------------------------------------------------------------
    KnownError(
        "docker-daemon-down",
        r"Cannot connect to the Docker daemon",
        "docker",
        "the Docker engine is not running, or this user may not use its socket",
        "start Docker (systemctl start docker), or add yourself to the docker group",
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker "
        "daemon running?",
        "docker CLI",
    ),
    KnownError(
        "docker-compose-missing",
        r"unknown (?:shorthand flag|command)[^\n]*compose|'compose' is not a docker command",
        "docker",
        "the Docker Compose plugin is not installed",
        "install docker-compose-plugin (or the standalone docker-compose)",
        "docker: unknown command: docker compose",
        "docker CLI",
    ),
)


def _derived(groups: dict[str, str]) -> dict[str, str]:
    """`disk` is the provider's 1-based additional disk number: `index` is its list index."""
    if groups.get("disk", "").isdigit():
        groups["index"] = str(int(groups["disk"]) - 1)
    return groups


def diagnose(text: str) -> list[Diagnosis]:
    """Every known error in `text`, once each, in the order the table lists them."""
    found: list[Diagnosis] = []
    shadowed: set[str] = set()
    for known in KNOWN_ERRORS:
        if known.id in shadowed:
            continue
        match = known.regex.search(text)
        if match is None:
            continue
        shadowed.update(known.shadows)
        groups = _derived({k: v for k, v in match.groupdict().items() if v is not None})
        fix = known.fix
        if known.fix_invalid_id and not is_dns_label(groups.get("id", "")):
            fix = known.fix_invalid_id
        found.append(
            Diagnosis(
                id=known.id,
                matched=match.group(0),
                where=known.where,
                cause=_fill(known.cause, groups),
                fix=_fill(fix, groups),
                source=known.source,
                groups=groups,
            )
        )
    return found


def diagnose_all(texts: Iterable[str]) -> list[Diagnosis]:
    """Diagnoses over several texts (e.g. log lines), each known error once."""
    seen: dict[str, Diagnosis] = {}
    for text in texts:
        for diagnosis in diagnose(text):
            seen.setdefault(diagnosis.id, diagnosis)
    return list(seen.values())


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def _fill(template: str, groups: dict[str, str]) -> str:
    return template.format_map(_Defaulting(groups))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown() -> str:
    """The table as Markdown, for docs/provider.md and the plugin's troubleshooting page."""
    lines = [
        "| error (substring) | where | cause | fix |",
        "|---|---|---|---|",
    ]
    for known in KNOWN_ERRORS:
        lines.append(
            f"| `{_cell(known.example)}` | {_cell(known.where)} | {_cell(_fill(known.cause, {}))}"
            f" | {_cell(_fill(known.fix, {}))} |"
        )
    return "\n".join(lines) + "\n"
