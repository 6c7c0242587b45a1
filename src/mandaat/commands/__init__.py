"""The commands behind the command line, free of click: each takes plain values, reads and validates its
inputs in this process, runs what touches the engine in an isolated child, renders, and writes through
a :class:`~mandaat.commands.console.Console`. The command line only declares options and calls them."""
