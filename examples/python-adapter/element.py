"""The NetworkElement of one controller: the contract calls of packages/adapter-sdk/src/element.ts, in Python.

Every call is idempotent by our ids: a repeat finds the object an earlier try made (same external ids, same
attributes) and answers `adopted: true`; an object in the way that is not ours is RESOURCE_CONFLICT and is left
untouched. `ctx.check()` between units of work makes a cancelled call stop early and answer TIMEOUT.
"""

import time

from controller import OURS, name_of
from rpc import AdapterError, RpcError

ISOLATION = ("VLAN", "VXLAN")
SERVICES = ("Connectivity", "Dhcp")
DEFAULT_MTU = 1500
OVERHEAD = {"VLAN": 0, "VXLAN": 50}  # what the encapsulation takes off the physical MTU


def _conflict(resource, name, owner, message):
    return AdapterError("RESOURCE_CONFLICT", message, vendor_code="E_EXISTS",
                        conflict={"resource": resource, "name": name, "owner": owner})


class Element:
    def __init__(self, controller, config, log):
        self.c = controller
        self.latency = config.get("latencyMs", 0) / 1000.0  # simulated controller round trip per call
        self.log = log

    def _call(self, ctx):
        """One round trip to the controller: honours the latency and a cancel before anything changes."""
        ctx.check()
        if self.latency:
            ctx.sleep(self.latency)

    def canHandle(self, ctx, req):
        service, method = req["service"], req["network"]["isolation"]["method"]
        if service not in SERVICES:
            return {"canHandle": False, "reason": "%s is not offered by this controller" % service}
        if method not in ISOLATION:
            return {"canHandle": False, "reason": "isolation %s is not supported (only %s)" % (method, "/".join(ISOLATION))}
        return {"canHandle": True}

    def implementVpc(self, ctx, vpc):
        self._call(ctx)
        name = name_of("vpc", vpc["vpcId"])
        with self.c.lock:
            ctx.check()
            router = self.c.routers.get(name)
            if router is not None:
                if router["owner"] != OURS:
                    raise _conflict("router", name, router["owner"], "router %s already exists" % name)
                return {"adopted": True}
            self.c.routers[name] = {"owner": OURS, "ids": {"netplane:id": vpc["vpcId"]}, "cidr": vpc["cidr"]}
        self.c.changed(vpc["vpcId"])
        return {"adopted": False}

    def destroyVpc(self, ctx, vpc):
        self._call(ctx)
        name = name_of("vpc", vpc["vpcId"])
        with self.c.lock:
            if self.c.routers.get(name, {}).get("owner") != OURS:
                return None  # already gone (or never ours): destroying is a success
            for sw_name, sw in list(self.c.switches.items()):
                if sw["owner"] == OURS and sw["ids"].get("netplane:vpc") == vpc["vpcId"]:
                    self.c.remove_switch(sw_name)
            del self.c.routers[name]
        self.c.changed(vpc["vpcId"])
        return None

    def implementNetwork(self, ctx, net):
        self._call(ctx)
        method, segment_id = net["isolation"]["method"], net["isolation"]["segmentId"]
        if method not in ISOLATION:
            raise AdapterError("INVALID_REQUEST", "isolation %s is not supported" % method)
        if method == "VLAN" and not 1 <= segment_id <= 4094:
            raise AdapterError("INVALID_REQUEST", "VLAN id %d is outside 1-4094" % segment_id)
        name, segment = name_of("net", net["networkId"]), "%s:%d" % (method.lower(), segment_id)
        uri = "%s://%d" % (method.lower(), segment_id)
        with self.c.lock:
            ctx.check()
            sw = self.c.switches.get(name)
            if sw is not None and sw["owner"] != OURS:
                raise _conflict("switch", name, sw["owner"], "switch %s already exists" % name)
            holder = self.c.segments.get(segment)
            if holder is not None and holder != name:
                owner = self.c.switches.get(holder, {}).get("owner", "unknown")
                raise _conflict("segment", segment, owner, "%s is already used by switch %s" % (segment, holder))
            if sw is not None:
                if sw["cidr"] != net["cidr"] or sw["broadcastUri"] != uri:
                    raise _conflict("switch", name, OURS, "switch %s exists with other settings" % name)
                adopted = True
            else:
                self.c.switches[name] = {"owner": OURS, "cidr": net["cidr"], "gateway": net["gateway"],
                                         "segment": segment, "broadcastUri": uri,
                                         "ids": {"netplane:id": net["networkId"], "netplane:vpc": net["vpcId"]}}
                self.c.segments[segment] = name
                adopted = False
            if "Dhcp" in net.get("services", []):
                dhcp = net.get("dhcp") or {}
                mtu = dhcp.get("physicalMtu", DEFAULT_MTU) - OVERHEAD[method]
                self.c.dhcp[name] = {"cidr": net["cidr"], "router": net["gateway"], "mtu": str(mtu),
                                     "dns": ",".join(dhcp.get("dnsServers", []))}
        if not adopted:
            self.c.changed(net["vpcId"])
        return {"broadcastUri": uri, "adopted": adopted}

    def _prepare(self, ctx, nic):
        name = name_of("port", nic["nicId"])
        switch = name_of("net", nic["networkId"])
        with self.c.lock:
            ctx.check()
            sw = self.c.switches.get(switch)
            if sw is None or sw["owner"] != OURS:
                raise AdapterError("INVALID_REQUEST", "network %s is not implemented" % nic["networkId"])
            port = self.c.ports.get(name)
            if port is not None:
                if port["owner"] != OURS or port["mac"] != nic["mac"] or port["ip"] != nic["ip"]:
                    raise _conflict("port", name, port["owner"],
                                    "port %s exists with MAC %s / IP %s" % (name, port["mac"], port["ip"]))
                return {"nicId": nic["nicId"], "adopted": True}
            self.c.ports[name] = {"owner": OURS, "mac": nic["mac"], "ip": nic["ip"], "vm": nic["vmName"],
                                  "switch": switch, "ids": {"netplane:id": nic["nicId"], "netplane:vpc": nic["vpcId"]}}
        self.c.changed(nic["vpcId"])
        return {"nicId": nic["nicId"], "adopted": False}

    def prepareNic(self, ctx, nic):
        self._call(ctx)
        return self._prepare(ctx, nic)

    def prepareNics(self, ctx, nics):
        """One round trip for the whole batch, one outcome per NIC: a NIC that fails does not fail the others."""
        self._call(ctx)
        results = []
        for nic in nics:
            ctx.check()  # a cancel stops the batch: the host has already given up on its answer
            try:
                results.append({"nicId": nic["nicId"], "ok": True, "result": self._prepare(ctx, nic)})
            except AdapterError as e:
                if e.category == "TIMEOUT":
                    raise
                results.append({"nicId": nic["nicId"], "ok": False, "error": e.to_data()})
        return results

    def releaseNic(self, ctx, nic):
        self._call(ctx)
        with self.c.lock:
            port = self.c.ports.get(name_of("port", nic["nicId"]))
            if port is not None and port["owner"] == OURS:
                del self.c.ports[name_of("port", nic["nicId"])]
        self.c.changed(nic["vpcId"])
        return None  # a NIC the controller does not know is already released

    def shutdownNetwork(self, ctx, net):
        """Frees the tier's ports; the switch stays until destroyNetwork."""
        self._call(ctx)
        switch = name_of("net", net["networkId"])
        with self.c.lock:
            for port_name in [p for p, port in self.c.ports.items() if port["switch"] == switch and port["owner"] == OURS]:
                del self.c.ports[port_name]
        self.c.changed(net["vpcId"])
        return None

    def destroyNetwork(self, ctx, net):
        self._call(ctx)
        name = name_of("net", net["networkId"])
        with self.c.lock:
            if self.c.switches.get(name, {}).get("owner") == OURS:
                self.c.remove_switch(name)
        self.c.changed(net["vpcId"])
        return None

    def observe(self, ctx, scope):
        """What the controller holds, named by our ids (read back from external ids), in the scope asked."""
        self._call(ctx)
        vpc_id, network_ids = scope.get("vpcId"), scope.get("networkIds")
        out = []
        with self.c.lock:
            if vpc_id is not None and network_ids is None:
                router = self.c.routers.get(name_of("vpc", vpc_id))
                if router is not None and router["owner"] == OURS:
                    out.append({"kind": "vpc", "id": vpc_id, "name": name_of("vpc", vpc_id),
                                "attributes": {"cidr": router["cidr"]}})
            for sw_name, sw in sorted(self.c.switches.items()):
                if sw["owner"] != OURS:
                    continue
                net_id, net_vpc = sw["ids"]["netplane:id"], sw["ids"]["netplane:vpc"]
                if (vpc_id is not None and net_vpc != vpc_id) or (network_ids is not None and net_id not in network_ids):
                    continue
                out.append({"kind": "network", "id": net_id, "name": sw_name,
                            "attributes": {"cidr": sw["cidr"], "gateway": sw["gateway"], "segment": sw["broadcastUri"]}})
                if sw_name in self.c.dhcp:
                    out.append({"kind": "dhcp", "id": net_id, "name": sw_name, "attributes": dict(self.c.dhcp[sw_name])})
                for port_name, port in sorted(self.c.ports.items()):
                    if port["switch"] == sw_name and port["owner"] == OURS:
                        out.append({"kind": "nic", "id": port["ids"]["netplane:id"], "name": port_name,
                                    "attributes": {"mac": port["mac"], "ip": port["ip"], "vmName": port["vm"]}})
        return {"resources": out}

    def healthCheck(self, ctx):
        started = time.monotonic()
        self._call(ctx)
        return {"ok": True, "latencyMs": round((time.monotonic() - started) * 1000, 3)}


# The element.<method> requests this element answers; `args` is the method's positional list (without the context).
CONTRACT = {
    "canHandle": 1, "implementVpc": 1, "destroyVpc": 1, "implementNetwork": 1, "prepareNic": 1, "prepareNics": 1,
    "releaseNic": 1, "shutdownNetwork": 1, "destroyNetwork": 1, "observe": 1, "healthCheck": 0,
}


def call(element, method, args, ctx):
    arity = CONTRACT.get(method)
    if arity is None:
        raise RpcError(-32601, "method element.%s not found" % method)
    if not isinstance(args, list) or len(args) < arity or any(not isinstance(a, (dict, list)) for a in args[:arity]):
        raise RpcError(-32602, "element.%s takes %d argument(s)" % (method, arity))
    try:
        return getattr(element, method)(ctx, *args[:arity])
    except (KeyError, TypeError) as e:  # a spec missing a field: the caller's mistake, said without values
        raise AdapterError("INVALID_REQUEST", "element.%s: malformed argument (%s)" % (method, type(e).__name__))
