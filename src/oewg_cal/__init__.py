"""oewg_cal: programmes of work of UN meeting sessions as calendar feeds."""

__version__ = "0.1.0"
