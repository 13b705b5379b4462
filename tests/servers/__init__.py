"""Real servers on loopback for the integration tests: Dovecot, a throttling proxy, TLS."""
