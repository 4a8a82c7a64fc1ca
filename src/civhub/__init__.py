"""civhub: the platform an intergovernmental civil-service hub runs on."""

__version__ = "0.1.0"
