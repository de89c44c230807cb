#!/usr/bin/python3
"""Record a QEMU serial port with arrival times.

QEMU exposes the port as a listening UNIX socket (-chardev socket,server=on,
wait=on: the guest does not start until this logger is connected, so nothing
is lost).  Everything read is appended to OUT; OUT.ts gets one line per read,
"<unix time> <byte count of OUT after the read>", so the time at which any
byte of OUT arrived can be looked up later (tests/e2e/boot-lib.sh does that to
time boot stages).  Ends when QEMU closes the socket.

    serial-logger.py SOCKET OUT
"""
import socket
import sys
import time


def main():
    path, out = sys.argv[1], sys.argv[2]
    deadline = time.time() + 15
    s = None
    while s is None:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
        except OSError:
            s.close()
            s = None
            if time.time() > deadline:
                print("serial-logger: cannot connect to %s" % path, file=sys.stderr)
                return 1
            time.sleep(0.02)
    total = 0
    with open(out, "ab", buffering=0) as raw, open(out + ".ts", "a", buffering=1) as ts:
        while True:
            try:
                data = s.recv(65536)
            except OSError:
                break
            if not data:
                break
            now = time.time()
            raw.write(data)
            total += len(data)
            ts.write("%.3f %d\n" % (now, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
