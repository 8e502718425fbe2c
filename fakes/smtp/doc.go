// Package smtp is an in-process SMTP sink for the renewsim simulator. It
// stands in for the mail servers of the domain owners to which AWS ACM sends
// the approval e-mails for e-mail-validated certificates: every message it
// accepts is stored in memory so that the simulated people (and the tests)
// can read it back and follow the approval link it contains.
//
// The sink is built on github.com/emersion/go-smtp. It speaks plain SMTP on
// 127.0.0.1 only: no TLS, no STARTTLS and no AUTH are offered or required,
// and the greeting names the domain "renewsim.test". Because the sink offers
// no STARTTLS, go-smtp's package-level SendMail cannot be used against it;
// clients must use gosmtp.Dial followed by Client.SendMail (or Mail, Rcpt,
// Data), or the standard library's net/smtp.
//
// # What callers must do
//
//   - Create the sink with New(Config{Clock: ..., Addr: ...}) and Start it
//     (Addr "" takes a free port of 127.0.0.1); Start returns once the sink
//     accepts connections. The sink never reads the wall clock:
//     Message.ReceivedAt and Rejection.At are Config.Clock.Now() values, so
//     with a clockwork fake clock they are virtual times.
//   - Call Close when done. Close is idempotent and returns only after the
//     serve loop and every connection goroutine have ended, so no goroutine
//     is left behind.
//
// # Stored data
//
// Only messages whose DATA parses with net/mail are stored; others are
// rejected with 554 5.6.0 and stored nowhere except as a Rejection. Each
// stored Message records the envelope sender, the envelope recipients
// accepted for it, the parsed header, the decoded Subject, the Body (with a
// top-level quoted-printable or base64 Content-Transfer-Encoding undone for
// non-multipart messages, so long links are intact) and the Raw DATA bytes.
// Messages and Rejections carry sequence numbers that start at 1 and are
// never reused, not even after Reset.
//
// # Failure switches
//
// The switches may be flipped at any time, also while clients are connected;
// they take effect at the next command that consults them:
//
//   - RejectRecipient / AcceptRecipient: RCPT TO for that address (compared
//     case-insensitively) is answered 550 5.1.1.
//   - SetTempFail(true): MAIL FROM is answered 451 4.3.0.
//   - SetRefuse(true): each new connection receives a "554 5.3.2" greeting
//     and is closed at once. net/smtp.Dial therefore fails with a
//     *textproto.Error (Code 554); gosmtp.Dial does not read the greeting, so
//     with go-smtp the first command (Hello, Mail, SendMail...) fails with a
//     *gosmtp.SMTPError (Code 554). Connections already open are not
//     affected.
//
// HangUp closes every open connection, as a restarted mail server would.
//
// # Limits
//
// A client cannot make the sink hold more than its Limits (the defaults are
// the constants of the same names; Config.Limits changes them):
//
//   - more than MaxConns (512) connections at once: the next one is greeted
//     "421 4.3.2 ... too many connections" and closed (recorded as a
//     CONNECT rejection). The connections draw on the descriptor budget
//     every fake shares (package fakes/internal/conns), so a crowd of idle
//     SMTP clients can neither exhaust the process's descriptors nor lock
//     the DNS server or another fake out;
//   - a message of MaxMessageBytes (10 MiB) or more: 552 5.3.4 at MAIL FROM
//     when SIZE= says so, for a BDAT chunk that would pass it, and
//     otherwise as soon as DATA reaches it;
//   - RCPT TO beyond MaxRecipients (100) in one transaction: 452 4.5.3;
//   - a command or DATA line longer than MaxLineLength (2000): 500 5.4.0;
//   - more than three bad commands: go-smtp's 500 5.5.1 "Too many errors";
//   - silence for IdleTimeout (5 minutes, between commands or within
//     DATA): 421 4.4.2; a client that keeps sending, however slowly, is not
//     cut;
//   - a reply the client does not read within WriteTimeout ends the
//     connection;
//   - stored mail: once MaxStoredMessages (10,000) messages or
//     MaxStoredBytes (64 MiB of raw DATA) are held, new mail is refused
//     with 452 4.3.1 (at MAIL FROM, or at the end of a DATA that would
//     not fit) until Reset, and one line says so in the log
//     (Config.Logger; log.Default otherwise). Refusing rather than dropping old mail keeps
//     what was stored intact and tells the sender.
//
// Every 552, the 500s for a long line and for too many errors, and the 421
// for silence end the session: the reply goes out, the sink stops reading
// (what the client still sends is thrown away, unread, for a second at
// most so that it can read the reply instead of a reset) and closes the
// connection, and no command after the line that broke the limit is run.
// The sink hands go-smtp its input one line at a time, so go-smtp never
// holds more than that line: a body that goes on with ".", MAIL FROM,
// RCPT TO and DATA after the size limit injects nothing (it used to: go-smtp
// reads the rest of a refused DATA up to its first "." line and takes what
// follows for commands).
//
// Each connection is served by its own goroutine. Memory is bounded per
// connection by MaxMessageBytes while a DATA is under way, and a refused or
// ended connection gives its goroutine and buffers back at once.
//
// Every rejection the sink makes is recorded and reported by Rejections:
// 451 (MAIL), 550 (RCPT), 554 (unparsable DATA), 554 (refused connection),
// 421 (connection beyond MaxConns), 552 (DATA too large), 452 (store
// full), 500 (DATA line too long) and 421 (silent within DATA). The limits
// go-smtp enforces before the sink sees the command (SIZE=, BDAT, RCPT
// beyond the limit, a long command line, too many errors, silence between
// commands) are answered but not recorded. At most
// MaxStoredMessages rejections are kept; later ones are answered but not
// recorded until Reset, and the log says so once.
package smtp
