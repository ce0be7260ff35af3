"""The adapter's manifest as data: what the TypeScript SDK's AdapterManifest serialises to.

Credential and config schemas are JSON Schema (draft 2020-12), as credentialSchemaFrom / configSchemaFrom produce
them: every credential field is `writeOnly` (the server seals it and never returns it). The manifest is honest:
only the services the element really implements are offered.
"""

import json
import os

# The version comes from package.json, so the manifest and the package never disagree.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "package.json")) as f:
    _PACKAGE = json.load(f)

SDK_RANGE = _PACKAGE["peerDependencies"]["@netplane/adapter-sdk"]

MANIFEST = {
    "id": "python-example",
    "vendor": "Netplane examples",
    "version": _PACKAGE["version"],
    "displayName": "Python reference adapter",
    "description": "An in-memory controller in standard-library Python 3, speaking the adapter wire protocol v1 "
                   "over stdio: a reference for adapters in any language.",
    "protocol": "SIMULATED",
    "isolationMethods": ["VLAN", "VXLAN"],
    "services": {
        "Connectivity": {"DistributedRouter": False, "StretchedL2Subnet": False, "RegionLevelVpc": False},
        "Dhcp": {"DhcpAccrossMultipleSubnets": False},
    },
    "canEnableIndividualServices": True,
    "serviceDependencies": [],
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
        "properties": {
            # A simulated round trip per call, so cancellation can be seen stopping real work.
            "latencyMs": {"type": "integer", "minimum": 0, "maximum": 60000},
        },
        "additionalProperties": False,
    },
    "endpointHint": "memory://<name> (one in-memory controller per name)",
    "limits": {"maxBatchSize": 100, "recommendedConcurrency": 8, "recommendedCallsPerSecond": 100},
    "idempotentByKey": True,
    "supportsBatchPrepare": True,
}
