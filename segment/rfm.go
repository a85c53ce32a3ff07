package segment

import (
	"fmt"
	"iter"
	"math"
	"slices"
)

// RFMSegment names a customer group by recency and frequency/monetary scores.
type RFMSegment string

// The standard named RFM segments, and two explicit groups for customers
// that cannot be scored.
const (
	Champions         RFMSegment = "Champions"
	Loyal             RFMSegment = "Loyal"
	PotentialLoyalist RFMSegment = "Potential Loyalist"
	NewCustomers      RFMSegment = "New Customers"
	Promising         RFMSegment = "Promising"
	NeedAttention     RFMSegment = "Need Attention"
	AboutToSleep      RFMSegment = "About To Sleep"
	AtRisk            RFMSegment = "At Risk"
	CannotLoseThem    RFMSegment = "Cannot Lose Them"
	Hibernating       RFMSegment = "Hibernating"
	Lost              RFMSegment = "Lost"
	// NoPurchases holds customers without orders: they have no recency,
	// frequency or monetary value, so they are not ranked.
	NoPurchases RFMSegment = "No Purchases"
	// UndatedPurchases holds customers whose orders all lack a time: they
	// have no recency, so they are not ranked either.
	UndatedPurchases RFMSegment = "Undated Purchases"
)

// RFMSegments lists the named segments in grid order, best first, then the
// two unscored groups.
var RFMSegments = []RFMSegment{
	Champions, Loyal, PotentialLoyalist, NewCustomers, Promising, NeedAttention,
	AboutToSleep, AtRisk, CannotLoseThem, Hibernating, Lost, NoPurchases, UndatedPurchases,
}

// RFMScore is one customer's RFM values and scores. R, F and M are 1 to 5
// for scored customers and 0 for the unscored (Segment tells why).
type RFMScore struct {
	// RecencyDays is whole days from the last order to now (0 for orders
	// after now).
	RecencyDays int        `json:"recency_days"`
	Frequency   int        `json:"frequency"` // orders
	Monetary    float64    `json:"monetary"`  // Aggregates.Spend, in Aggregates.SpendCurrency
	R           int        `json:"r"`
	F           int        `json:"f"`
	M           int        `json:"m"`
	Segment     RFMSegment `json:"segment"`
}

// RFMOptions configures the named-segment grid.
type RFMOptions struct {
	// FrequencyOnly places customers on the grid by R and F alone, as the
	// common R×F grid does. By default the second axis is FM, the mean of F
	// and M rounded half up, so spend counts as well as order count.
	FrequencyOnly bool
}

// ScoreRFM scores the views' customers against each other and returns one
// score per view, in order. It reads each view's aggregates (orders, spend,
// last purchase and Now); nil views and views without aggregates are
// [NoPurchases].
//
// Scores are quintiles over the customers with at least one dated order
// (n of them), by percent rank as SQL's PERCENT_RANK defines it: p = b/(n-1),
// where b is the number of customers this one strictly beats (fewer days
// since the last order for R; more orders for F; more spend for M), and the
// score is 1 + floor(5p), with p = 1 scoring 5. For M, n and b count only
// customers whose spend is in the same currency ([Aggregates.SpendCurrency]),
// so spends in different currencies are never compared as numbers; see
// [Population] for customers without a currency and for a customer alone
// in its currency (M 3). So the scores are 1 to 5,
// with about a fifth of distinct values in each; equal values always get
// equal scores; and a value shared by many customers takes the score of the
// lowest of them: when 60% of customers ordered once, all of them get F = 1.
// When every customer ties (or there is only one), all score 1.
//
// The named segment comes from the R × FM grid below (rows R 5 to 1, columns
// FM 1 to 5). It follows the R×F grid widely used in retail analytics
// (Hibernating [1-2][1-2], At Risk [1-2][3-4], Cannot Lose Them [1-2]5,
// About To Sleep 3[1-2], Need Attention 33, Loyal [3-4][4-5], Promising 41,
// New Customers 51, Potential Loyalist [4-5][2-3], Champions 5[4-5]), with
// Lost split off as the lowest cell R1 FM1 as in Putler's eleven-segment
// table, so every cell has exactly one segment and all eleven occur:
//
//	      FM=1            FM=2                FM=3                FM=4         FM=5
//	R=5   New Customers   Potential Loyalist  Potential Loyalist  Champions    Champions
//	R=4   Promising       Potential Loyalist  Potential Loyalist  Loyal        Loyal
//	R=3   About To Sleep  About To Sleep      Need Attention      Loyal        Loyal
//	R=2   Hibernating     Hibernating         At Risk             At Risk      Cannot Lose Them
//	R=1   Lost            Hibernating         At Risk             At Risk      Cannot Lose Them
func ScoreRFM(views []*View, opts RFMOptions) []RFMScore {
	pop, _ := NewPopulation(viewAggs(views), opts, TierOptions{}) // default tier shares are valid
	scores := make([]RFMScore, len(views))
	for i, v := range views {
		scores[i] = pop.RFM(aggOf(v))
	}
	return scores
}

