"""Helpers the tests share that are not fixtures: real servers on loopback, golden answers, paths."""
