"""The criminal-records identity-matching benchmark: a synthetic register of the region,
cross-script queries, the plain baseline and the runner (README.md)."""
