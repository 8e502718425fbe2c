// Package dns is an authoritative DNS server on the loopback interface, in
// the spirit of net/http/httptest. The simulator's real DNS client queries it
// to check ACM validation CNAME records and CAA records, so the code under
// test speaks real DNS over real UDP and TCP sockets instead of calling a
// mock.
//
// A [Server] answers from an in-memory record store that can be changed while
// it runs ([Server.Add], [Server.AddRR], [Server.Remove], [Server.RemoveRR]).
// [Server.Version] changes whenever anything that can change an answer
// changes, so a caller can tell that two lookups saw the same data.
// [Server.SetRcode] injects failures such as SERVFAIL for one owner name;
// [Server.SetFault] makes a name or a whole zone answer SERVFAIL, not at
// all, or late, for every query or a seeded share of them ([Strikes]: the
// same queries in the same order are struck the same way on every run), and
// [Server.OnHold] tells a client at once that an answer is held back; and
// [Server.History] records what was asked and answered, without wall-clock
// timestamps, so it can be compared in deterministic tests.
//
// # Zones
//
// The server answers for its zones only, as an authoritative server does,
// so that tools which find a zone by asking for its SOA (lego, certbot's
// DNS plugins, resolvers' negative caching) work against it. Its zones are
// Config.Zones and [Server.AddZone]'s, the zones Config.ZoneOf names for
// the records it holds, and every owner of an SOA record held ([Server.Zones]
// lists them; the closest enclosing one answers):
//
//   - At every apex an SOA and an NS are made up unless records of those
//     types are held there (held records win): "<zone> 300 SOA ns1.<zone>
//     hostmaster.<zone> <serial> 7200 900 1209600 60", whose serial follows
//     [Server.Version], and "<zone> 300 NS ns1.<zone>". So an apex always
//     exists: a type it lacks is NODATA.
//   - NXDOMAIN and NODATA answers carry the zone's SOA in the authority
//     section, its TTL the negative-caching TTL of RFC 2308 (the smaller of
//     the SOA's TTL and its MINIMUM: 60 seconds for a made-up one).
//   - A name in no zone is answered REFUSED, without the AA bit: it is not
//     this server's to deny. Records held outside every zone are kept but
//     not served until their zone is added.
//   - AXFR over TCP of a zone's apex transfers the zone: its SOA, every
//     record of its names but those of nested zones (made-up NS included,
//     the apex first, then in canonical order), and the SOA again, over as
//     many messages as it takes. IXFR over TCP gets the same whole zone, as
//     from a server that keeps no history (RFC 1995 section 4); IXFR over
//     UDP gets the SOA alone, telling the client to ask over TCP. AXFR over
//     UDP is NOTIMP, a transfer of a name inside a zone but not its apex is
//     NOTAUTH, and of a name in no zone REFUSED. A real transfer was chosen
//     over REFUSED because `dig AXFR` is the quickest way to see everything
//     a simulated zone holds; there is no access control, as everything is
//     on loopback and the data is made up.
//   - EDNS (RFC 6891): an answer to a query with an OPT carries one, with the
//     query's DO bit copied (RFC 3225); a query of an EDNS version above 0
//     is answered BADVERS with an OPT of version 0; more than one OPT is
//     FORMERR.
//
// What callers must do:
//
//   - Create the server with [New] and a [Config] (its zero value listens on
//     a free port of 127.0.0.1), call [Server.Start] before querying, and
//     [Server.Close] when done. Close shuts down both listeners and waits for
//     every serving goroutine; a closed server cannot be started again.
//   - Query [Server.Addr] over UDP or TCP; both transports share one port.
//   - Write fully qualified names (with the trailing dot) in [Server.Add];
//     relative names are rejected instead of being silently completed.
//   - Give the server its zones (Config.Zones, [Server.AddZone] or
//     Config.ZoneOf): without any, every name is REFUSED.
//   - Turn history off with [Server.SetHistory] in long sweeps, where it
//     would otherwise grow with every query.
//
// What a hostile client gets:
//
//   - A message whose header can be read but whose question cannot (cut
//     short, a compression-pointer loop, a pointer or label past the end,
//     more or fewer than one question) is answered FORMERR; anything
//     shorter than a header, or flagged as a response, is dropped without
//     an answer. Over TCP the connection survives it and answers the next
//     query.
//   - Over TCP a new connection must deliver its first whole query within
//     Config.ReadTimeout ([TCPReadTimeout]) and each later one within
//     Config.IdleTimeout ([TCPIdleTimeout]); a connection that sends a
//     length prefix and stalls is closed then. An answer the client does
//     not read within Config.WriteTimeout ([TCPWriteTimeout]) closes the
//     connection too, and Close cuts every open connection, so a client
//     that reads nothing can neither hold a goroutine nor Close.
//   - At most Config.MaxConns TCP connections (512 by default) are open at
//     once, each served by its own goroutine; one beyond them is closed at
//     once, as DNS has no "busy" answer (the client retries or falls back
//     to UDP). The connections draw on the descriptor budget every fake
//     shares (package fakes/internal/conns), so a flood on another fake
//     cannot lock the TCP side out, nor a flood here another fake.
//
// What the server is not:
//
//   - It is not a resolver: it never recurses and never talks to another
//     server. A chain that leaves the store simply ends.
//   - It is not a full authoritative implementation: nested zones are all
//     its own (no delegations or glue), and there are no wildcards, DNAME,
//     DNSSEC (the DO bit is copied, nothing is signed), NOTIFY or dynamic
//     updates. It does not check zone consistency either (a CNAME may share
//     an owner with other data). A CNAME chain is followed only within its
//     zones.
//   - It knows nothing of the simulator, virtual time or ACM; what the
//     records mean is the caller's business.
package dns
