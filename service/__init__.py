"""claimtrack: track the claims articles make, anchored in their sources, as evidence comes in."""
