"""The interfaces: the `mzkg` command, the Jupyter magics, and the server with its linked-data pages. They call
the library (the query service and the features) and add nothing it should do itself."""
