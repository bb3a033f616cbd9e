"""Executors: the same stage functions, run in one process or many."""
