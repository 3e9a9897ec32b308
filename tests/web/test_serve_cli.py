def test_refuses_non_loopback_without_token(cli):
    r = cli("serve", "--host", "0.0.0.0", "--port", "8999", env={"CLUSTERLEVERS_TOKEN": ""})
    assert r.code == 2 and "refusing to bind 0.0.0.0" in r.err and "CLUSTERLEVERS_TOKEN" in r.err
    assert "Traceback" not in r.err


def test_loopback_detection():
    from clusterlevers.web.security import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.3.2.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")
