// Package acmapi is an HTTP endpoint on loopback that speaks AWS
// Certificate Manager's wire protocol, so that the real AWS SDKs and the
// AWS CLI can query a running simulation: point an SDK's BaseEndpoint (or
// the CLI's --endpoint-url) at URL(), give it any static credentials, and
// DescribeCertificate, ListCertificates and the rest answer from the
// simulated account at the current virtual time.
//
// The package knows nothing of the simulator. Its answers come from a
// Backend; the backend decides what is true (states, the status-visibility
// lag, renewal eligibility, whether a resend is allowed) and the server
// decides how it looks on the wire and checks the inputs.
//
// # What callers must do
//
//   - Implement Backend. The server calls it for every request and keeps
//     nothing, so answers follow the simulation as it advances. Backend
//     calls are serialised by the server (one request at a time); the
//     backend only has to guard against its own writers. Refuse with an
//     *Error (the helpers NotFound, RequestInProgress, NotEligible,
//     InvalidState, ... build the usual ones); any other error is sent as
//     a 500 InternalFailure, which the SDKs retry.
//   - Call New(Config{Backend: b, Addr: "127.0.0.1:4566"}) (Addr "" takes
//     a free port of 127.0.0.1), then Start; or mount the Server, an
//     http.Handler, on a server of your own.
//   - Call Close when done. It is idempotent, waits for requests in flight
//     (a few seconds at most) and returns when every goroutine of the
//     server has ended. Clients should close their idle connections too
//     before goroutine-leak checks.
//   - Requests are not authenticated: the SigV4 signature is ignored,
//     but its credential scope's region is read (see Regions below).
//
// # Regions, throttling and denial
//
// ACM has an endpoint per region, each knowing that region's certificates.
// This server answers a signed request for the region of its SigV4
// credential scope (an unsigned one, as from curl, for Config.Region): it
// lists only certificates whose ARN is of that region, and answers
// ResourceNotFoundException for an ARN of another. So one server stands
// for every region of an account, and an SDK client per region sees what
// it would see of AWS.
//
// Config.RateLimit throttles: beyond that many requests a second of one
// operation in one region (ACM's quotas are per operation and region),
// counted in wall time, a request is answered 400 ThrottlingException
// ("Rate exceeded"), which the SDKs retry and their adaptive retry mode
// slows down for. Config.Deny answers chosen operations 400
// AccessDeniedException, worded as IAM words it (the principal, the
// action acm:<Operation> and the certificate's ARN or "*"), so that a
// client's handling of a missing permission can be tested.
//
// # Protocol
//
// awsJson1_1, as in botocore's acm/2015-12-08/service-2.json and the Smithy
// awsJson1_1 specification: POST /, X-Amz-Target:
// CertificateManager.<Operation>, Content-Type application/x-amz-json-1.1,
// a JSON object as the body (an empty body counts as {}). Responses carry
// the same Content-Type and a deterministic x-amzn-RequestId. Timestamps
// are JSON numbers of epoch seconds, with milliseconds as a fraction when
// there are any. Operations without output answer 200 with an empty body.
// Errors are {"__type": "<ExceptionName>", "message": "..."}
// ("Message" for AccessDeniedException, as modelled):
//
//	body over MaxBodyBytes (1 MiB), announced
//	by Content-Length (checked first, nothing
//	read) or found while reading (the
//	connection is closed after the answer)    413 RequestEntityTooLargeException
//	path not /, method not POST, X-Amz-Target
//	missing, not CertificateManager.*, or an
//	operation this endpoint does not serve    400 UnknownOperationException
//	Content-Type other than
//	application/x-amz-json-1.1 (absent is OK) 400 UnknownOperationException
//	body not JSON, or a member of the wrong
//	JSON type                                 400 SerializationException
//	a required member missing, an enum value
//	or a number out of its modelled range     400 ValidationException
//	CertificateArn not of the form
//	arn:aws:acm:<region>:<12 digits>:certificate/<uuid>
//	                                          400 InvalidArnException
//	well-formed ARN the backend does not know 400 ResourceNotFoundException
//	*Error from the Backend                   its Status (0: 400) and Type
//	other Backend error                       500 InternalFailure
//
// # Operations
//
// DescribeCertificate returns the backend's Certificate as ACM's
// CertificateDetail (InUseBy is always present, [] when unused).
//
// ListCertificates filters Backend.Certificates: CertificateStatuses (none:
// all); Includes.keyTypes (none: only RSA_1024 and RSA_2048 certificates
// with at least one name, as ACM's Filters reference documents, so EC and
// RSA_4096 certificates are hidden unless asked for); keyUsage,
// extendedKeyUsage (any of the listed values), exportOption, managedBy;
// CertificateKeyPairOrigins (none: everything but ACME). SortBy CREATED_AT
// with SortOrder sorts (stable; imported certificates by ImportedAt);
// otherwise the backend's order is kept. MaxItems (1..1000, default 1000)
// pages with a deterministic, opaque NextToken; an undecodable token is
// InvalidArgsException, as is SortBy without SortOrder or vice versa.
//
// GetCertificate returns Backend.PEM. RenewCertificate calls Backend.Renew.
// ResendValidationEmail checks that Domain is a name of the certificate
// (else InvalidDomainValidationOptionsException), that ValidationDomain is
// that name (without "*.") or a superdomain of it (same exception), and
// that the name is validated by EMAIL (else InvalidStateException), then
// calls Backend.ResendValidationEmail with the certificate's spelling of
// the name and the validation domain in lower case. GetAccountConfiguration
// and PutAccountConfiguration read and set the expiry-event days
// (IdempotencyToken is required and checked, not remembered).
// ListTagsForCertificate returns Backend.Tags.
//
// Every request, answered or refused, is recorded; History returns them.
//
// # Hostile requests, and why they are answered so
//
// AWS documents RequestEntityTooLargeException with HTTP 413 among the
// errors common to all its APIs, hence the 413 and its shape. For the rest
// the protocol specification says what a request must be, not what a server
// answers when it is not, so the answers follow what AWS's awsJson1_1
// services were seen to send: an X-Amz-Target naming no operation gets
// {"__type":"UnknownOperationException"} with 400 (Kinesis, Firehose and
// CloudWatch Logs, as reported in aws-sdk-net#1536, mhart/kinesis#22 and
// sharethrough/flume-kinesis#11), and so does a request sent with another
// Content-Type (Kinesis answered application/octet-stream with
// UnknownOperationException, smithy4s#167: AWS chooses the protocol by the
// content type, and under another protocol the target names nothing). A
// missing X-Amz-Target is answered the same way, as smithy-rs's awsJson
// router does; the common-errors page lists UnknownOperationException with
// 404, but the captures above say 400, which this server keeps. Unlike AWS,
// the answer is always JSON, and a missing Content-Type is accepted (curl
// users), since the body is parsed as JSON either way.
//
// Every connection is bounded in time (see fakes/internal/loopback): a
// request must arrive whole within Config.ReadTimeout (30 seconds), a
// kept-alive connection may idle for Config.IdleTimeout (2 minutes), and
// Close does not wait for a client still sending one. At most
// Config.MaxConns connections (512 by default) are served at once; a client
// beyond them is answered 503 {"__type":"ServiceUnavailableException"},
// which the SDKs retry (AWS's own services answer overload so). The
// connections draw on the descriptor budget every fake shares (package
// fakes/internal/conns), so a flood here cannot starve another fake.
package acmapi
