"""The platform-neutral chat flow (flow.py), its durable outbox (outbox.py) and the port every
chat platform implements (port.py)."""
