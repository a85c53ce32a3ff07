package segment

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Report answers the engagement questions over a set of views: what prompts
// engagement (event types, campaigns), where (channels, devices, regions),
// when (hours, weekdays, months), how often (events per customer), and how
// each goes with spend. Field names in JSON are stable; lists are in a
// deterministic order (buckets by events, most first, then key; time slots
// in calendar order).
type Report struct {
	Profiles       int `json:"profiles"`
	ActiveProfiles int `json:"active_profiles"` // with at least one event
	Events         int `json:"events"`
	Orders         int `json:"orders"`
	// Spend sums the profiles' total_spend in SpendCurrency.
	Spend float64 `json:"spend"`
	// SpendCurrency is the currency of Spend and of every spend figure
	// below: the one most profiles' spend is in (Aggregates.SpendCurrency;
	// the reporting currency when the aggregator has one; ties to the
	// alphabetically first). Profiles whose events name no currency count
	// in it when it is the only one named. Empty when no event names one.
	SpendCurrency string `json:"spend_currency,omitempty"`
	// OtherCurrencyProfiles counts profiles whose spend is in another
	// currency: they count in the event figures but in no spend figure,
	// since amounts in two currencies do not add up.
	OtherCurrencyProfiles int `json:"other_currency_profiles,omitempty"`
	// MixedCurrencyProfiles counts profiles whose purchases or returns are
	// in more than one currency; without a reporting currency (or a rate)
	// the amounts outside each one's main currency are not in its spend.
	MixedCurrencyProfiles int `json:"mixed_currency_profiles"`

	EventTypes []Bucket `json:"event_types"` // what
	Campaigns  []Bucket `json:"campaigns"`   // campaign responses per campaign
	Channels   []Bucket `json:"channels"`    // where
	Devices    []Bucket `json:"devices"`
	Regions    []Bucket `json:"regions"`

	Hours    []Slot `json:"hours"`    // "00" to "23", in the aggregator's Location
	Weekdays []Slot `json:"weekdays"` // "Monday" to "Sunday" (ISO 8601 order)
	Months   []Slot `json:"months"`   // "January" to "December"

	// EventsPerProfile describes how often customers engage, over all
	// profiles (those without events count as 0).
	EventsPerProfile Distribution `json:"events_per_profile"`
	// SpendCorrelation is the Pearson correlation, over profiles, of the
	// number of events with spend; null when undefined (fewer than two
	// profiles, or no variation).
	SpendCorrelation *float64 `json:"spend_correlation"`

	// Segments holds the same report restricted to each segment's members,
	// in the order the segments were given. Empty in a segment's own report.
	Segments []SegmentReport `json:"segments,omitempty"`
}

// SegmentReport is the report of one segment's members.
type SegmentReport struct {
	Name   string  `json:"name"`
	Report *Report `json:"report"`
}

// Bucket is engagement with one value of a dimension (an event type, a
// channel, ...), and how it goes with spend.
type Bucket struct {
	Key      string `json:"key"`
	Events   int    `json:"events"`
	Profiles int    `json:"profiles"` // profiles with at least one such event
	// AvgSpendWith and AvgSpendWithout are the mean spend of the profiles
	// with at least one such event and of the others (0 when a group is
	// empty): "customers who use the app spend X, the others Y". Like
	// every spend figure they count the profiles whose spend is in the
	// report's SpendCurrency.
	AvgSpendWith    float64 `json:"avg_spend_with"`
	AvgSpendWithout float64 `json:"avg_spend_without"`
	// SpendCorrelation is the Pearson correlation, over all profiles in the
	// report, of the number of such events with spend; null when undefined.
	SpendCorrelation *float64 `json:"spend_correlation"`
}

// Slot is the number of events in one time slot.
type Slot struct {
	Key    string `json:"key"`
	Events int    `json:"events"`
}