// viewAggs yields the aggregates of views, nil for a nil view.
func viewAggs(views []*View) iter.Seq[*Aggregates] {
	return func(yield func(*Aggregates) bool) {
		for _, v := range views {
			if !yield(aggOf(v)) {
				return
			}
		}
	}
}

func aggOf(v *View) *Aggregates {
	if v == nil {
		return nil
	}
	return v.Agg
}

// Population is what RFM scores and value tiers rank a customer against:
// the recency, order count and spend of every customer with dated orders,
// and the spend of every customer who spent. Build it from the whole
// population's aggregates, then score customers one at a time: the scores
// are those [ScoreRFM] and [ValueTiers] give over the population, without
// holding every view (32 bytes a customer, where a view holds its profile
// and aggregates). A Population is immutable and safe for concurrent use.
//
// Monetary scores and tiers rank a customer only against customers whose
// spend is in the same currency ([Aggregates.SpendCurrency]): amounts in
// different currencies are not comparable as numbers. With a reporting
// currency that is every customer; without one, each currency's customers
// are ranked apart. Customers whose events name no currency (an empty
// SpendCurrency) are ranked with the others when the population names
// exactly one currency, as their amounts are taken to be in the main
// currency ([Options.Currency]); with two or more they are a group of
// their own.
//
// When there is more than one such group, a small group does not make its
// customers stand out for being alone: a group too small to hold a VIP
// (VIP share × its spenders < 1) has none, one too small for High none
// either, so its customers are Standard; and a customer alone in its group
// scores M 3, the middle, when it spent (1 when not), rather than the 1
// [ScoreRFM] gives when every customer ties. A population of one group is
// ranked as a whole whatever its size.
type Population struct {
	rec, freq []int // sorted
	money     map[string]*moneyRanks
	split     bool // more than one currency group
	rfm       RFMOptions
	vip, high float64
}

// moneyRanks are the spends of one currency's customers, sorted.
type moneyRanks struct {
	mon   []float64 // customers with dated orders
	spend []float64 // customers with positive spend
}

// moneyOf returns the ranks of a's spend currency; an empty set when the
// population has none.
func (p *Population) moneyOf(a *Aggregates) *moneyRanks {
	if m := p.money[a.SpendCurrency]; m != nil {
		return m
	}
	return &moneyRanks{}
}

