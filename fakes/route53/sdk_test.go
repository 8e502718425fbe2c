package route53_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fakes/route53"
)

// These tests drive the fake with the real aws-sdk-go-v2 Route 53 client
// and check what the client makes of the answers.

func zoneIDs(t *testing.T, c *r53.Client) map[string]string {
	t.Helper()
	out, err := c.ListHostedZones(ctx, &r53.ListHostedZonesInput{})
	require.NoError(t, err)
	ids := map[string]string{}
	for _, z := range out.HostedZones {
		k := aws.ToString(z.Name)
		if z.Config != nil && z.Config.PrivateZone {
			k = "private:" + k
		}
		ids[k] = aws.ToString(z.Id)
	}
	return ids
}

func TestListHostedZones(t *testing.T) {
	_, c := start(t, newMem(), route53.Config{})
	out, err := c.ListHostedZones(ctx, &r53.ListHostedZonesInput{})
	require.NoError(t, err)
	require.Len(t, out.HostedZones, 3)
	assert.False(t, out.IsTruncated)
	assert.Equal(t, int32(100), aws.ToInt32(out.MaxItems))

	var names []string
	for _, z := range out.HostedZones {
		names = append(names, aws.ToString(z.Name))
		assert.Regexp(t, `^/hostedzone/Z[A-Z2-7]{20}$`, aws.ToString(z.Id))
		assert.NotEmpty(t, aws.ToString(z.CallerReference))
		require.NotNil(t, z.Config)
	}
	// By name with the labels reversed: com.example (twice), org.example.
	assert.Equal(t, []string{"example.com.", "example.com.", "example.org."}, names)

	pub, priv := out.HostedZones[0], out.HostedZones[1]
	if pub.Config.PrivateZone {
		pub, priv = priv, pub
	}
	assert.False(t, pub.Config.PrivateZone)
	assert.Equal(t, int64(8), aws.ToInt64(pub.ResourceRecordSetCount), "A, CAA, NS (two records), SOA, wildcard A, two CNAMEs, TXT")
	assert.True(t, priv.Config.PrivateZone)
	assert.Equal(t, "split horizon", aws.ToString(priv.Config.Comment))

	// The same zones get the same IDs on every run.
	again := zoneIDs(t, c)
	assert.Equal(t, aws.ToString(pub.Id), again["example.com."])

	private, err := c.ListHostedZones(ctx, &r53.ListHostedZonesInput{HostedZoneType: types.HostedZoneTypePrivateHostedZone})
	require.NoError(t, err)
	require.Len(t, private.HostedZones, 1)
	assert.True(t, private.HostedZones[0].Config.PrivateZone)
}

func TestListHostedZonesPages(t *testing.T) {
	_, c := start(t, newMem(), route53.Config{})
	var got []string
	p := r53.NewListHostedZonesPaginator(c, &r53.ListHostedZonesInput{MaxItems: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, z := range out.HostedZones {
			got = append(got, aws.ToString(z.Id))
		}
	}
	assert.Equal(t, 2, pages)
	assert.Len(t, got, 3)
	all := zoneIDs(t, c)
	assert.ElementsMatch(t, []string{all["example.com."], all["private:example.com."], all["example.org."]}, got)

	_, err := c.ListHostedZones(ctx, &r53.ListHostedZonesInput{Marker: aws.String("ZNOTAZONE")})
	var invalid *types.InvalidInput
	require.ErrorAs(t, err, &invalid)
}

func TestListHostedZonesByName(t *testing.T) {
	_, c := start(t, newMem(), route53.Config{})
	out, err := c.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{DNSName: aws.String("example.org"), MaxItems: aws.Int32(1)})
	require.NoError(t, err)
	require.Len(t, out.HostedZones, 1)
	assert.Equal(t, "example.org.", aws.ToString(out.HostedZones[0].Name))
	assert.False(t, out.IsTruncated)
	assert.Equal(t, "example.org", aws.ToString(out.DNSName))

	out, err = c.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{MaxItems: aws.Int32(1)})
	require.NoError(t, err)
	require.Len(t, out.HostedZones, 1)
	assert.Equal(t, "example.com.", aws.ToString(out.HostedZones[0].Name))
	assert.True(t, out.IsTruncated)
	assert.Equal(t, "example.com.", aws.ToString(out.NextDNSName), "the split-horizon twin comes next")
	next, err := c.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{DNSName: out.NextDNSName, HostedZoneId: out.NextHostedZoneId, MaxItems: aws.Int32(1)})
	require.NoError(t, err)
	require.Len(t, next.HostedZones, 1)
	assert.Equal(t, aws.ToString(out.NextHostedZoneId), aws.ToString(next.HostedZones[0].Id)[len("/hostedzone/"):])
}