// Distribution summarises a count over profiles. Quantiles are nearest-rank
// (the smallest value with at least p of the profiles at or below it).
type Distribution struct {
	Min    int     `json:"min"`
	P25    int     `json:"p25"`
	Median int     `json:"median"`
	P75    int     `json:"p75"`
	P90    int     `json:"p90"`
	Max    int     `json:"max"`
	Mean   float64 `json:"mean"`
	// Histogram counts profiles in ranges "0", "1", "2-3", "4-7", ...,
	// doubling; ranges after the largest value are left out.
	Histogram []Range `json:"histogram"`
}

// Range is the number of profiles whose count falls in a range.
type Range struct {
	Range    string `json:"range"` // "0", "1", "2-3", "4-7", ...
	Profiles int    `json:"profiles"`
}

// Engagement reports on the views and, for each segment, on its members.
// Nil views are skipped; views without aggregates count as profiles without
// events.
func Engagement(views []*View, segs ...*Segment) *Report {
	r := engagement(views)
	for _, s := range segs {
		var members []*View
		for _, v := range views {
			if s.Match(v) {
				members = append(members, v)
			}
		}
		r.Segments = append(r.Segments, SegmentReport{Name: s.Name(), Report: engagement(members)})
	}
	return r
}

// dimension accumulates one Bucket list.
type dimension struct {
	byKey map[string]*bucketAcc
}

type bucketAcc struct {
	events, profiles int
	// Over the profiles whose spend is in the report's currency only:
	spenders           int
	spendWith          float64
	sumX, sumXX, sumXY float64
}

// add counts a profile's tallies; spend is its spend, counted when inCur.
func (d *dimension) add(tallies []Tally, spend float64, inCur bool) {
	for _, t := range tallies {
		b := d.byKey[t.Name]
		if b == nil {
			b = &bucketAcc{}
			d.byKey[t.Name] = b
		}
		b.events += t.N
		b.profiles++
		if !inCur {
			continue
		}
		x := float64(t.N)
		b.spenders++
		b.spendWith += spend
		b.sumX += x
		b.sumXX += x * x
		b.sumXY += x * spend
	}
}

// buckets returns the buckets; n, sumY and sumYY are over the profiles
// whose spend is in the report's currency.
func (d *dimension) buckets(n int, sumY, sumYY float64) []Bucket {
	out := make([]Bucket, 0, len(d.byKey))
	for k, b := range d.byKey {
		bk := Bucket{Key: k, Events: b.events, Profiles: b.profiles}
		if b.spenders > 0 {
			bk.AvgSpendWith = b.spendWith / float64(b.spenders)
		}
		if rest := n - b.spenders; rest > 0 {
			bk.AvgSpendWithout = (sumY - b.spendWith) / float64(rest)
		}
		bk.SpendCorrelation = pearson(float64(n), b.sumX, b.sumXX, b.sumXY, sumY, sumYY)
		out = append(out, bk)
	}
	slices.SortFunc(out, func(x, y Bucket) int {
		if x.Events != y.Events {
			return y.Events - x.Events
		}
		return strings.Compare(x.Key, y.Key)
	})
	return out
}

// pearson returns the correlation from sums, or nil when undefined.
func pearson(n, sx, sxx, sxy, sy, syy float64) *float64 {
	if n < 2 {
		return nil
	}
	cov := n*sxy - sx*sy
	vx := n*sxx - sx*sx
	vy := n*syy - sy*sy
	if !(vx > 0) || !(vy > 0) {
		return nil
	}
	r := cov / math.Sqrt(vx*vy)
	r = math.Max(-1, math.Min(1, r))
	if math.IsNaN(r) {
		return nil
	}
	return &r
}

// reportCurrency returns the currency most views' spend is in, ties to the
// alphabetically first, and whether views without one count in it (when it
// is the only one named).
func reportCurrency(views []*View) (cur string, withNone bool) {
	n := map[string]int{}
	for _, v := range views {
		if v != nil {
			n[v.agg().SpendCurrency]++
		}
	}
	named := 0
	for c, k := range n {
		if c == "" {
			continue
		}
		named++
		if cur == "" || k > n[cur] || k == n[cur] && c < cur {
			cur = c
		}
	}
	return cur, named <= 1
}