// NewPopulation reads the aggregates of every customer (nil for one
// without events). The error wraps [ErrOptions] when the tier shares are
// not 0 < VIP <= High <= 1 (zero values take the defaults).
func NewPopulation(aggs iter.Seq[*Aggregates], rfm RFMOptions, tiers TierOptions) (*Population, error) {
	vip, high := tiers.VIP, tiers.High
	if vip == 0 {
		vip = 0.05
	}
	if high == 0 {
		high = 0.20
	}
	if !(vip > 0 && vip <= high && high <= 1) || math.IsNaN(vip) || math.IsNaN(high) {
		return nil, fmt.Errorf("%w: tier shares VIP %v, High %v: want 0 < VIP <= High <= 1", ErrOptions, vip, high)
	}
	p := &Population{rfm: rfm, vip: vip, high: high, money: map[string]*moneyRanks{}}
	money := func(a *Aggregates) *moneyRanks {
		m := p.money[a.SpendCurrency]
		if m == nil {
			m = &moneyRanks{}
			p.money[a.SpendCurrency] = m
		}
		return m
	}
	for a := range aggs {
		if a == nil {
			continue
		}
		if a.Spend > 0 {
			m := money(a)
			m.spend = append(m.spend, a.Spend)
		}
		if a.Purchases == 0 || a.LastPurchase.IsZero() {
			continue
		}
		p.rec = append(p.rec, int(days(a.Now, a.LastPurchase)))
		p.freq = append(p.freq, a.Purchases)
		m := money(a)
		m.mon = append(m.mon, a.Spend)
	}
	slices.Sort(p.rec)
	slices.Sort(p.freq)
	var named []string
	for c := range p.money {
		if c != "" {
			named = append(named, c)
		}
	}
	groups := len(p.money)
	if none := p.money[""]; none != nil && len(named) == 1 {
		// Amounts without a currency are in the main one (the aggregator
		// sums them into it), and here there is only one it can be.
		m := p.money[named[0]]
		m.mon = append(m.mon, none.mon...)
		m.spend = append(m.spend, none.spend...)
		p.money[""] = m
		groups--
	}
	p.split = groups > 1
	for _, m := range p.money {
		slices.Sort(m.mon) // a merged group twice: cheap once sorted
		slices.Sort(m.spend)
	}
	return p, nil
}

// RFM scores one customer's aggregates (nil for none) against the
// population, as [ScoreRFM] documents.
func (p *Population) RFM(a *Aggregates) RFMScore {
	var s RFMScore
	if a == nil || a.Purchases == 0 {
		s.Segment = NoPurchases
		return s
	}
	s.Frequency, s.Monetary = a.Purchases, a.Spend
	if a.LastPurchase.IsZero() {
		s.Segment = UndatedPurchases
		return s
	}
	s.RecencyDays = int(days(a.Now, a.LastPurchase))
	n := len(p.rec)
	// Beaten for recency: customers with strictly more days.
	_, hiR := rankOf(p.rec, s.RecencyDays)
	s.R = quintile(n-hiR, n)
	loF, _ := rankOf(p.freq, s.Frequency)
	s.F = quintile(loF, n)
	mon := p.moneyOf(a).mon
	loM, _ := rankOf(mon, s.Monetary)
	s.M = quintile(loM, len(mon))
	if p.split && len(mon) == 1 && s.Monetary > 0 {
		// Alone in its currency: nothing says whether it spent much or
		// little, and 1 would call it the lowest spender.
		s.M = 3
	}
	fm := s.F
	if !p.rfm.FrequencyOnly {
		fm = (s.F + s.M + 1) / 2
	}
	s.Segment = rfmGrid[s.R-1][fm-1]
	return s
}

// Tier places one customer's aggregates (nil for none) in a value tier,
// as [ValueTiers] documents.
func (p *Population) Tier(a *Aggregates) ValueTier {
	if a == nil || a.Spend <= 0 {
		return TierNone
	}
	spend := p.moneyOf(a).spend
	n := float64(len(spend))
	_, le := rankOf(spend, a.Spend)
	above := n - float64(le)
	// Beside other currencies' groups, a group too small for a tier does
	// not give it: one EUR customer among GBP ones is not a VIP for being
	// alone. A population of one group keeps its top spender a VIP.
	small := func(share float64) bool { return p.split && share*n < 1 }
	switch {
	case above < p.vip*n && !small(p.vip):
		return TierVIP
	case above < p.high*n && !small(p.high):
		return TierHigh
	}
	return TierStandard
}

