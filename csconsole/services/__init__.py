"""The one API the console and the command line both use."""
