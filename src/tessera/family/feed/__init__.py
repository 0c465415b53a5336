"""The family feed: a consumer of the event log, its outbox rows, their sentences and the live streams."""