// Score sets v's RFM score and value tier.
func (p *Population) Score(v *View) {
	v.RFM, v.Tier = p.RFM(v.Agg), p.Tier(v.Agg)
}

// AssignRFM scores the views with [ScoreRFM] and stores each score in its
// view, so conditions can use rfm_segment, rfm_r, rfm_f and rfm_m.
func AssignRFM(views []*View, opts RFMOptions) {
	for i, s := range ScoreRFM(views, opts) {
		if views[i] != nil {
			views[i].RFM = s
		}
	}
}

// rankOf returns how many sorted values are < x and how many are <= x.
func rankOf[T int | float64](sorted []T, x T) (int, int) {
	lo, _ := slices.BinarySearch(sorted, x)
	hi := lo
	for hi < len(sorted) && sorted[hi] == x {
		hi++
	}
	return lo, hi
}

// quintile returns 1 + floor(5 * beaten/(n-1)), capped at 5; 1 when n < 2.
func quintile(beaten, n int) int {
	if n < 2 {
		return 1
	}
	return 1 + min(4, 5*beaten/(n-1))
}

// rfmGrid[R-1][FM-1].
var rfmGrid = [5][5]RFMSegment{
	{Lost, Hibernating, AtRisk, AtRisk, CannotLoseThem},                        // R=1
	{Hibernating, Hibernating, AtRisk, AtRisk, CannotLoseThem},                 // R=2
	{AboutToSleep, AboutToSleep, NeedAttention, Loyal, Loyal},                  // R=3
	{Promising, PotentialLoyalist, PotentialLoyalist, Loyal, Loyal},            // R=4
	{NewCustomers, PotentialLoyalist, PotentialLoyalist, Champions, Champions}, // R=5
}

// ValueTier is a customer's value tier by spend.
type ValueTier string

// Value tiers.
const (
	TierVIP      ValueTier = "vip"
	TierHigh     ValueTier = "high"
	TierStandard ValueTier = "standard"
	TierNone     ValueTier = "none" // no spend
)

// Tiers lists the value tiers, highest first.
var Tiers = []ValueTier{TierVIP, TierHigh, TierStandard, TierNone}

// TierOptions sets the shares of spending customers in the top tiers.
// Zero values take the defaults: VIP 0.05 (top 5%), High 0.20 (top 20%,
// VIPs included). They are common starting points, not tuned to any data.
type TierOptions struct {
	VIP  float64
	High float64
}

// AssignTiers computes [ValueTiers] and stores each tier in its view, so
// conditions can use value_tier.
func AssignTiers(views []*View, opts TierOptions) error {
	tiers, err := ValueTiers(views, opts)
	if err != nil {
		return err
	}
	for i, t := range tiers {
		if views[i] != nil {
			views[i].Tier = t
		}
	}
	return nil
}

// ValueTiers ranks the views' customers by spend and returns one tier per
// view, in order. Among the n customers with positive spend in the same
// currency ([Aggregates.SpendCurrency]: the reporting currency, or each
// customer's main currency without one), a customer whose
// spend is strictly exceeded by fewer than VIP·n others is a VIP, by fewer
// than High·n others High, and Standard otherwise: customers tied at a
// boundary all get the higher tier, so a tier can hold a little more than its
// share. When customers spend in several currencies, a currency's group too
// small to hold a tier's share of one customer (VIP·n < 1, High·n < 1) has
// none of that tier, and customers without a currency are ranked as
// [Population] says. Customers without spend are [TierNone]. The error wraps [ErrOptions]
// when the shares are not 0 < VIP <= High <= 1.
func ValueTiers(views []*View, opts TierOptions) ([]ValueTier, error) {
	pop, err := NewPopulation(viewAggs(views), RFMOptions{}, opts)
	if err != nil {
		return nil, err
	}
	tiers := make([]ValueTier, len(views))
	for i, v := range views {
		tiers[i] = pop.Tier(aggOf(v))
	}
	return tiers, nil
}
