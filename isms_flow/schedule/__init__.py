"""Deadlines and their delivery: pure deadline rules, the outbox dispatcher, the alarm clock."""
