"""An in-memory SDN controller: routers, switches, ports, DHCP options and a segment (VLAN/VNI) table.

It plays the vendor's side. Like a real controller it knows nothing of Netplane: every object has a name, an owner
and external ids. Objects Netplane makes carry our ids in their external ids (`netplane:id`), which is how the
element adopts what an earlier try made and tells our objects from foreign ones. One controller per endpoint is
shared by every element of this process, as two connections to one real controller would share its state.
"""

import threading

OURS = "netplane"


def name_of(kind, our_id):
    """The name our object of that kind gets on the controller (deterministic, so a retry finds it)."""
    return "np-%s-%s" % (kind, our_id)


class Controller:
    def __init__(self):
        self.lock = threading.RLock()  # one lock: calls of many threads see whole changes only
        self.routers = {}   # name -> {"owner", "ids", "cidr"}
        self.switches = {}  # name -> {"owner", "ids", "cidr", "gateway", "segment", "broadcastUri"}
        self.segments = {}  # "vlan:120" -> switch name
        self.ports = {}     # name -> {"owner", "ids", "mac", "ip", "vm", "switch"}
        self.dhcp = {}      # switch name -> {"cidr", "router", "mtu", "dns"}
        self.listeners = []  # callables(vpc_ids) told of every change (our watch)

    def changed(self, *vpc_ids):
        for listener in list(self.listeners):
            listener([v for v in vpc_ids if v])

    def plant_foreign_switch(self, name, segment):
        """Someone else's switch (no external ids of ours): what a conflict case puts in the way."""
        with self.lock:
            self.switches[name] = {"owner": "ops", "ids": {}, "cidr": "192.0.2.0/24", "gateway": "192.0.2.1",
                                   "segment": segment, "broadcastUri": ""}
            self.segments[segment] = name

    def remove_switch(self, name):
        with self.lock:
            sw = self.switches.pop(name, None)
            if sw is None:
                return
            if self.segments.get(sw["segment"]) == name:
                del self.segments[sw["segment"]]
            self.dhcp.pop(name, None)
            for port_name in [p for p, port in self.ports.items() if port["switch"] == name]:
                del self.ports[port_name]


_controllers = {}
_controllers_lock = threading.Lock()


def controller_for(endpoint):
    with _controllers_lock:
        return _controllers.setdefault(endpoint, Controller())
