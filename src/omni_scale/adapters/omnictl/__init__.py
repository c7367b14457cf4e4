"""omnictl: running it, its errors, and finding, installing and version-checking the binary."""
