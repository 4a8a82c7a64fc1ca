"""Every change to the scheme's records: one function per change, permission-checked, atomic,
audited, and notifying after the commit. Import from the module, e.g.
`from civhub.awards.services import submissions`."""
