// Package awsapi holds what the fakes of AWS APIs (fakes/acmapi,
// fakes/route53) share beyond HTTP: reading the region a request was signed
// for, a request-rate limit counted in wall time, and a list of operations
// to refuse as an IAM policy would.
//
// What callers must do: call Region on each request to pick the region's
// data; build one Limiter per server (NewLimiter; a nil *Limiter allows
// everything) and ask Allow before an operation runs; build a Deny with
// NewDeny from operation names and ask Denies. None of them
// checks a signature: the fakes are for loopback and made-up data.
package awsapi
