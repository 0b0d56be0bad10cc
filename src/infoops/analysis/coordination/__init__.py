"""Coordination networks: accounts that post the same thing within seconds of each other.

The semantics are those of QUT's coordination-network-toolkit, edge for edge (a test runs both):
an *event* is a tweet by account u at time t carrying an object o (what the object is depends
on the method, see ``methods``); the directed weight w(u->v) counts the distinct tweets of u
that have at least one tweet of v with the same object within the window (inclusive). Edges
are written to the graph as ``COORDINATED_WITH {method, window_s, weight}`` and every one of
them can be explained by the tweets behind it (``evidence``).

Light on purpose: the CLI imports ``methods`` at start, the modules that compute import
numpy and pyarrow.
"""
