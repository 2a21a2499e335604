"""The retention service."""
