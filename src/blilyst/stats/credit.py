"""The credit line SSB asks users of its statistics to show, in one place."""

SSB_CREDIT = "Kilde: Statistisk sentralbyrå"
