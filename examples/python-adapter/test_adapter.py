"""Unit tests of the reference adapter: the real process over its real pipes (python3 -m unittest, in this folder).

They play the host's side of docs/adapter-protocol.md; the conformance kit (`netplane adapter test`) covers the
contract through the TypeScript runtime. Foreign objects are planted in-process, behind the element's back.
"""

import json
import os
import queue
import subprocess
import sys
import threading
import unittest
import uuid

from controller import Controller
from element import Element
from rpc import AdapterError, CallContext

HERE = os.path.dirname(os.path.abspath(__file__))
DEADLINE_S = 30  # only decides when a failing test gives up


class Host:
    """A minimal host: starts adapter.py, sends requests, collects answers and notifications by a reader thread."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "adapter.py"], cwd=HERE, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.answers, self.notes, self.next_id = {}, queue.Queue(), 0
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            msg = json.loads(line)
            if "id" in msg:
                with self.cond:
                    self.answers[msg["id"]] = msg
                    self.cond.notify_all()
            else:
                self.notes.put(msg)

    def send(self, method, params=None, notify=False):
        msg = {"jsonrpc": "2.0", "method": method, "params": params or {}}
        if not notify:
            self.next_id += 1
            msg["id"] = self.next_id
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()
        return msg.get("id")

    def wait(self, req_id):
        with self.cond:
            if not self.cond.wait_for(lambda: req_id in self.answers, DEADLINE_S):
                raise AssertionError("no answer to request %d" % req_id)
            return self.answers.pop(req_id)

    def request(self, method, params=None):
        return self.wait(self.send(method, params))

    def call(self, method, *args, **params):
        answer = self.request("element." + method, dict(element="e1", args=list(args), idempotencyKey="k", **params))
        if "error" in answer:
            raise AssertionError("error: %r" % answer["error"])
        return answer["result"]

    def close(self):
        self.proc.stdin.close()
        code = self.proc.wait(DEADLINE_S)
        self.reader.join(DEADLINE_S)  # the adapter exited: its stdout is at EOF
        self.proc.stdout.close()
        return code


def specs(segment=120):
    vpc = {"vpcId": str(uuid.uuid4()), "name": "v", "cidr": "10.0.0.0/16"}
    net = {"vpcId": vpc["vpcId"], "networkId": str(uuid.uuid4()), "name": "web", "cidr": "10.0.1.0/24",
           "gateway": "10.0.1.1", "isolation": {"method": "VLAN", "segmentId": segment},
           "services": ["Connectivity", "Dhcp"]}
    nics = [{"nicId": str(uuid.uuid4()), "networkId": net["networkId"], "vpcId": vpc["vpcId"],
             "mac": "02:00:00:00:00:%02x" % i, "ip": "10.0.1.%d" % (10 + i), "vmName": "vm-%d" % i}
            for i in range(3)]
    return vpc, net, nics


class ProtocolTest(unittest.TestCase):
    def setUp(self):
        self.host = Host()

    def tearDown(self):
        if self.host.proc.poll() is None:
            self.host.close()

    def open(self, config=None):
        self.assertIn("result", self.host.request("initialize", {"protocolVersions": [1]}))
        conn = {"controllerId": "c1", "endpoint": "memory://" + str(uuid.uuid4()),
                "credentials": {"token": "s3cret"}, "config": config or {}}
        return self.host.request("element.open", {"element": "e1", "connection": conn})

    def test_refuses_requests_before_initialize_and_unknown_versions(self):
        self.assertEqual(self.host.request("health")["error"]["code"], -32002)
        answer = self.host.request("initialize", {"protocolVersions": [7]})
        self.assertEqual(answer["error"]["code"], -32001)
        self.assertEqual(answer["error"]["data"], {"supported": [1]})

    def test_handshake_gives_the_manifest_as_data(self):
        result = self.host.request("initialize", {"protocolVersions": [2, 1]})["result"]
        self.assertEqual(result["protocolVersion"], 1)
        self.assertEqual(result["sdkRange"], "^1.0.0")
        self.assertEqual(set(result["manifest"]["services"]), {"Connectivity", "Dhcp"})
        self.assertTrue(result["manifest"]["credentialSchema"]["properties"]["token"]["writeOnly"])

    def test_unknown_element_and_a_factory_failure(self):
        self.open()
        self.assertEqual(self.host.request("element.observe", {"element": "nope", "args": [{}]})["error"]["code"], -32003)
        answer = self.host.request("element.open", {"element": "e2", "connection": {"credentials": {}}})
        self.assertEqual(answer["error"]["code"], -32000)
        self.assertEqual(answer["error"]["data"]["category"], "AUTH_FAILED")

    def test_idempotent_calls_adopt_and_batches_answer_per_nic(self):
        self.open()
        vpc, net, nics = specs()
        self.assertEqual(self.host.call("implementVpc", vpc), {"adopted": False})
        self.assertEqual(self.host.call("implementVpc", vpc), {"adopted": True})
        self.assertEqual(self.host.call("implementNetwork", net), {"broadcastUri": "vlan://120", "adopted": False})
        self.assertTrue(self.host.call("implementNetwork", net)["adopted"])
        self.host.call("prepareNic", nics[0])
        batch = [nics[1], dict(nics[0], mac="02:ff:ff:ff:ff:01"), nics[2]]
        outcomes = self.host.call("prepareNics", batch)
        self.assertEqual([o["ok"] for o in outcomes], [True, False, True])
        self.assertEqual(outcomes[1]["error"]["category"], "RESOURCE_CONFLICT")
        observed = self.host.call("observe", {"networkIds": [net["networkId"]]})["resources"]
        self.assertEqual(sorted(r["id"] for r in observed if r["kind"] == "nic"), sorted(n["nicId"] for n in nics))
        self.assertIn("dhcp", [r["kind"] for r in observed])

    def test_a_cancel_stops_a_running_call_with_timeout(self):
        self.open({"latencyMs": 20000})
        vpc, _, _ = specs()
        req = self.host.send("element.implementVpc", {"element": "e1", "args": [vpc], "idempotencyKey": "k"})
        self.host.send("$/cancelRequest", {"id": req}, notify=True)
        answer = self.host.wait(req)  # well before the 20 s latency: the cancel ended the wait
        self.assertEqual(answer["error"]["data"]["category"], "TIMEOUT")
        self.assertTrue(answer["error"]["data"]["retryable"])

    def test_watch_pushes_changed_vpcs_and_logs_are_notifications(self):
        self.open()
        self.host.request("element.watch", {"element": "e1"})
        vpc, _, _ = specs()
        self.host.call("implementVpc", vpc)
        notes = []
        while not any(n["method"] == "element.changed" for n in notes):
            notes.append(self.host.notes.get(timeout=DEADLINE_S))
        self.assertIn({"element": "e1", "vpcIds": [vpc["vpcId"]]}, [n["params"] for n in notes])
        self.assertTrue(any(n["method"] == "log" for n in notes))
        self.assertNotIn("s3cret", json.dumps(notes))

    def test_garbage_is_answered_and_stdin_closing_exits_zero(self):
        self.host.proc.stdin.write("not json\n")
        self.host.proc.stdin.flush()
        self.assertEqual(self.host.wait(None)["error"]["code"], -32700)
        self.open()
        self.assertIsNone(self.host.request("shutdown")["result"])
        self.assertEqual(self.host.close(), 0)


class ForeignObjectsTest(unittest.TestCase):
    """Behind the element's back, as a real controller's operator would."""

    def test_a_foreign_switch_in_the_way_is_a_conflict_and_stays(self):
        c = Controller()
        el = Element(c, {}, lambda *a, **k: None)
        ctx = CallContext("k", 10000)
        vpc, net, _ = specs(segment=300)
        el.implementVpc(ctx, vpc)
        c.plant_foreign_switch("ops-switch", "vlan:300")
        with self.assertRaises(AdapterError) as raised:
            el.implementNetwork(ctx, net)
        self.assertEqual(raised.exception.category, "RESOURCE_CONFLICT")
        self.assertEqual(raised.exception.conflict["owner"], "ops")
        self.assertEqual(c.switches["ops-switch"]["owner"], "ops")
        self.assertEqual([r for r in el.observe(ctx, {"vpcId": vpc["vpcId"]})["resources"] if r["kind"] == "network"], [])


if __name__ == "__main__":
    unittest.main()
