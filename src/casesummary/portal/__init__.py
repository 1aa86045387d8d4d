"""FirstAgenda agenda portals (dagsordener.<kommune>.dk): their public JSON API, addresses, mirrors.

    urls.py       base URLs, API paths, ids safe for paths, credentials kept out of messages
    models.py     the committee list (udvalgsliste) and a fetched meeting, typed
    client.py     PortalClient: cookie handshake, retries, Retry-After, a cap on requests in flight
    addresses.py  a meeting or item address (…/vis?id=M&punktid=I) -> the meeting's JSON
    known.py      the portals of the municipalities we know, by name
    mirror.py     fetch(): the selected meetings as served, one file each; re-runs skip the
                  unchanged

This package sits below `casesummary.sources`: it hands over raw portal JSON and never parses
items itself.
"""
