"""Adapters: the only code that runs programs, opens sockets or writes outside the file layer."""
