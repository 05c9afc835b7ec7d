#!/usr/bin/env python3
"""A webhook receiver for the --post tests: records every request, answers from a script.

post_receiver.py --ready-file F --record FILE [--fail N --status CODE [--retry-after S]]

Binds 127.0.0.1 on a free port, writes "PORT <n>" to --ready-file (atomically), and appends one
JSON line per request to --record: {"time", "method", "path", "contentType", "body"}. The first N
requests get CODE (with Retry-After S when given), later ones 200 "ok". Serves until SIGTERM.
"""
import argparse
import http.server
import json
import os
import signal
import sys
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready-file", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--fail", type=int, default=0)
    ap.add_argument("--status", type=int, default=500)
    ap.add_argument("--retry-after", default="")
    args = ap.parse_args()
    lock = threading.Lock()
    seen = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            with lock:
                seen[0] += 1
                n = seen[0]
                with open(args.record, "a") as out:
                    out.write(json.dumps({"time": time.time(), "method": "POST", "path": self.path,
                                          "contentType": self.headers.get("Content-Type", ""),
                                          "body": body}) + "\n")
            status = args.status if n <= args.fail else 200
            reply = b"ok" if status == 200 else b"Server Error"
            self.send_response(status)
            if status != 200 and args.retry_after:
                self.send_header("Retry-After", args.retry_after)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: (server.server_close(), sys.exit(0)))
    tmp = args.ready_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("PORT %d\n" % server.server_address[1])
    os.replace(tmp, args.ready_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
