"""Talking to the world: IMAP, SMTP, shop and chat APIs, and the demo shop."""