func TestGetHostedZone(t *testing.T) {
	_, c := start(t, newMem(), route53.Config{})
	ids := zoneIDs(t, c)

	pub, err := c.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: aws.String(ids["example.com."])})
	require.NoError(t, err, "the SDK takes the /hostedzone/ prefix off")
	assert.Equal(t, "example.com.", aws.ToString(pub.HostedZone.Name))
	require.NotNil(t, pub.DelegationSet)
	assert.Equal(t, []string{"ns1.example.com", "ns2.example.com"}, pub.DelegationSet.NameServers)
	assert.Empty(t, pub.VPCs)

	priv, err := c.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: aws.String(ids["private:example.com."])})
	require.NoError(t, err)
	assert.True(t, priv.HostedZone.Config.PrivateZone)
	assert.Nil(t, priv.DelegationSet)
	require.Len(t, priv.VPCs, 1)
	assert.Equal(t, types.VPCRegionEuWest1, priv.VPCs[0].VPCRegion)
	assert.Regexp(t, `^vpc-[0-9a-f]{16}$`, aws.ToString(priv.VPCs[0].VPCId))

	_, err = c.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: aws.String("Z0000000000000000000")})
	var nsz *types.NoSuchHostedZone
	require.ErrorAs(t, err, &nsz)
	assert.Equal(t, "No hosted zone found with ID: Z0000000000000000000", nsz.ErrorMessage())
	var re *awshttp.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusNotFound, re.HTTPStatusCode())
}

func TestListResourceRecordSets(t *testing.T) {
	_, c := start(t, newMem(), route53.Config{})
	id := zoneIDs(t, c)["example.com."]
	out, err := c.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
	require.NoError(t, err)
	assert.False(t, out.IsTruncated)
	assert.Equal(t, int32(300), aws.ToInt32(out.MaxItems))
	var got []string
	for _, s := range out.ResourceRecordSets {
		got = append(got, aws.ToString(s.Name)+" "+string(s.Type))
	}
	assert.Equal(t, []string{
		"example.com. A", "example.com. CAA", "example.com. NS", "example.com. SOA",
		`\052.example.com. A`, // "*" is escaped; "\" sorts before letters
		"_38d0c69c826e1b7de6fc26a214d5a5be.example.com. CNAME",
		"a.b.example.com. TXT",
		"www.example.com. CNAME",
	}, got)
	ns := out.ResourceRecordSets[2]
	assert.Equal(t, int64(300), aws.ToInt64(ns.TTL))
	require.Len(t, ns.ResourceRecords, 2)
	assert.Equal(t, "ns1.example.com.", aws.ToString(ns.ResourceRecords[0].Value))
	assert.Equal(t, `"hello world"`, aws.ToString(out.ResourceRecordSets[6].ResourceRecords[0].Value))
}

func TestListResourceRecordSetsPages(t *testing.T) {
	_, c := start(t, newMem(), route53.Config{})
	id := zoneIDs(t, c)["example.com."]
	all, err := c.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
	require.NoError(t, err)

	// The SDK has no paginator for this operation (its token is three
	// members), so page by hand as clients do.
	var got []types.ResourceRecordSet
	in := &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id), MaxItems: aws.Int32(3)}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		out, err := c.ListResourceRecordSets(ctx, in)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(out.ResourceRecordSets), 3)
		got = append(got, out.ResourceRecordSets...)
		if !out.IsTruncated {
			break
		}
		require.NotNil(t, out.NextRecordName)
		in.StartRecordName, in.StartRecordType = out.NextRecordName, out.NextRecordType
	}
	assert.Equal(t, all.ResourceRecordSets, got)

	// A start between record sets begins at the next one.
	out, err := c.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id),
		StartRecordName: aws.String("example.com"), StartRecordType: types.RRTypeMx, MaxItems: aws.Int32(1)})
	require.NoError(t, err)
	require.Len(t, out.ResourceRecordSets, 1)
	assert.Equal(t, types.RRTypeNs, out.ResourceRecordSets[0].Type)
	assert.True(t, out.IsTruncated)
	assert.Equal(t, types.RRTypeSoa, out.NextRecordType)

	_, err = c.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id), StartRecordType: types.RRTypeA})
	var invalid *types.InvalidInput
	require.ErrorAs(t, err, &invalid, "a type needs a name")

	_, err = c.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String("ZNOPE")})
	var nsz *types.NoSuchHostedZone
	require.ErrorAs(t, err, &nsz)
}

