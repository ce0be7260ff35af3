"""The __DISPLAY__ adapter's manifest as data (JSON Schema credential and config schemas, as the SDK produces them).

Offer only what element.py really implements: the conformance kit checks the calls against the services listed.
"""

import json
import os

# The version and the adapter-sdk range come from package.json, so the manifest and the package never disagree.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "package.json")) as f:
    _PACKAGE = json.load(f)

SDK_RANGE = _PACKAGE["peerDependencies"]["@netplane/adapter-sdk"]

MANIFEST = {
    "id": "__ID__",
    "vendor": "__DISPLAY__",
    "version": _PACKAGE["version"],
    "displayName": "__DISPLAY__",
    "description": "__DISPLAY__ controller adapter (scaffolded by netplane adapter new; replace controller.py with "
                   "calls to the controller's API).",
    "protocol": "HTTPS",
    "isolationMethods": ["VLAN", "VXLAN"],
    "services": {
        "Connectivity": {"DistributedRouter": False, "StretchedL2Subnet": False, "RegionLevelVpc": False},
        "Dhcp": {"DhcpAccrossMultipleSubnets": False},
    },
    "canEnableIndividualServices": True,
    "serviceDependencies": [],
    # Every credential field is writeOnly: the server seals it, never returns it, and hands it over in element.open.
    "credentialSchema": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"token": {"type": "string", "minLength": 1, "maxLength": 500, "writeOnly": True}},
        "required": ["token"],
        "additionalProperties": False,
        "writeOnly": True,
    },
    "configSchema": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"latencyMs": {"type": "integer", "minimum": 0, "maximum": 60000}},
        "additionalProperties": False,
    },
    "endpointHint": "https://__ID__.example (the controller's API)",
    "limits": {"maxBatchSize": 100, "recommendedConcurrency": 8, "recommendedCallsPerSecond": 100},
    "idempotentByKey": True,
    "supportsBatchPrepare": True,
}
