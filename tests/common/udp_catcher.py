"""UDP sockets on fixed ports of a spare loopback address, to receive answers routed by Via.

RFC 3261 18.2.2 sends a UDP response to the source address and the *sent-by port* of the top Via
(5060 when absent), not to the source port (unless rport). Test messages that carry a fixed Via
must therefore be sent from a socket bound to that port. 127.0.0.1:5060 may belong to something
else, so the catcher takes the first 127.0.0.N address where every port it needs is free (all of
127/8 is loopback on Linux). A TCP listener on the main port records a daemon that answers a
TCP-Via request by opening a connection (also allowed by RFC 3261 18.2.2).
"""

import select
import socket
import time

import sip_wire


class UdpCatcher:
    def __init__(self, ports, tcp_ports=(), first_host=2, last_host=40):
        self.udp = {}
        self.tcp_listeners = {}
        self.tcp_connections = []  # (port, socket, StreamReader)
        errors = []
        for host in range(first_host, last_host + 1):
            address = "127.0.0.%d" % host
            try:
                self._bind_all(address, ports, tcp_ports)
                self.address = address
                return
            except OSError as error:
                errors.append("%s: %s" % (address, error))
                self.close()
        raise OSError("no loopback address with ports %s free: %s" % (ports, "; ".join(errors)))

    def _bind_all(self, address, ports, tcp_ports):
        for port in ports:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.udp[port] = sock
            sock.bind((address, port))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        for port in tcp_ports:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.tcp_listeners[port] = sock
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((address, port))
            sock.listen(16)

    def send(self, data, from_port, target):
        self.udp[from_port].sendto(data, target)

    def collect(self, timeout):
        """Messages that arrive within `timeout`: a list of ("udp:PORT" | "tcp:PORT", message)."""
        arrived = []
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return arrived
            readable = list(self.udp.values()) + list(self.tcp_listeners.values()) + \
                [conn for _, conn, _ in self.tcp_connections]
            ready, _, _ = select.select(readable, [], [], remaining)
            for sock in ready:
                arrived.extend(self._read(sock))
            if arrived:
                return arrived

    def _read(self, sock):
        for port, udp in self.udp.items():
            if sock is udp:
                data, _ = udp.recvfrom(65535)
                return [("udp:%d" % port, sip_wire.SipMessage(data))]
        for port, listener in self.tcp_listeners.items():
            if sock is listener:
                conn, _ = listener.accept()
                self.tcp_connections.append((port, conn, sip_wire.StreamReader()))
                return []
        for entry in list(self.tcp_connections):
            port, conn, reader = entry
            if sock is conn:
                data = conn.recv(65536)
                if not data:
                    conn.close()
                    self.tcp_connections.remove(entry)
                    return []
                return [("tcp:%d" % port, m) for m in reader.feed(data)]
        return []

    def close(self):
        for sock in list(self.udp.values()) + list(self.tcp_listeners.values()):
            sock.close()
        for _, conn, _ in self.tcp_connections:
            conn.close()
        self.udp, self.tcp_listeners, self.tcp_connections = {}, {}, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