func cname(name, value string, ttl int64) *types.ResourceRecordSet {
	return &types.ResourceRecordSet{Name: aws.String(name), Type: types.RRTypeCname, TTL: aws.Int64(ttl),
		ResourceRecords: []types.ResourceRecord{{Value: aws.String(value)}}}
}

func change(action types.ChangeAction, set *types.ResourceRecordSet) types.Change {
	return types.Change{Action: action, ResourceRecordSet: set}
}

func changeBatch(t *testing.T, c *r53.Client, id string, changes ...types.Change) (*r53.ChangeResourceRecordSetsOutput, error) {
	t.Helper()
	return c.ChangeResourceRecordSets(ctx, &r53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(id),
		ChangeBatch: &types.ChangeBatch{Comment: aws.String("renewsim test"), Changes: changes}})
}

const (
	validation      = "_38d0c69c826e1b7de6fc26a214d5a5be.example.com."
	validationValue = "_cc23a6b1f7c3e5d09a8f8e1d2c3b4a59.kbwbeyjmug.acm-validations.aws."
)

func TestChangeResourceRecordSets(t *testing.T) {
	b := newMem()
	_, c := start(t, b, route53.Config{})
	id := zoneIDs(t, c)["example.com."]

	out, err := changeBatch(t, c, id,
		change(types.ChangeActionDelete, cname(validation, validationValue, 300)),
		change(types.ChangeActionCreate, cname("new.example.com", "example.com", 60)),
		change(types.ChangeActionUpsert, &types.ResourceRecordSet{Name: aws.String("example.com."), Type: types.RRTypeCaa, TTL: aws.Int64(300),
			ResourceRecords: []types.ResourceRecord{{Value: aws.String(`0 issue "letsencrypt.org"`)}}}),
	)
	require.NoError(t, err)
	ci := out.ChangeInfo
	assert.Regexp(t, `^/change/C[A-Z2-7]{20}$`, aws.ToString(ci.Id))
	assert.Equal(t, types.ChangeStatusPending, ci.Status)
	assert.True(t, t0.Equal(aws.ToTime(ci.SubmittedAt)), "submitted at the backend's time: %v", ci.SubmittedAt)
	assert.Equal(t, "renewsim test", aws.ToString(ci.Comment))

	require.Len(t, b.applied, 1)
	assert.Equal(t, []route53.Change{
		{Action: route53.ActionDelete, Set: route53.RecordSet{Name: validation, Type: "CNAME", TTL: 300, Values: []string{validationValue}}},
		{Action: route53.ActionCreate, Set: route53.RecordSet{Name: "new.example.com.", Type: "CNAME", TTL: 60, Values: []string{"example.com"}}},
		{Action: route53.ActionUpsert, Set: route53.RecordSet{Name: "example.com.", Type: "CAA", TTL: 300, Values: []string{`0 issue "letsencrypt.org"`}}},
	}, b.applied[0])

	got, err := c.GetChange(ctx, &r53.GetChangeInput{Id: ci.Id})
	require.NoError(t, err, "the SDK takes the /change/ prefix off")
	assert.Equal(t, types.ChangeStatusInsync, got.ChangeInfo.Status)
	assert.Equal(t, aws.ToString(ci.Id), aws.ToString(got.ChangeInfo.Id))

	// The SDK's waiter polls GetChange until INSYNC.
	w := r53.NewResourceRecordSetsChangedWaiter(c, func(o *r53.ResourceRecordSetsChangedWaiterOptions) { o.MinDelay = time.Millisecond })
	require.NoError(t, w.Wait(ctx, &r53.GetChangeInput{Id: ci.Id}, time.Minute))

	_, err = c.GetChange(ctx, &r53.GetChangeInput{Id: aws.String("CNOSUCHCHANGE")})
	var nsc *types.NoSuchChange
	require.ErrorAs(t, err, &nsc)

	// What was applied is what is listed now.
	list, err := c.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id), StartRecordName: aws.String(validation), MaxItems: aws.Int32(1)})
	require.NoError(t, err)
	assert.Equal(t, "a.b.example.com.", aws.ToString(list.ResourceRecordSets[0].Name), "the validation CNAME is gone")
}

