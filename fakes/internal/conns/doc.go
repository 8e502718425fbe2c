// Package conns bounds the connections every fake holds, with one mechanism
// for all of them: a [Listener] that admits at most a fixed number of
// connections at once, refuses the rest politely, and draws every admitted
// connection (and every listening socket) from one [Budget] of file
// descriptors shared by the whole process.
//
// Why a shared budget: the descriptors of a process are one pool. Without
// it, 24,000 idle SMTP clients used up a 20,000 limit, and the DNS server's
// TCP side then could not accept anything either. [Shared] reads
// RLIMIT_NOFILE once and leaves a reserve ([Reserve]) that no fake may
// take, for the simulator's own clients, files and the runtime; what is left
// is shared by the fakes, and no single listener may hold more than half of
// it, so that one listener's flood cannot starve another.
//
// What a refused client gets: the listener's Refuse function writes one
// message (SMTP 421, HTTP 503; DNS has none and just closes), then the
// connection is half-closed and what the client still sends is read and
// thrown away for at most [RefuseLinger] before the socket closes, so that
// the client reads the message instead of a reset. At most [MaxRefusing]
// refusals are under way at once in the process (they are counted in the
// reserve); beyond that a connection is closed at once, without a message.
//
// What callers must do:
//
//   - Listen with [Listen] (or wrap a listener of their own with [Wrap])
//     and serve from the returned [Listener] as from any net.Listener; the
//     admitted connections are [*Conn]s, which give their place back when
//     closed. Protocol servers keep enforcing their own idle and read
//     timeouts: this package bounds how many, not how long.
//   - Close the listener when done (the protocol servers do when they shut
//     down): that ends the refusals under way too. [Listener.CloseConns]
//     cuts every admitted connection, for servers that do not track theirs.
//   - Hold a [Budget] place for every other descriptor a fake keeps open for
//     its life, such as the DNS server's UDP socket ([Budget.Hold]).
package conns
