"""The httpx client against fakepve (TLS with its CA) and, for wire details fakepve lacks, against
our loopback stand-in (tests/fakes/pve_standin.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from fakes.fixtures_pve import TOKEN_ID, TOKEN_SECRET
from fakes.pve_standin import Reply, StandIn
from omni_scale.adapters.proxmox.client import (
    ProxmoxApiError,
    ProxmoxClient,
    ProxmoxUnreachable,
)
from omni_scale.core.provider.config import ProxmoxConfig


def token_config(url: str, **kw: Any) -> ProxmoxConfig:
    return ProxmoxConfig(url=url, token_id=TOKEN_ID, token_secret=TOKEN_SECRET, **kw)


def call(config: ProxmoxConfig, method: str, path: str, **kw: Any) -> Any:
    ca_file = kw.pop("ca_file", None)
    client_kw = {k: kw.pop(k) for k in ("timeout", "retry_delays") if k in kw}

    async def go() -> Any:
        async with ProxmoxClient(config, ca_file=ca_file, **client_kw) as pve:
            return await pve.request(method, path, **kw)

    return asyncio.run(go())


# ------------------------------------------------------------------------------- fakepve


def test_token_auth_over_verified_tls(fakepve: Any, fakepve_cafile: str) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    data = call(token_config(fakepve.url + "/api2/json"), "GET", "/version", ca_file=fakepve_cafile)
    assert data["version"] == fakepve.version


def test_system_trust_store_honours_ssl_cert_file(
    fakepve: Any, fakepve_cafile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    assert call(token_config(fakepve.url + "/api2/json"), "GET", "/nodes")[0]["node"] == "pve1"


def test_unknown_ca_is_refused(fakepve: Any, tmp_path: Path) -> None:
    other = trustme.CA()
    ca_file = tmp_path / "other-ca.pem"
    other.cert_pem.write_to_path(str(ca_file))
    with pytest.raises(ProxmoxUnreachable) as info:
        call(token_config(fakepve.url + "/api2/json"), "GET", "/version", ca_file=str(ca_file))
    assert "CERTIFICATE_VERIFY_FAILED" in info.value.message
    assert info.value.exit_code == 3 and "not trusted" in (info.value.hint or "")


def test_insecure_skip_verify_works_and_warns(fakepve: Any) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    warnings: list[str] = []
    config = token_config(fakepve.url + "/api2/json", insecure_skip_verify=True)

    async def go() -> Any:
        async with ProxmoxClient(config, warn=warnings.append) as pve:
            return await pve.get("/version")

    assert asyncio.run(go())["version"]
    assert warnings and "TLS verification" in warnings[0] and "OFF" in warnings[0]


def test_bad_token_keeps_reason_and_never_shows_the_secret(
    fakepve: Any, fakepve_cafile: str
) -> None:
    fakepve.apitokens[TOKEN_ID] = "the-real-one"
    with pytest.raises(ProxmoxApiError) as info:
        call(token_config(fakepve.url + "/api2/json"), "GET", "/nodes", ca_file=fakepve_cafile)
    error = info.value
    assert (error.status, error.reason) == (401, "authentication failure")
    assert error.exit_code == 3 and error.refused
    text = error.one_line() + repr(error.to_json())
    assert TOKEN_SECRET not in text and "the-real-one" not in text


def test_permission_error_keeps_pve_reason_phrase(fakepve: Any, fakepve_cafile: str) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.add_vm(104, "talos-x", node="pve1")
    fakepve.grant(TOKEN_ID, "/nodes", "Sys.Audit")
    with pytest.raises(ProxmoxApiError) as info:
        call(
            token_config(fakepve.url + "/api2/json"),
            "GET",
            "/nodes/pve1/qemu/104/status/current",
            ca_file=fakepve_cafile,
        )
    assert info.value.status == 403
    assert info.value.reason == "Permission check failed (/vms/104, VM.Audit)"
    assert "Permission check failed (/vms/104, VM.Audit)" in info.value.one_line()
    assert info.value.exit_code == 1


def test_password_login_ticket_cookie_and_csrf_on_writes(fakepve: Any, fakepve_cafile: str) -> None:
    config = ProxmoxConfig(
        url=fakepve.url + "/api2/json", username="root", password="secret", realm="pam"
    )

    async def go() -> Any:
        async with ProxmoxClient(config, ca_file=fakepve_cafile) as pve:
            assert pve.ticket_user == "root@pam"
            await pve.get("/version")
            # a write: fakepve refuses it without the CSRF header of the ticket
            return await pve.post("/pools", {"poolid": "omni"})

    asyncio.run(go())
    posted = [r for r in fakepve.requests if r[0] == "POST"]
    assert [p[1] for p in posted] == ["/api2/json/access/ticket", "/api2/json/pools"]
    assert b"secret" not in posted[0][2]  # fakepve records the login body redacted


def test_wrong_password_is_refused(fakepve: Any, fakepve_cafile: str) -> None:
    config = ProxmoxConfig(
        url=fakepve.url + "/api2/json", username="root", password="wrong-pass", realm="pam"
    )
    with pytest.raises(ProxmoxApiError) as info:
        call(config, "GET", "/version", ca_file=fakepve_cafile)
    assert info.value.status == 401 and "authentication failure" in info.value.message
    assert "wrong-pass" not in info.value.one_line()


def test_offline_node_595_is_retried_then_reported(fakepve: Any, fakepve_cafile: str) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.add_node("pve3", online=False)
    with pytest.raises(ProxmoxApiError) as info:
        call(
            token_config(fakepve.url + "/api2/json"),
            "GET",
            "/nodes/pve3/storage",
            ca_file=fakepve_cafile,
            retry_delays=(0.01, 0.01),
        )
    assert (info.value.status, info.value.reason) == (595, "No route to host")
    hits = [r for r in fakepve.requests if r[1].endswith("/nodes/pve3/storage")]
    assert len(hits) == 3  # one try, two retries


# ------------------------------------------------------------------------------- stand-in


def test_401_with_reason_phrase_only_and_no_body(standin: StandIn) -> None:
    standin.routes["GET /version"] = Reply(401, "invalid token value!", None)
    with pytest.raises(ProxmoxApiError) as info:
        call(token_config(standin.url), "GET", "/version")
    assert info.value.reason == "invalid token value!" and info.value.status == 401
    assert standin.hits["GET /version"] == 1  # a 401 is never retried


def test_token_header_format(standin: StandIn) -> None:
    standin.routes["GET /version"] = Reply.data({"version": "8.4.1"})
    call(token_config(standin.url), "GET", "/version")
    assert standin.headers[0]["Authorization"] == f"PVEAPIToken={TOKEN_ID}={TOKEN_SECRET}"


def test_595_with_empty_body_then_success_is_retried(standin: StandIn) -> None:
    standin.routes["GET /nodes/pve2/storage"] = [
        Reply(595, "Connection refused", b""),
        Reply.data([{"storage": "local"}]),
    ]
    data = call(token_config(standin.url), "GET", "/nodes/pve2/storage", retry_delays=(0.01,))
    assert data == [{"storage": "local"}] and standin.hits["GET /nodes/pve2/storage"] == 2


@pytest.mark.parametrize("status", [500, 403, 400])
def test_non_transient_errors_are_not_retried(standin: StandIn, status: int) -> None:
    body = b'{"data":null,"errors":{"vmid":"VM 200 already exists"}}' if status == 400 else None
    standin.routes["GET /x"] = Reply(status, "boom", body)
    with pytest.raises(ProxmoxApiError) as info:
        call(token_config(standin.url), "GET", "/x", retry_delays=(0.01, 0.01))
    assert standin.hits["GET /x"] == 1
    if status == 400:
        assert "vmid: VM 200 already exists" in info.value.message


def test_writes_are_never_retried(standin: StandIn) -> None:
    standin.routes["POST /nodes/pve1/qemu"] = Reply(503, "Service Unavailable", b"")
    with pytest.raises(ProxmoxApiError):
        call(token_config(standin.url), "POST", "/nodes/pve1/qemu", json={"vmid": 1})
    assert standin.hits["POST /nodes/pve1/qemu"] == 1


def test_timeout_is_explicit(standin: StandIn) -> None:
    standin.routes["GET /slow"] = Reply.data(1, delay=1.0)
    with pytest.raises(ProxmoxUnreachable, match="timed out"):
        call(
            token_config(standin.url),
            "GET",
            "/slow",
            timeout=httpx.Timeout(0.2),
            retry_delays=(),
        )


def test_connection_refused_is_unreachable(standin: StandIn) -> None:
    url = standin.url
    standin.stop()
    with pytest.raises(ProxmoxUnreachable) as info:
        call(token_config(url), "GET", "/version", retry_delays=(0.01,))
    assert info.value.exit_code == 3 and TOKEN_SECRET not in info.value.one_line()


def test_proxy_variables_ignored_for_loopback(
    standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    standin.routes["GET /version"] = Reply.data({"version": "8.4.1"})
    assert call(token_config(standin.url), "GET", "/version") == {"version": "8.4.1"}


def test_html_answer_means_wrong_url(standin: StandIn) -> None:
    standin.routes["GET /version"] = Reply(200, "OK", b"<html>pveproxy</html>")
    with pytest.raises(ProxmoxApiError, match="api2/json"):
        call(token_config(standin.url), "GET", "/version")


def test_concurrency_is_limited(standin: StandIn) -> None:
    standin.routes["GET /n"] = Reply.data(1, delay=0.05)
    config = token_config(standin.url)

    async def go() -> float:
        loop = asyncio.get_running_loop()
        async with ProxmoxClient(config, concurrency=2) as pve:
            start = loop.time()
            await asyncio.gather(*(pve.get("/n") for _ in range(6)))
            return loop.time() - start

    elapsed = asyncio.run(go())
    assert elapsed >= 0.14  # 6 requests, 2 at a time, 50 ms each: at least 3 rounds
