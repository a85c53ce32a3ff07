package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
	"github.com/unifyhq/unify/segment"
)

// showcase lists the customers the tour shows, each found by a key that
// one source system knows them by: that is how a support agent or a
// marketer arrives at a customer.
var showcase = []struct {
	why string
	ref profile.Ref
}{
	{"a VIP, who wrote his name in Greek in the web shop", profile.Ref{Source: "webshop", Key: "5117"}},
	{"a complainer written six ways: Peggy, ODonnell, O’Donnell, Mrs O'Donnell, ...", profile.Ref{Source: "webshop", Key: "5144"}},
	{"moved from Seattle to Denver, with a new phone number", profile.Ref{Source: "crm", Key: "C11210"}},
	{"a web device, anonymous for three sessions until she logged in", profile.Ref{Source: "web", Key: "d-0711ab9146"}},
}

// customer is one showcased single customer view, with the segments it is
// in over the whole population.
type customer struct {
	Why      string              `json:"why"`
	FoundBy  profile.Ref         `json:"found_by"`
	View     *unify.CustomerView `json:"view"`
	RFM      segment.RFMScore    `json:"rfm"`
	Tier     segment.ValueTier   `json:"value_tier"`
	Segments []string            `json:"segments"`
}

// profileView is one profile of the population, as -json prints it.
type profileView struct {
	Profile    *profile.Profile    `json:"profile"`
	Aggregates *segment.Aggregates `json:"aggregates"`
	RFM        segment.RFMScore    `json:"rfm"`
	Tier       segment.ValueTier   `json:"value_tier"`
	Segments   []string            `json:"segments"`
}

func profileViews(views []*segment.View) []*profileView {
	out := make([]*profileView, len(views))
	for i, v := range views {
		out[i] = &profileView{Profile: v.Profile, Aggregates: v.Agg, RFM: v.RFM, Tier: v.Tier, Segments: segmentsOf(v)}
	}
	return out
}

// segmentsOf names the segments a population view is in.
func segmentsOf(v *segment.View) []string {
	out := []string{}
	for _, s := range segments {
		if s.Match(v) {
			out = append(out, s.Name())
		}
	}
	return out
}

// customers looks up the showcased customers. Segment membership comes
// from the population views, not from the CustomerView alone, because
// value tiers and RFM scores rank a customer against all the others.
func customers(ctx context.Context, e *unify.Engine, views []*segment.View) ([]*customer, error) {
	pop := map[string]*segment.View{}
	for _, v := range views {
		pop[v.ID()] = v
	}
	var out []*customer
	for _, s := range showcase {
		p, err := e.ProfileOf(ctx, s.ref)
		if err != nil {
			return nil, err
		}
		v, err := e.View(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		c := &customer{Why: s.why, FoundBy: s.ref, View: v, Segments: []string{}}
		if pv := pop[p.ID]; pv != nil {
			c.RFM, c.Tier, c.Segments = pv.RFM, pv.Tier, segmentsOf(pv)
		}
		out = append(out, c)
	}
	return out, nil
}

// displayName is a profile's golden name.
func displayName(p *profile.Profile) string {
	var parts []string
	for _, f := range []profile.Field{profile.FieldGivenName, profile.FieldFamilyName} {
		if v, ok := p.Get(f); ok && v.Value != "" {
			parts = append(parts, v.Value)
		}
	}
	if len(parts) == 0 {
		if v, ok := p.Get(profile.FieldFullName); ok && v.Value != "" {
			return v.Value
		}
		if v, ok := p.Get(profile.FieldEmail); ok {
			return v.Value
		}
		return "(no name)"
	}
	return strings.Join(parts, " ")
}

// goldenFields lists a profile's fields in a stable order: the fixed
// vocabulary first, then identifiers, attributes and consents by name.
func goldenFields(p *profile.Profile) []profile.Field {
	var fixed, open []profile.Field
	for f := range p.Fields {
		if slices.Contains(profile.Fields, f) {
			fixed = append(fixed, f)
		} else {
			open = append(open, f)
		}
	}
	slices.SortFunc(fixed, func(a, b profile.Field) int {
		return slices.Index(profile.Fields, a) - slices.Index(profile.Fields, b)
	})
	slices.Sort(open)
	return append(fixed, open...)
}

// summary is a one-line description of a source record as written.
func summary(r *profile.Record) string {
	var parts []string
	name := r.Name.Full.Raw
	if name == "" {
		name = strings.TrimSpace(r.Name.Given.Raw + " " + r.Name.Family.Raw)
	}
	if name != "" {
		parts = append(parts, fmt.Sprintf("%q", name))
	}
	for _, e := range r.Emails {
		parts = append(parts, e.Raw)
	}
	for _, p := range r.Phones {
		parts = append(parts, p.Raw)
	}
	for _, a := range r.Addresses {
		var as []string
		for _, t := range []profile.Text{a.Street, a.Locality, a.Region, a.Postcode, a.Country} {
			if t.Raw != "" {
				as = append(as, t.Raw)
			}
		}
		if len(as) > 0 {
			parts = append(parts, strings.Join(as, ", "))
		}
	}
	if r.BirthDate.Raw != "" {
		parts = append(parts, "born "+r.BirthDate.Raw)
	}
	for _, id := range r.IDs {
		parts = append(parts, id.Type+" "+id.Raw)
	}
	if len(parts) == 0 {
		return "(no personal data: anonymous)"
	}
	return strings.Join(parts, " | ")
}
