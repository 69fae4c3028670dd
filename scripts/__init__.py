"""Scripts run by the Makefile, and the helpers they share with the browser tests."""
