package scenarios

import (
	"errors"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// overrides applies the profile knobs under overrides, each checked against
// its own range, then the rules that relate knobs (sim.Profile.Check): a
// broken rule is reported at an override it names, or at at when the
// scenario overrides none of them.
func (l *loader) overrides(f *field, p *sim.Profile, at pos) {
	o := &overridden{written: map[string]pos{}, refused: map[string]bool{}}
	if f != nil {
		if om := l.mapping(f.val, f.vpos, "overrides", nil); om != nil {
			at = f.kpos
			for _, kf := range om.fields {
				l.override(kf, p, o)
			}
		}
	}
	l.profileRules(p, o, at)
}

// overridden are the knobs set, and refused those whose value was
// reported and not set: a rule they break holds the profile's value, not
// the scenario's, and is reported at the other knob, if written.
type overridden struct {
	written map[string]pos
	refused map[string]bool
}

// override sets one knob.
func (l *loader) override(kf *field, p *sim.Profile, o *overridden) {
	kind, ok := sim.KnobKind(kf.name)
	if !ok {
		l.errf(kf.kpos, "overrides: %v", p.Set(kf.name, ""))
		return
	}
	value, ok := l.knobValue(kf)
	if !ok {
		return
	}
	o.written[kf.name] = kf.vpos
	if kind == "duration" && durationTooLong(value) {
		l.errf(kf.vpos, "%s: duration %q is too long (more than %s)", kf.name, value, sim.FormatDuration(maxDuration))
		o.refused[kf.name] = true
		return
	}
	if err := p.Set(kf.name, value); err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, kf.name) {
			msg = kf.name + ": " + msg
		}
		l.errf(kf.vpos, "%s", msg)
		o.refused[kf.name] = true
	}
}

// knobValue is a knob's value as sim.Profile.Set reads it: a single
// value, or a list of them joined by commas.
func (l *loader) knobValue(kf *field) (string, bool) {
	switch {
	case kf.null():
		l.errf(kf.vpos, "key %q in overrides has no value", kf.name)
		return "", false
	case kf.val.Kind == yaml.ScalarNode:
		return kf.val.Value, true
	case kf.val.Kind == yaml.SequenceNode:
		parts := []string{}
		for _, c := range kf.val.Content {
			c = resolve(c)
			if c == nil || c.Kind != yaml.ScalarNode {
				l.errf(kf.vpos, "%s: want a list of single values", kf.name)
				return "", false
			}
			parts = append(parts, c.Value)
		}
		return strings.Join(parts, ", "), true
	}
	l.errf(kf.vpos, "%s: want a single value, got %s", kf.name, kindName(kf.val))
	return "", false
}

// profileRules reports the rules that relate knobs which the profile
// breaks, each at a knob it names that the scenario set, or at at.
func (l *loader) profileRules(p *sim.Profile, o *overridden, at pos) {
	err := p.Check()
	if err == nil {
		return
	}
	var kes sim.KnobErrors
	if !errors.As(err, &kes) {
		l.errf(at, "profile: %v", err)
		return
	}
	for _, ke := range kes {
		where, ok := o.written[ke.Knob]
		if !ok || o.refused[ke.Knob] {
			where, ok = o.written[ke.Other]
			if o.refused[ke.Other] {
				ok = false
			}
		}
		switch {
		case ok:
			l.errf(where, "%s", ke.Msg)
		case !o.refused[ke.Knob] && !o.refused[ke.Other]:
			l.errf(at, "%s", ke.Msg)
		}
	}
}
