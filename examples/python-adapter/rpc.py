"""JSON-RPC 2.0 over stdio, one message per line (docs/adapter-protocol.md), for any Netplane adapter in Python.

The main thread only reads stdin: every request runs on its own thread, so a `$/cancelRequest` for a call still
running is read at once and sets that call's cancel event. Writes to stdout go through one lock, so concurrent
answers never interleave within a line. Nothing but protocol messages is ever written to stdout.
"""

import json
import sys
import threading
import time

# Reserved codes of the protocol (see its "Reserved codes" table).
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
ADAPTER_ERROR = -32000
UNSUPPORTED_PROTOCOL = -32001
NOT_INITIALIZED = -32002
UNKNOWN_ELEMENT = -32003

# The SDK's default retryability per category (packages/adapter-sdk/src/adapter-error.ts).
RETRYABLE = {"TIMEOUT": True, "UNREACHABLE": True, "RATE_LIMITED": True}


class AdapterError(Exception):
    """The only failure the engine understands: a category plus optional vendor details (never a credential)."""

    def __init__(self, category, message, retryable=None, vendor_code=None, vendor_message=None,
                 retry_after_ms=None, conflict=None):
        super().__init__(message)
        self.category = category
        self.message = message
        self.retryable = RETRYABLE.get(category, False) if retryable is None else retryable
        self.vendor_code = vendor_code
        self.vendor_message = vendor_message
        self.retry_after_ms = retry_after_ms
        self.conflict = conflict

    def to_data(self):
        """The error's `data` on the wire; also the `error` of a failed item in a prepareNics batch."""
        data = {"category": self.category, "message": self.message, "retryable": self.retryable}
        for key, value in (("vendorCode", self.vendor_code), ("vendorMessage", self.vendor_message),
                           ("retryAfterMs", self.retry_after_ms), ("conflict", self.conflict)):
            if value is not None:
                data[key] = value
        return data


class RpcError(Exception):
    """A protocol-level error (not an adapter failure): the engine sees it as VENDOR_ERROR."""

    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


class CallContext:
    """What every contract call gets: the idempotency key, its deadline and a cancel event set by $/cancelRequest."""

    def __init__(self, idempotency_key, deadline_ms):
        self.idempotency_key = idempotency_key
        self.cancelled = threading.Event()
        self.deadline = time.monotonic() + deadline_ms / 1000.0 if deadline_ms else None

    def check(self):
        """Raises TIMEOUT when the host cancelled the call or its deadline passed: call it between units of work."""
        if self.cancelled.is_set():
            raise AdapterError("TIMEOUT", "Call aborted: cancelled by the host")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise AdapterError("TIMEOUT", "Call aborted: deadline passed")

    def sleep(self, seconds):
        """A wait that a cancel ends at once (a real adapter waits on its controller's socket instead)."""
        if self.cancelled.wait(seconds):
            self.check()


class Server:
    """Reads requests from stdin until it closes, runs each on a thread, answers on stdout."""

    def __init__(self, dispatch, stdin=None, stdout=None):
        self._dispatch = dispatch  # dispatch(method, params, ctx) -> JSON value, may raise AdapterError/RpcError
        self._stdin = stdin or sys.stdin
        self._stdout = stdout or sys.stdout
        self._write_lock = threading.Lock()
        self._running = {}  # request id -> CallContext, for $/cancelRequest
        self._running_lock = threading.Lock()
        self.initialized = False

    def send(self, message):
        line = json.dumps(message, separators=(",", ":"), allow_nan=False)
        with self._write_lock:
            self._stdout.write(line + "\n")
            self._stdout.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def log(self, level, msg, element=None, **fields):
        """Structured log through the host's redacting logger (never print to stdout); with `element`, the host logs
        it under that element's controller."""
        params = {"level": level, "msg": msg, "fields": fields}
        if element is not None:
            params["element"] = element
        self.notify("log", params)

    def serve_forever(self):
        for line in self._stdin:
            if line.strip():
                self._receive(line)
        # stdin closed: the host is done with us. Answers still running are abandoned (the host stopped listening).

    def _receive(self, line):
        try:
            msg = json.loads(line)
        except ValueError:
            return self._error(None, PARSE_ERROR, "Parse error: a line that is not JSON")
        if not isinstance(msg, dict) or msg.get("jsonrpc") != "2.0" or not isinstance(msg.get("method"), str):
            return self._error(msg.get("id") if isinstance(msg, dict) else None, INVALID_REQUEST, "Invalid Request")
        params = msg.get("params") if isinstance(msg.get("params"), dict) else {}
        if "id" not in msg:  # a notification: only cancellation is defined host -> adapter
            if msg["method"] == "$/cancelRequest":
                with self._running_lock:
                    ctx = self._running.get(params.get("id"))
                if ctx is not None:
                    ctx.cancelled.set()
            return None
        ctx = CallContext(params.get("idempotencyKey"), params.get("deadlineMs"))
        if msg["method"] == "initialize":  # on the reader thread: nothing else is read before the handshake is done
            return self._run(msg["id"], msg["method"], params, ctx)
        with self._running_lock:
            self._running[msg["id"]] = ctx
        threading.Thread(target=self._run, args=(msg["id"], msg["method"], params, ctx), daemon=True).start()
        return None

    def _run(self, req_id, method, params, ctx):
        try:
            if method != "initialize" and not self.initialized:
                raise RpcError(NOT_INITIALIZED, "initialize first")
            result = self._dispatch(method, params, ctx)
            self.send({"jsonrpc": "2.0", "id": req_id, "result": result})
        except AdapterError as e:
            self._error(req_id, ADAPTER_ERROR, e.message, e.to_data())
        except RpcError as e:
            self._error(req_id, e.code, e.message, e.data)
        except Exception as e:  # a bug of ours: say what, never with arguments (they may carry credentials)
            self._error(req_id, INTERNAL_ERROR, "internal error: %s" % type(e).__name__)
        finally:
            with self._running_lock:
                self._running.pop(req_id, None)

    def _error(self, req_id, code, message, data=None):
        error = {"code": code, "message": message}
        if data is not None:
            error["data"] = data
        self.send({"jsonrpc": "2.0", "id": req_id, "error": error})
