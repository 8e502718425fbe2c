// Package awsread reads a live AWS account the way renewsim check reads
// the AWS CLI's exports: the ACM certificates of the regions asked for
// (every key type and key pair origin, paginated), each described, the
// account configuration, and the public Route 53 zones that hold their
// names, with their records (paginated). What it returns is those
// documents, byte for byte what `aws … --output json` would have written,
// so that the caller reads them with package fleet exactly as it reads
// files, and writes them to disk (check -export) for a later check to give
// the same answer.
//
// It only reads: the calls it makes are ReadActions (and sts:AssumeRole
// with Options.AssumeRole), nothing in an account changes, and no
// credential is ever part of a result, a warning or an error.
//
// # What callers must do
//
//   - Call Read with the Options; the SDK's default chain supplies the
//     credentials (Options.Profile picks a profile of the shared files)
//     and its standard settings the endpoints (AWS_ENDPOINT_URL,
//     AWS_ENDPOINT_URL_ACM, AWS_ENDPOINT_URL_ROUTE_53, endpoint_url in the
//     config file): that is how tests point it at renewsim serve.
//   - Give the regions, or AllRegions, or let the configuration's region
//     stand; us-east-1 is read in any case for the certificates CloudFront
//     uses (only those are kept from it when it was not asked for).
//   - Show Result.Warnings: what could not be read (AccessDenied on a
//     zone, a certificate, the account configuration) and what the check
//     can still tell without it. A failure that leaves nothing to check
//     (ListCertificates refused, a call failing after every retry) is the
//     error, a *CallError naming the account, region and IAM action.
//   - Progress, when set, is called one call at a time, from the reading
//     goroutines: keep it short.
//
// Throttling is the SDK's business: the adaptive retry mode retries with
// backoff and slows the client down for the whole region, and at most
// Workers DescribeCertificate calls are in flight per region.
package awsread
