"""Features built on the core: validation, grounding and coverage, lookup, networks, ontology checks,
reasoning, canonical form, releases, drawings, documentation and loading into stores. Each imports only
the core and, where it must, another feature below it."""
