"""Checks Standard Webhooks signatures independently of the server's code.

Reads a JSON array of {"secret", "id", "timestamp", "body", "signature"}
on stdin (secret as "whsec_" + base64 key, signature header as sent) and
prints "valid N", or "invalid <id>" and exits 1. Used by tests/api/webhooks.rs.
"""
import base64
import hashlib
import hmac
import json
import sys

cases = json.load(sys.stdin)
for case in cases:
    key = base64.b64decode(case["secret"].removeprefix("whsec_"))
    signed = f'{case["id"]}.{case["timestamp"]}.{case["body"]}'.encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1)[1] for s in case["signature"].split(" ") if s.startswith("v1,")]
    if not any(hmac.compare_digest(expected, sig) for sig in offered):
        print("invalid", case["id"])
        sys.exit(1)
print("valid", len(cases))
