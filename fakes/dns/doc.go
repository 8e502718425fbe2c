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
// What callers must do:
//
//   - Create the server with [New] and a [Config] (its zero value listens on
//     a free port of 127.0.0.1), call [Server.Start] before querying, and
//     [Server.Close] when done. Close shuts down both listeners and waits for
//     every serving goroutine; a closed server cannot be started again.
//   - Query [Server.Addr] over UDP or TCP; both transports share one port.
//   - Write fully qualified names (with the trailing dot) in [Server.Add];
//     relative names are rejected instead of being silently completed.
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
//     server. A CNAME chain is followed only through names held in the
//     store; a chain that leaves the store simply ends.
//   - It is not a full authoritative implementation: it answers every name it
//     holds as authoritative, with no zone cuts, delegations, wildcards,
//     DNAME, DNSSEC, zone transfers or dynamic updates. It does not check
//     zone consistency either (a CNAME may share an owner with other data).
//   - It knows nothing of the simulator, virtual time or ACM; what the
//     records mean is the caller's business.
package dns
