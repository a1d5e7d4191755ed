"""Delivery channels: the structured log (always), e-mail over SMTP, webhook POST of JSON."""
