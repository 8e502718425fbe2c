// Package approval is the fake web endpoint that the approval links in
// AWS ACM's validation e-mails point at. A simulated domain owner "clicks" a
// link with a real HTTP request: GET shows an approval page naming the
// domain, the AWS account, the Region and the certificate ARN, with a form
// and an "I Approve" button; POSTing that form records the approval. Links
// expire at the ExpiresAt the caller gives (ACM: 72 hours after the e-mail
// was sent), after which they answer 410 Gone and say that a new approval
// e-mail must be requested (ResendValidationEmail).
//
// # What callers must do
//
//   - Create the server with New(Config{Clock: ..., Addr: ...}) (Addr ""
//     takes a free port of 127.0.0.1), then Start it. The server never reads
//     the wall clock: expiry is decided with clock.Now() and every Approval and Visit
//     is stamped with it, so with a clockwork fake clock all of it happens in
//     virtual time. A link is expired when clock.Now() >= ExpiresAt; a zero
//     ExpiresAt therefore means "already expired", so always set it.
//   - Call Start before Register: the link returned by Register is built
//     from URL(), which is "" until Start has succeeded.
//   - Generate the codes (and contexts) yourself, deterministically, and
//     register one Request per approval e-mail. Codes must be unique and
//     non-empty; registering an existing code again replaces its Request
//     (for example to extend ExpiresAt) but keeps any approval already
//     recorded for it.
//   - To simulate a person clicking, call Click with an *http.Client; it
//     performs the GET, reads the form out of the page and submits it, as a
//     browser would. Call CloseIdleConnections on that client before
//     checking for goroutine leaks.
//   - Call Close when done. Close is idempotent; it stops accepting
//     connections, waits for requests in flight (a few seconds at most),
//     and returns when every goroutine of the server has ended. Recorded
//     approvals and visits stay readable.
//
// # Endpoint
//
//	GET  /approvals?code=C&context=X  200 approval page (HEAD as GET)
//	                                  404 unknown code or context mismatch
//	                                  410 link expired
//	POST /approvals  (form: code, context)
//	                                  200 "Success! ... approved" (recorded once;
//	                                      a repeat answers "already approved")
//	                                  404 / 410 as for GET, nothing recorded
//	other methods                     405 with Allow: GET, HEAD, POST
//	other paths                       404
//
// The page answers at exactly /approvals: paths are not cleaned, so
// /approvals/../approvals, //approvals or /approvals/ are 404 like any
// other. Only the posted form's first code and context count (not the
// query string), compared exactly: a forged, altered or other link's code
// or context is 404 and approves nothing, and an expired one is 410 for
// good (until the caller registers the code again).
//
// Expiry is checked before the approved state: after ExpiresAt a link
// answers 410 even if it was approved in time (Approved still reports
// true). Every page is text/html; charset=utf-8 and carries the header
// X-Renewsim-Approval (see the Status* constants) so that programs need not
// scrape the prose. Every request, whatever its outcome, is recorded as a
// Visit.
//
// # Limits
//
// At most Config.MaxConns connections (512 by default) are served at once;
// a visitor beyond them is answered 503 and approves nothing. A request must
// arrive whole within Config.ReadTimeout (30 s), a form body is read up to
// 64 KiB, and a kept-alive connection may idle for Config.IdleTimeout
// (2 min). The connections draw on the descriptor budget every fake shares
// (package fakes/internal/conns), so a flood here cannot starve another
// fake.
package approval
