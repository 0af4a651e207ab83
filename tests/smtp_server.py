"""A real SMTP server on loopback for the tests: it keeps what it accepts, and can refuse, start and stop."""
import email
from email.policy import default

from aiosmtpd.controller import Controller

from tests.ports import free_port


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts and the connection (its client's port) it came by;
    it closes the connection instead of accepting a message whose subject is in `refused`."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.connections: list[int] = []
        self.refused: set[str] = set()

    async def handle_DATA(self, server, session, envelope):
        received = email.message_from_bytes(envelope.content, policy=default)
        if received["Subject"] in self.refused:
            return "421 Closing the connection"
        self.messages.append(received)
        self.connections.append(session.peer[1])
        return "250 Message accepted for delivery"


class SMTPServer:
    """A real SMTP server on a fixed loopback port that the test can start and stop."""

    def __init__(self):
        self.port, self.inbox, self.controller = free_port(), Inbox(), None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None
