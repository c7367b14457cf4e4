"""Finding, installing and version-checking the official omnictl binary."""