// invalidBatch sends the batch and returns Route 53's messages.
func invalidBatch(t *testing.T, c *r53.Client, id string, changes ...types.Change) string {
	t.Helper()
	_, err := changeBatch(t, c, id, changes...)
	var icb *types.InvalidChangeBatch
	require.ErrorAs(t, err, &icb, "%v", err)
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "InvalidChangeBatch", api.ErrorCode())
	return icb.ErrorMessage()
}

func TestChangeBatchRefused(t *testing.T) {
	b := newMem()
	_, c := start(t, b, route53.Config{})
	id := zoneIDs(t, c)["example.com."]
	for _, tc := range []struct {
		name    string
		changes []types.Change
		want    string
	}{
		{"delete missing", []types.Change{change(types.ChangeActionDelete, cname("gone.example.com.", "x.example.com.", 300))},
			"[Tried to delete resource record set [name='gone.example.com.', type='CNAME'] but it was not found]"},
		{"delete with another value", []types.Change{change(types.ChangeActionDelete, cname(validation, "_other.acm-validations.aws.", 300))},
			"[Tried to delete resource record set [name='" + validation + "', type='CNAME'] but the values provided do not match the current values]"},
		{"delete with another TTL", []types.Change{change(types.ChangeActionDelete, cname(validation, validationValue, 60))},
			"but the values provided do not match the current values"},
		{"create existing", []types.Change{change(types.ChangeActionCreate, cname("www.example.com", "example.com.", 300))},
			"[Tried to create resource record set [name='www.example.com.', type='CNAME'] but it already exists]"},
		{"outside the zone", []types.Change{change(types.ChangeActionCreate, cname("www.example.org.", "example.com.", 300))},
			"[RRSet with DNS name www.example.org. is not permitted in zone example.com.]"},
		{"cname at apex", []types.Change{change(types.ChangeActionUpsert, cname("example.com.", "example.org.", 300))},
			"[RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.]"},
		{"data beside a cname", []types.Change{change(types.ChangeActionCreate, &types.ResourceRecordSet{Name: aws.String("www.example.com."), Type: types.RRTypeTxt, TTL: aws.Int64(300),
			ResourceRecords: []types.ResourceRecord{{Value: aws.String(`"x"`)}}})},
			"[RRSet of type TXT with DNS name www.example.com. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.]"},
		{"bad address", []types.Change{change(types.ChangeActionCreate, &types.ResourceRecordSet{Name: aws.String("h.example.com."), Type: types.RRTypeA, TTL: aws.Int64(300),
			ResourceRecords: []types.ResourceRecord{{Value: aws.String("300.1.1.1")}}})},
			"Invalid Resource Record: 'FATAL problem: ARDATAInvalid"},
		{"apex NS", []types.Change{change(types.ChangeActionDelete, &types.ResourceRecordSet{Name: aws.String("example.com."), Type: types.RRTypeNs, TTL: aws.Int64(300),
			ResourceRecords: []types.ResourceRecord{{Value: aws.String("ns1.example.com.")}, {Value: aws.String("ns2.example.com.")}}})},
			"[A HostedZone must contain at least one NS record for the zone itself.]"},
		{"two failures", []types.Change{
			change(types.ChangeActionDelete, cname("gone.example.com.", "x.example.com.", 300)),
			change(types.ChangeActionCreate, cname("www.example.com", "example.com.", 300))},
			"[Tried to delete resource record set [name='gone.example.com.', type='CNAME'] but it was not found, Tried to create resource record set [name='www.example.com.', type='CNAME'] but it already exists]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, invalidBatch(t, c, id, tc.changes...), tc.want)
		})
	}
	assert.Empty(t, b.applied, "a refused batch changes nothing")

	// Delete and create in one batch replaces a set: the second change
	// sees the zone as the first left it.
	_, err := changeBatch(t, c, id,
		change(types.ChangeActionDelete, cname("www.example.com.", "example.com.", 300)),
		change(types.ChangeActionCreate, cname("www.example.com.", "example.org.", 300)))
	require.NoError(t, err)
	// Names and values compare as DNS data: case and the final dot do
	// not count.
	_, err = changeBatch(t, c, id, change(types.ChangeActionDelete, cname("WWW.Example.com", "EXAMPLE.org", 300)))
	require.NoError(t, err)
}

