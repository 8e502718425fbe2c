// Package iac reads infrastructure code — Terraform plans and states, and
// CloudFormation templates, cdk synth output and change sets — and turns
// it into the fleets package fleet checks: the fleet before a change and
// the fleet after it, so that a pull request that breaks a renewal is
// caught before it is applied.
//
// The flow is Read (every problem in every file collected, as
// fleet.Problems: file, and JSON path or line and column), then
// Model.Fleets, which combines the code with the exports fleet.Read gave
// (records and certificates outside the code come from them; what the
// code changes overrides them) and returns, per account and region, a
// *fleet.Fleet before the change and one after it (After only, for a
// state). Callers must:
//   - skip a fleet for which Empty is true (a side with no certificate:
//     fleet.Build refuses it) and take it as "no certificates"; no
//     Regions at all means the inputs describe no certificate;
//   - run every other fleet through fleet.Build, sim/run and fleet.Assess
//     exactly as for exports, before and after with the same Options;
//   - compare the two sides by ARN: Fleets.Lookup names the code's
//     certificate (its address) behind an ARN, before or after a
//     replacement; an ARN it does not know is a certificate only the
//     exports describe;
//   - name the cause of a change from Fleets.Actions: each planned change
//     with what it does to the fleet, and the certificates (addresses, or
//     ARNs outside the code) each effect bears on.
//
// Read does no I/O beyond the files it is given, Fleets none at all; the
// same inputs give the same fleets, byte for byte.
//
// Decisions a user can rely on:
//   - Nothing is guessed. A certificate whose state is not in the inputs
//     (a data source, a template without its stack's resources and no
//     ACM export) is "cannot tell" with what would settle it; a stale
//     state (PENDING_VALIDATION with no not_after for a certificate
//     something already uses) is reported as stale with the command that
//     refreshes it; dates are never invented.
//   - A certificate the change creates stands as issued at -now, for the
//     profile's lifetime, when every name has its validation record: made
//     by the change from that certificate's domain_validation_options
//     (the plan's configuration references say so), or already in place
//     (ACM gives every certificate of an account the same record for a
//     name). The names and values ACM will give are known only after
//     apply; the fleets use the record already known for the name, or a
//     deterministic placeholder, the same on the certificate and on the
//     record. When nothing creates a record it never issues; when the
//     configuration hides where the records come from (a local value), it
//     is "cannot tell: known after apply", with why.
//   - A zone the code describes without an export holds only the records
//     the code manages (a note says so); a name no zone holds stays
//     "cannot tell: no zone data for X".
//   - When the code manages no resource that uses a certificate (no
//     listener, distribution or API domain) and no export lists its
//     InUseBy, whether it is in use cannot be told, and it is not judged.
//   - A user whose certificate_arn is each.value of a for_each over a map
//     of certificates takes the one its own key names; a reference that
//     names every instance of a for_each (no key) counts them all as used.
//   - CloudFormation: the template given is the new one when its change
//     set adds what it holds (cdk synth, then a change set of it), the
//     deployed one when the change set removes what it holds; a change
//     set's BeforeContext and AfterContext (--include-property-values)
//     give the properties the template lacks. A certificate whose
//     DomainValidationOptions name a HostedZoneId owns its validation
//     records: removing or replacing it removes them, whoever else
//     validates with them (the stack-deletion trap). Its ARN comes from
//     describe-stack-resources or the change set's PhysicalResourceId, its
//     state from the ACM export of that ARN.
//   - Several files form one fleet; the same address in two files is told
//     apart by its file. A fleet spanning regions (a CloudFront
//     certificate in us-east-1) is split per account and region, as
//     fleet.Build checks one at a time.
package iac
