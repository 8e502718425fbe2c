// Package route53 is an HTTP endpoint on loopback that speaks Amazon Route
// 53's REST API (XML, API version 2013-04-01), so that the real AWS SDKs
// and the AWS CLI can read and change the hosted zones of a running
// simulation: point an SDK's BaseEndpoint (AWS_ENDPOINT_URL_ROUTE_53) or
// the CLI's --endpoint-url at URL() and give it any static credentials.
//
// The package knows nothing of the simulator. Zones and records come from
// a Backend, and the changes the server accepts go to it; the server
// decides how they look on the wire and checks every request and change
// batch as Route 53 does.
//
// # What callers must do
//
//   - Implement Backend. The server calls it for every request and keeps
//     nothing but the change IDs it handed out (for GetChange), so answers
//     follow the backend as it changes. Backend calls are serialised.
//   - Call New(Config{Backend: b}), then Start; or mount the Server, an
//     http.Handler, on a server of your own. Close when done: it is
//     idempotent and waits for requests in flight (a few seconds at most)
//     and for every goroutine of the server.
//   - Requests are not authenticated: the SigV4 signature is ignored.
//     Config.Deny refuses chosen operations with AccessDenied, and
//     Config.RateLimit throttles, for clients that must handle both.
//
// # Operations
//
// Routes are Route 53's: GET /2013-04-01/hostedzone (ListHostedZones),
// GET /2013-04-01/hostedzonesbyname (ListHostedZonesByName), GET
// /2013-04-01/hostedzone/{Id} (GetHostedZone), GET and POST
// /2013-04-01/hostedzone/{Id}/rrset (ListResourceRecordSets,
// ChangeResourceRecordSets; a final slash is taken, as botocore sends one),
// GET /2013-04-01/change/{Id} (GetChange). An ID may keep its "/hostedzone/"
// or "/change/" prefix. Bodies are XML in the namespace
// https://route53.amazonaws.com/doc/2013-04-01/, answered as text/xml with
// a deterministic x-amzn-RequestId.
//
// Hosted zone IDs ("Z" and 20 characters of A-Z, 2-7) are derived from the
// zone's name and kind, so they are the same on every run. A private zone
// is listed with PrivateZone true and described with a VPC instead of a
// delegation set; hostedzonetype=PrivateHostedZone lists only those. Zones
// are listed, by both list operations, by name with the labels reversed,
// then by ID; Marker and NextMarker are zone IDs. Record sets are grouped
// by name and type and listed by name with the labels reversed, then by
// type; name/type start a page (type without name is InvalidInput), and
// NextRecordName/NextRecordType say where the next one starts. Names go
// out in lower case, fully qualified, with characters other than a-z, 0-9,
// "-" and "_" written as \ and three octal digits ("\052" for "*"), and come
// in with or without the final dot, in any case, escaped or not. maxitems
// above the most a page holds (100 zones, 300 record sets) gets that many.
//
// ChangeResourceRecordSets takes CREATE, DELETE and UPSERT of plain record
// sets (Name, Type, TTL, ResourceRecords); AliasTarget, SetIdentifier and
// the routing policies are refused with InvalidInput by name, since the
// simulated DNS serves plain records only. The batch is checked change by
// change against the zone as the earlier changes left it, as Route 53
// does, and refused whole with InvalidChangeBatch, one message per failed
// change, joined in brackets:
//
//	CREATE of a set that exists         Tried to create resource record set [name='…', type='…'] but it already exists
//	DELETE of a set that does not       Tried to delete resource record set [name='…', type='…'] but it was not found
//	DELETE whose TTL or values differ   … but the values provided do not match the current values
//	a name outside the zone             RRSet with DNS name … is not permitted in zone …
//	CNAME at the apex, or beside other  RRSet of type CNAME … is not permitted at apex / as it conflicts …
//	data (and other data beside a CNAME)
//	CREATE or DELETE of the SOA         A HostedZone must contain exactly one SOA record.
//	DELETE of the apex NS               A HostedZone must contain at least one NS record for the zone itself.
//	a value that is not data of its     Invalid Resource Record: 'FATAL problem: …'
//	type (parsed as zone-file data)
//
// A good batch goes to Backend.Apply at once; the answer's ChangeInfo is
// PENDING, as Route 53's is, and GetChange answers INSYNC for it from then
// on (the change took effect when it arrived). GetChange of an unknown ID
// is 404 NoSuchChange; an unknown zone ID is 404 NoSuchHostedZone.
//
// # Errors
//
// Errors are <ErrorResponse><Error><Type>Sender</Type><Code>…</Code>
// <Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>,
// which the SDKs turn into their typed errors by Code. Config.Deny answers
// 403 AccessDenied with IAM's wording, naming route53:<Operation> and the
// hosted zone's ARN; Config.RateLimit answers 400 Throttling ("Rate
// exceeded") beyond that many requests a second over all operations (Route
// 53 limits an account to five), which the SDKs retry. A method and path
// of no operation get 404 UnknownOperationException; a body over
// MaxBodyBytes 413 RequestEntityTooLargeException; a body that is not the
// request's XML 400 InvalidInput.
//
// Connections are bounded as in every fake (fakes/internal/loopback): a
// request must arrive within Config.ReadTimeout (30 s), an idle kept-alive
// connection lasts Config.IdleTimeout (2 min), and at most Config.MaxConns
// (512) are served at once; a client beyond them is answered 503
// ServiceUnavailable, which the SDKs retry.
package route53
