#!/usr/bin/env python3
"""Netplane reference adapter in Python (standard library only): the wire protocol v1 over stdin/stdout.

Run by the server as the package's `netplane.command` (`python3 adapter.py`); see README.md. This file only routes
requests: rpc.py frames JSON-RPC, element.py implements the contract, controller.py is the in-memory controller.
"""

import sys

from controller import controller_for
from element import Element, call
from manifest import MANIFEST, SDK_RANGE
from rpc import AdapterError, RpcError, Server, UNKNOWN_ELEMENT, UNSUPPORTED_PROTOCOL

PROTOCOL_VERSION = 1


class Adapter:
    def __init__(self):
        self.server = Server(self.dispatch)
        self.elements = {}  # element id (the host's) -> (Element, its watch listener or None)

    def dispatch(self, method, params, ctx):
        if method == "initialize":
            return self.initialize(params)
        if method == "health":
            return {"ok": True}
        if method == "shutdown":
            return None  # nothing to flush: the host closes stdin next and we exit
        if method == "element.open":
            return self.open(params)
        element_id = params.get("element")
        if element_id not in self.elements:
            raise RpcError(UNKNOWN_ELEMENT, "unknown element %r" % (element_id,))
        element, _ = self.elements[element_id]
        if method == "element.close":
            self.unwatch(element_id)
            del self.elements[element_id]
            return None
        if method == "element.watch":
            return self.watch(element_id)
        if method == "element.unwatch":
            return self.unwatch(element_id)
        if method.startswith("element."):
            return call(element, method[len("element."):], params.get("args", []), ctx)
        raise RpcError(-32601, "method %s not found" % method)

    def initialize(self, params):
        if PROTOCOL_VERSION not in params.get("protocolVersions", []):
            raise RpcError(UNSUPPORTED_PROTOCOL, "UnsupportedProtocolVersion", {"supported": [PROTOCOL_VERSION]})
        self.server.initialized = True
        host = params.get("host", {})
        self.server.log("info", "python adapter ready", host=host.get("name"), hostVersion=host.get("version"))
        return {"protocolVersion": PROTOCOL_VERSION, "manifest": MANIFEST, "sdkRange": SDK_RANGE}

    def open(self, params):
        """The factory: one element per controller. Credentials arrive here, and only here; never logged."""
        conn = params.get("connection", {})
        if not conn.get("credentials", {}).get("token"):
            raise AdapterError("AUTH_FAILED", "the controller needs a token")
        endpoint = conn.get("endpoint") or "memory://default"  # any name: one in-memory controller per endpoint
        element_id = params["element"]

        def log(level, msg, **fields):
            self.server.log(level, msg, element=element_id, **fields)

        element = Element(controller_for(endpoint), conn.get("config") or {}, log)
        self.elements[element_id] = (element, None)
        log("debug", "element opened", endpoint=endpoint)
        return {"methods": [], "watch": True}  # no optional contract method; drift is pushed by watch

    def watch(self, element_id):
        element, listener = self.elements[element_id]
        if listener is None:
            def listener(vpc_ids):
                self.server.notify("element.changed", {"element": element_id, "vpcIds": vpc_ids})
            element.c.listeners.append(listener)
            self.elements[element_id] = (element, listener)
        return None

    def unwatch(self, element_id):
        element, listener = self.elements[element_id]
        if listener is not None:
            element.c.listeners.remove(listener)
            self.elements[element_id] = (element, None)
        return None


if __name__ == "__main__":
    Adapter().server.serve_forever()
    sys.exit(0)
