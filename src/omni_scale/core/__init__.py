"""Pure core grouped by domain: no file, process, socket, environment or clock access."""
