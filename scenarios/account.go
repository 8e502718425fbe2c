package scenarios

import (
	"strconv"

	"github.com/renewsim/renewsim/sim"
)

// accountConfig reads days_before_expiry, the account's ExpiryEventsConfiguration
// (PutAccountConfiguration's DaysBeforeExpiry, from 1, with no maximum:
// sim.DaysBeforeExpiry, the rule check applies to the account
// configuration too): from how many days before expiry ACM sends the daily
// Approaching Expiration event, for every certificate of the account. It
// sets the profile's approaching_expiration_days and
// private_approaching_expiration_days, so an override of either cannot go
// with it.
func (l *loader) accountConfig(b *build, d *scenarioDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		l.errf(f.vpos, "days_before_expiry: want a whole number of days from 1 (ExpiryEventsConfiguration's valid range: minimum 1, no maximum), got %q", s)
		return
	}
	n, err := sim.DaysBeforeExpiry(v)
	if err != nil {
		l.errf(f.vpos, "days_before_expiry: %v", err)
		return
	}
	if of := d.m.get("overrides"); of != nil {
		if om := l.quietMapping(of); om != nil {
			for _, k := range []string{"approaching_expiration_days", "private_approaching_expiration_days"} {
				if om.has(k) {
					l.errf(f.kpos, "days_before_expiry sets %s for the account; leave it out of overrides (line %d)", k, om.field(k).kpos.line)
				}
			}
		}
	}
	b.sc.Profile.ApproachingDaysPublic = n
	b.sc.Profile.ApproachingDaysPrivate = n
}

// accountConfigEmpty reports days_before_expiry written without a value.
func (l *loader) accountConfigEmpty(_ *build, d *scenarioDraft, f *field) {
	if f != nil {
		l.require(d.m, "days_before_expiry")
	}
}

// quietMapping reads a mapping already checked (and reported) elsewhere.
func (l *loader) quietMapping(f *field) *mapping {
	errs := len(l.errs)
	om := l.mapping(f.val, f.vpos, "overrides", nil)
	l.errs = l.errs[:errs]
	return om
}