func engagement(views []*View) *Report {
	r := &Report{}
	cur, withNone := reportCurrency(views)
	r.SpendCurrency = cur
	var spenders int
	dims := [5]dimension{}
	for i := range dims {
		dims[i].byKey = map[string]*bucketAcc{}
	}
	var hours [24]int
	var weekdays [7]int
	var months [12]int
	var perProfile []int
	var sumY, sumYY, sumX, sumXX, sumXY float64
	for _, v := range views {
		if v == nil {
			continue
		}
		r.Profiles++
		a := v.agg()
		spend := a.Spend
		inCur := a.SpendCurrency == cur || a.SpendCurrency == "" && withNone
		if a.Events > 0 {
			r.ActiveProfiles++
		}
		r.Events += a.Events
		r.Orders += a.Purchases
		if len(a.Currencies) > 1 {
			r.MixedCurrencyProfiles++
		}
		dims[0].add(a.EventTypes, spend, inCur)
		dims[1].add(a.Campaigns, spend, inCur)
		dims[2].add(a.Channels, spend, inCur)
		dims[3].add(a.Devices, spend, inCur)
		dims[4].add(a.Regions, spend, inCur)
		for i, n := range a.Hours {
			hours[i] += n
		}
		for i, n := range a.Weekdays {
			weekdays[i] += n
		}
		for i, n := range a.Months {
			months[i] += n
		}
		perProfile = append(perProfile, a.Events)
		if !inCur {
			r.OtherCurrencyProfiles++
			continue
		}
		spenders++
		r.Spend += spend
		x := float64(a.Events)
		sumX += x
		sumXX += x * x
		sumXY += x * spend
		sumY += spend
		sumYY += spend * spend
	}
	n := spenders
	r.EventTypes = dims[0].buckets(n, sumY, sumYY)
	r.Campaigns = dims[1].buckets(n, sumY, sumYY)
	r.Channels = dims[2].buckets(n, sumY, sumYY)
	r.Devices = dims[3].buckets(n, sumY, sumYY)
	r.Regions = dims[4].buckets(n, sumY, sumYY)
	r.Hours = make([]Slot, 24)
	for h := range hours {
		r.Hours[h] = Slot{Key: twoDigits(h), Events: hours[h]}
	}
	r.Weekdays = make([]Slot, 7)
	for i := range 7 {
		d := time.Weekday((i + 1) % 7) // Monday first
		r.Weekdays[i] = Slot{Key: d.String(), Events: weekdays[d]}
	}
	r.Months = make([]Slot, 12)
	for m := range months {
		r.Months[m] = Slot{Key: time.Month(m + 1).String(), Events: months[m]}
	}
	r.EventsPerProfile = distribution(perProfile)
	r.SpendCorrelation = pearson(float64(n), sumX, sumXX, sumXY, sumY, sumYY)
	return r
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func distribution(xs []int) Distribution {
	if len(xs) == 0 {
		return Distribution{Histogram: []Range{}}
	}
	slices.Sort(xs)
	q := func(p float64) int {
		k := int(math.Ceil(p*float64(len(xs)))) - 1
		return xs[max(0, min(k, len(xs)-1))]
	}
	d := Distribution{Min: xs[0], P25: q(0.25), Median: q(0.5), P75: q(0.75), P90: q(0.9), Max: xs[len(xs)-1]}
	sum := 0
	for _, x := range xs {
		sum += x
	}
	d.Mean = float64(sum) / float64(len(xs))
	// Ranges 0, 1, 2-3, 4-7, ...: range i >= 1 holds [2^(i-1), 2^i - 1].
	for lo := 0; lo <= d.Max; {
		hi := lo
		label := strconv.Itoa(lo)
		if lo >= 2 {
			hi = 2*lo - 1
			label += "-" + strconv.Itoa(hi)
		}
		lo1, _ := slices.BinarySearch(xs, lo)
		hi1, _ := slices.BinarySearch(xs, hi+1)
		d.Histogram = append(d.Histogram, Range{Range: label, Profiles: hi1 - lo1})
		if lo == 0 {
			lo = 1
		} else {
			lo *= 2
		}
	}
	return d
}
