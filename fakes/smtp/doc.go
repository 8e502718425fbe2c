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
//   - Pass the simulator's clock to New or Start. The sink never reads the
//     wall clock: Message.ReceivedAt and Rejection.At are clock.Now() values,
//     so with a clockwork fake clock they are virtual times.
//   - Either call Start (listens on 127.0.0.1:0 and serves in a goroutine) or
//     create the listener yourself and call Serve, which blocks like
//     http.Server.Serve and takes ownership of the listener (it is closed when
//     Serve returns). After Close, Serve returns ErrServerClosed.
//   - Call Close when done. Close is idempotent and returns only after every
//     Serve call and every connection goroutine has ended, so no goroutine is
//     left behind.
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
// Every rejection the sink makes is recorded and reported by Rejections:
// 451 (MAIL), 550 (RCPT), 554 (unparsable DATA), 554 (refused connection)
// and go-smtp's 552 for DATA larger than MaxMessageBytes (10 MiB).
package smtp