func TestChangeBatchInvalidInput(t *testing.T) {
	b := newMem()
	_, c := start(t, b, route53.Config{})
	id := zoneIDs(t, c)["example.com."]
	alias := &types.ResourceRecordSet{Name: aws.String("a.example.com."), Type: types.RRTypeA,
		AliasTarget: &types.AliasTarget{DNSName: aws.String("d111111abcdef8.cloudfront.net."), HostedZoneId: aws.String("Z2FDTNDATAQYW2")}}
	_, err := changeBatch(t, c, id, change(types.ChangeActionCreate, alias))
	var invalid *types.InvalidInput
	require.ErrorAs(t, err, &invalid)
	assert.Contains(t, invalid.ErrorMessage(), "does not simulate AliasTarget")

	noTTL := &types.ResourceRecordSet{Name: aws.String("a.example.com."), Type: types.RRTypeA, ResourceRecords: []types.ResourceRecord{{Value: aws.String("127.0.0.1")}}}
	_, err = changeBatch(t, c, id, change(types.ChangeActionCreate, noTTL))
	require.ErrorAs(t, err, &invalid)
	assert.Contains(t, invalid.ErrorMessage(), "Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]")
	assert.Empty(t, b.applied)
}

func TestBackendFailure(t *testing.T) {
	b := newMem()
	b.fail = errBroken
	_, c := start(t, b, route53.Config{})
	id := zoneIDs(t, c)["example.com."]
	_, err := changeBatch(t, c, id, change(types.ChangeActionCreate, cname("n.example.com.", "example.com.", 60)))
	var re *awshttp.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusInternalServerError, re.HTTPStatusCode())

	b.fail = &route53.Error{Code: "PriorRequestNotComplete", Message: "the simulation has ended"}
	_, err = changeBatch(t, c, id, change(types.ChangeActionCreate, cname("n.example.com.", "example.com.", 60)))
	var prnc *types.PriorRequestNotComplete
	require.ErrorAs(t, err, &prnc)
}

func TestAccessDenied(t *testing.T) {
	_, c := start(t, newMem(), route53.Config{Deny: []string{"listresourcerecordsets"}, Account: "111122223333"})
	id := zoneIDs(t, c)["example.com."]
	_, err := c.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "AccessDenied", api.ErrorCode())
	assert.Equal(t, "User: arn:aws:iam::111122223333:user/renewsim is not authorized to perform: route53:ListResourceRecordSets on resource: arn:aws:route53:::hostedzone/"+id[len("/hostedzone/"):]+
		" because no identity-based policy allows the route53:ListResourceRecordSets action", api.ErrorMessage())
	var re *awshttp.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusForbidden, re.HTTPStatusCode())
}

func TestThrottling(t *testing.T) {
	// A clock that moves 100 ms per request: at 5 requests a second the
	// bucket of 5 empties and refills at half the pace requests arrive.
	now := t0
	clock := func() time.Time { now = now.Add(100 * time.Millisecond); return now }
	srv, _ := start(t, newMem(), route53.Config{RateLimit: 5, Clock: clock})
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := r53.New(r53.Options{
		BaseEndpoint: aws.String(srv.URL()), Region: "us-east-1", HTTPClient: &http.Client{Transport: tr},
		Credentials: credentialsFor(),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 10
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			o.RateLimiter = noLimit{}
		}),
	})
	for range 20 {
		_, err := c.ListHostedZones(ctx, &r53.ListHostedZonesInput{})
		require.NoError(t, err, "the SDK retries Throttling")
	}
	throttled := 0
	for _, r := range srv.History() {
		if r.ErrorCode == "Throttling" {
			throttled++
			assert.Equal(t, http.StatusBadRequest, r.Status)
		}
	}
	assert.Positive(t, throttled)

	// Without retries the client sees the error.
	one := client(srv.URL(), tr, 1)
	var err error
	for range 10 {
		if _, err = one.ListHostedZones(ctx, &r53.ListHostedZonesInput{}); err != nil {
			break
		}
	}
	var api smithy.APIError
	require.True(t, errors.As(err, &api), "%v", err)
	assert.Equal(t, "Throttling", api.ErrorCode())
	assert.Equal(t, "Rate exceeded", api.ErrorMessage())
}
