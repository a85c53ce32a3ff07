package main

import (
	"cmp"
	"slices"

	"github.com/unifyhq/unify/segment"
)

// segments are Harbour & Pine's marketing segments, written in the segment
// language. Windows count back from now (2026-11-20). The cut-offs are the
// retailer's business choices, not fitted to this data.
var segments = []*segment.Segment{
	// The top 5% of customers by spend (value tiers rank the population).
	segment.MustNew("vip", `value_tier = "vip"`),
	// Customers worth a lot who have gone quiet: win them back first.
	segment.MustNew("high_value_at_risk", `value_tier in ("vip", "high") and recency_days > 90`),
	// Bought before, but nothing in the last year.
	segment.MustNew("lapsed", `purchase_count >= 1 and last_purchase before 365d`),
	// First order in the last four months.
	segment.MustNew("new", `first_purchase within 120d`),
	// Complained more than once and reached us on several channels: a
	// service recovery call, not a marketing email.
	segment.MustNew("multi_channel_complainers", `complaint_count >= 2 and channel_count >= 2`),
	// Most of their activity is in the app.
	segment.MustNew("app_first", `channel = "app"`),
	// Subscribed to the newsletter but never ordered online.
	segment.MustNew("subscribers_not_buyers", `sources contains "newsletter" and purchase_count = 0`),
}

// segmentResult is one segment's membership.
type segmentResult struct {
	Name      string   `json:"name"`
	Condition string   `json:"condition"`
	Members   int      `json:"members"`
	Top       []string `json:"top"` // the biggest spenders in it
}

// rfmCount is how many customers an RFM segment holds.
type rfmCount struct {
	Segment segment.RFMSegment `json:"segment"`
	Members int                `json:"members"`
}

// topN is how many member names a segment shows.
const topN = 4

// evaluate runs every segment over the population views.
func evaluate(views []*segment.View) []segmentResult {
	bySpend := slices.Clone(views)
	slices.SortStableFunc(bySpend, func(a, b *segment.View) int {
		return cmp.Compare(spend(b), spend(a))
	})
	var out []segmentResult
	for _, s := range segments {
		r := segmentResult{Name: s.Name(), Condition: s.String(), Top: []string{}}
		for _, v := range bySpend {
			if !s.Match(v) {
				continue
			}
			r.Members++
			if len(r.Top) < topN {
				r.Top = append(r.Top, displayName(v.Profile))
			}
		}
		out = append(out, r)
	}
	return out
}

// rfmCounts counts the customers of each named RFM segment.
func rfmCounts(views []*segment.View) []rfmCount {
	n := map[segment.RFMSegment]int{}
	for _, v := range views {
		n[v.RFM.Segment]++
	}
	var out []rfmCount
	for _, s := range segment.RFMSegments {
		if n[s] > 0 {
			out = append(out, rfmCount{s, n[s]})
		}
	}
	return out
}

func spend(v *segment.View) float64 {
	if v.Agg == nil {
		return 0
	}
	return v.Agg.Spend
}
