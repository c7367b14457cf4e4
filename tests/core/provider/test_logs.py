"""Provider log lines in every form users meet them: zap JSON, `Error:`, pasted viewer text."""

from __future__ import annotations

import datetime as dt

from omni_scale.core.diagnosis import diagnose
from omni_scale.core.provider.logs import entry_text, parse_line, parse_logfmt, parse_text

# The real line of siderolabs/omni-infra-provider-proxmox#39.
REAL_JSON = (
    '{"level":"error","ts":1768288274.96,"caller":"qruntime/qruntime.go:295","msg":"reconcile '
    'failed","controller":"proxmox.ProvisionController","namespace":"infra-provider","type":'
    '"MachineRequests.omni.sidero.dev","id":"Carmarthen-Prod-workers-zf9qfl","job":"reconcile",'
    '"error":"ERROR: <input>:1:0: Syntax error: mismatched input \'<EOF>\' expecting {","interval"'
    ':60,"busy":0.748,"requeued":true,"stacktrace":"..."}'
)


def test_zap_json_line() -> None:
    entry = parse_line(REAL_JSON)
    assert entry is not None
    assert entry.form == "json"
    assert entry.level == "error"
    assert entry.message == "reconcile failed"
    assert entry.request_id == "Carmarthen-Prod-workers-zf9qfl"
    assert entry.time == dt.datetime(2026, 1, 13, 7, 11, 14, 960000, tzinfo=dt.UTC)
    assert entry.error is not None and entry.error.startswith("ERROR: <input>:1:0")
    assert entry.is_error
    assert [d.id for d in diagnose(entry_text(entry))] == ["cel-empty-selector"]


def test_provision_step_line_uses_request_id_and_step() -> None:
    line = (
        '{"level":"error","ts":1768288000,"msg":"machine provision failed","request_id":'
        '"talos-default-workers-dszshz","step":"syncVM","error":"failed to pick the disk: no '
        'matches for the condition \\"name == \\\\\\"fast\\\\\\"\\""}'
    )
    entry = parse_line(line)
    assert entry is not None
    assert (entry.request_id, entry.step) == ("talos-default-workers-dszshz", "syncVM")
    assert [d.id for d in diagnose(entry_text(entry))] == ["storage-no-match"]


def test_compose_prefix_and_timestamp_are_stripped() -> None:
    line = (
        "provider-proxmox-1  | 2026-01-13T07:11:14.123456789Z "
        '{"level":"info","ts":1768288274.5,"msg":"starting infra provider"}'
    )
    entry = parse_line(line)
    assert entry is not None
    assert entry.service == "provider-proxmox-1"
    assert entry.form == "json"
    assert entry.message == "starting infra provider"
    assert entry.level == "info"


def test_cobra_error_line() -> None:
    entry = parse_line(
        'provider-proxmox-1  | Error: resource ID must match the infra provider ID "Proxmox"'
    )
    assert entry is not None
    assert entry.form == "cli-error"
    assert entry.level == "error"
    assert entry.message.startswith("resource ID must match")
    assert diagnose(entry_text(entry))[0].id == "provider-id-mismatch"


def test_log_viewer_rendering() -> None:
    line = (
        "ERR qruntime/qruntime.go:295 > ts=1768288274.96 msg=reconcile failed "
        "controller=proxmox.ProvisionController id=x-workers-abcdef "
        "error=expression output type is string, expected bool step=syncVM"
    )
    entry = parse_line(line)
    assert entry is not None
    assert entry.form == "viewer"
    assert entry.level == "error"
    assert entry.caller == "qruntime/qruntime.go:295"
    assert entry.message == "reconcile failed"
    assert entry.error == "expression output type is string, expected bool"
    assert entry.step == "syncVM"
    assert entry.request_id == "x-workers-abcdef"
    assert entry.time is not None


def test_bare_key_value_paste() -> None:
    entry = parse_line("error=not authorized to access endpoint step=syncVM")
    assert entry is not None
    assert entry.level == "error"
    assert entry.step == "syncVM"
    assert entry.error == "not authorized to access endpoint"


def test_logfmt_quoted_values() -> None:
    assert parse_logfmt('msg="a b" level=info') == {"msg": "a b", "level": "info"}


def test_plain_text_is_kept_and_blank_lines_dropped() -> None:
    entries = parse_text("hello\n\n  \nsomething failed badly\n")
    assert [e.message for e in entries] == ["hello", "something failed badly"]
    assert [e.level for e in entries] == ["info", "error"]
    assert [e.form for e in entries] == ["text", "text"]


def test_broken_json_stays_text() -> None:
    entry = parse_line('{"level":"error", broken')
    assert entry is not None
    assert entry.form == "text"


def test_to_json_shape() -> None:
    entry = parse_line(REAL_JSON)
    assert entry is not None
    data = entry.to_json()
    assert data["time"] == "2026-01-13T07:11:14.960000Z"
    assert set(data) == {
        "time",
        "level",
        "service",
        "request_id",
        "step",
        "message",
        "error",
        "caller",
        "form",
    }
