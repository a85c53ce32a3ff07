package segment

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/unifyhq/unify/profile"
)

// ErrOptions says an [Options] value cannot be used (a rate that is not a
// positive finite number, a window that is not positive).
var ErrOptions = errors.New("segment: invalid options")

// DefaultWindows are the rolling windows reported when [Options.Windows] is nil.
var DefaultWindows = []Window{Days(30), Days(90), Days(365)}

// Options configures how an [Aggregator] turns events into [Aggregates]. The
// zero value is usable: windows of 30, 90 and 365 days, UTC, and each
// profile's amounts summed in its main currency (see Currency).
type Options struct {
	// Windows are the rolling windows reported in [Aggregates.Windows], in
	// this order. Nil means [DefaultWindows]. Conditions are not limited to
	// them: count(purchase, 45d) works whatever the windows are.
	Windows []Window
	// Location is the time zone in which active hours, weekdays and months
	// are counted. Nil means UTC.
	Location *time.Location
	// Currency is the reporting currency (ISO 4217) of [Aggregates.Spend],
	// of total_spend and spend(...) in conditions, and of RFM's monetary
	// value. An amount counts towards it when its currency is Currency, is
	// empty, or has a rate in Rates; other amounts stay in
	// [Aggregates.Currencies] and are counted in [Aggregates.Unconverted],
	// never silently added at the wrong value.
	//
	// Empty Currency means each profile's amounts are summed in its main
	// currency: the one that most of its purchase and return events name
	// (ties go to the alphabetically first code; amounts without a currency
	// are taken to be in it). Amounts in its other currencies are
	// unconverted, as above, so GBP 20 and USD 30 are never summed to 50.
	// [Aggregates.SpendCurrency] names the currency, and RFM monetary scores
	// and value tiers rank a customer only against customers whose spend is
	// in the same currency. Set Currency, with Rates, when events carry more
	// than one currency ([Aggregates.Currencies] and
	// [Report.MixedCurrencyProfiles] show whether they do).
	Currency string
	// Rates converts into Currency: Rates["USD"] = 0.92 means one USD is
	// worth 0.92 of Currency. Keys are ISO 4217 codes (case is ignored).
	Rates map[string]float64
}

// Aggregator computes [Aggregates] from events. It is immutable once built
// and safe for concurrent use.
type Aggregator struct {
	windows []Window
	loc     *time.Location
	cur     string
	rates   map[string]float64
}

// NewAggregator checks opts and returns an aggregator for them. The error
// wraps [ErrOptions] and names the bad setting.
func NewAggregator(opts Options) (*Aggregator, error) {
	a := &Aggregator{loc: opts.Location, cur: strings.ToUpper(strings.TrimSpace(opts.Currency))}
	if a.loc == nil {
		a.loc = time.UTC
	}
	a.windows = slices.Clone(opts.Windows)
	if opts.Windows == nil {
		a.windows = slices.Clone(DefaultWindows)
	}
	for i, w := range a.windows {
		if err := w.check(); err != nil {
			return nil, fmt.Errorf("%w: Windows[%d]: %v", ErrOptions, i, err)
		}
	}
	if len(opts.Rates) > 0 {
		a.rates = make(map[string]float64, len(opts.Rates))
		for k, r := range opts.Rates {
			if !(r > 0) || math.IsInf(r, 0) {
				return nil, fmt.Errorf("%w: Rates[%q] = %v: a rate must be a positive finite number", ErrOptions, k, r)
			}
			if a.cur == "" {
				return nil, fmt.Errorf("%w: Rates given without a reporting Currency to convert into", ErrOptions)
			}
			a.rates[strings.ToUpper(strings.TrimSpace(k))] = r
		}
	}
	return a, nil
}

// Tally is how many events carried one value (a channel, device, region,
// campaign or event type).
type Tally struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

// CurrencyTotal is a profile's purchases and returns in one currency, as
// recorded (not converted).
type CurrencyTotal struct {
	Currency  string  `json:"currency"` // "" when events gave none
	Purchases int     `json:"purchases"`
	Spend     float64 `json:"spend"`
	Returns   int     `json:"returns"`
	Returned  float64 `json:"returned"`
}

// WindowStats counts what happened in one rolling window [Now-Window, Now].
type WindowStats struct {
	Window     Window  `json:"window"`
	Events     int     `json:"events"`
	Purchases  int     `json:"purchases"` // orders
	Spend      float64 `json:"spend"`     // Aggregates.SpendCurrency
	Returns    int     `json:"returns"`
	Complaints int     `json:"complaints"`
	Enquiries  int     `json:"enquiries"`
}

// Aggregates summarise the events of one profile (the events of all its
// member records) as of a supplied time Now.
//
// Purchases are counted as orders: purchase events that share a non-empty
// OrderID within one source are one order (line items), at the time of its
// earliest event; a purchase without OrderID is an order of its own. Copies of
// the same event held by two sources are not detected here: remove them
// before aggregating if your sources overlap.
//
// Events with a zero Time ("undated") count in the totals (events, orders,
// spend, channels, ...) but not in first/last seen, windows, hours, weekdays
// or months. Events after Now count in the totals and first/last seen but in
// no window. Build Aggregates with [Aggregator.Compute]: the window functions
// of conditions (count, has, spend) read an index that only Compute fills.
type Aggregates struct {
	// The fields conditions read come first, so that evaluating a view
	// touches few cache lines.

	Now     time.Time `json:"now"`
	Events  int       `json:"events"`
	Undated int       `json:"undated,omitempty"`

	FirstSeen time.Time `json:"first_seen,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`

	// Purchases is the number of orders.
	Purchases     int       `json:"purchases"`
	FirstPurchase time.Time `json:"first_purchase,omitzero"`
	LastPurchase  time.Time `json:"last_purchase,omitzero"`
	// Spend is the total purchase amount in SpendCurrency.
	Spend float64 `json:"spend"`
	// SpendCurrency is the currency of Spend, Returned, AvgOrderValue and
	// window spend: the aggregator's reporting currency, or without one
	// the profile's main currency (see [Options.Currency]). It is empty when
	// neither names one.
	SpendCurrency string `json:"spend_currency,omitempty"`
	// AvgOrderValue is Spend divided by the orders whose amounts are in
	// Spend; zero when there are none.
	AvgOrderValue float64 `json:"avg_order_value"`
	// Unconverted counts purchase and return events whose amount is not in
	// Spend or Returned because their currency is not SpendCurrency and no
	// rate converts it.
	Unconverted int `json:"unconverted,omitempty"`

	Returns           int     `json:"returns"`
	Returned          float64 `json:"returned"` // SpendCurrency
	Complaints        int     `json:"complaints"`
	Enquiries         int     `json:"enquiries"`
	CampaignResponses int     `json:"campaign_responses"`

	// The Tally lists are sorted by count, largest first, then by name, so
	// ties resolve the same way every time.
	EventTypes []Tally `json:"event_types,omitempty"`
	Channels   []Tally `json:"channels,omitempty"`
	// PreferredChannel is the channel with the most events (ties: the
	// alphabetically first); empty when no event names a channel.
	PreferredChannel profile.Channel `json:"preferred_channel,omitempty"`
	Devices          []Tally         `json:"devices,omitempty"`
	Regions          []Tally         `json:"regions,omitempty"`
	// Campaigns counts campaign responses per campaign.
	Campaigns []Tally `json:"campaigns,omitempty"`

	idx eventIndex

	// Currencies holds purchases and returns per recorded currency, sorted
	// by currency code.
	Currencies []CurrencyTotal `json:"currencies,omitempty"`

	Windows []WindowStats `json:"windows,omitempty"`

	// Hours, Weekdays (Sunday first, as time.Weekday) and Months (January
	// first) count dated events in the aggregator's Location.
	Hours    [24]int `json:"hours"`
	Weekdays [7]int  `json:"weekdays"`
	Months   [12]int `json:"months"`
}

// eventIndex answers count(type, window) and spend(window) without
// allocating: dated event times per type, sorted ascending, in Unix seconds.
// Purchases are indexed per order.
type eventIndex struct {
	types []typeTimes
	// slot[i] is 1 + the position in types of stdTypes[i], 0 when absent,
	// so common types are found without comparing names.
	slot         [len(stdTypes)]int32
	orderTimes   []int64   // dated orders, ascending
	orderAmounts []float64 // converted amount per dated order
}

type typeTimes struct {
	typ     profile.EventType
	times   []int64
	undated int
}

// stdTypes are the event types indexed by slot (purchases are indexed per
// order instead).
var stdTypes = [...]profile.EventType{
	profile.Return, profile.Complaint, profile.Enquiry, profile.Visit,
	profile.CampaignResponse, profile.Signup, profile.Login,
}

// typeKey is an event type resolved once, when a condition compiles.
type typeKey struct {
	typ profile.EventType
	std int // position in stdTypes, or -1
}

func keyOf(typ profile.EventType) typeKey {
	for i, t := range stdTypes {
		if t == typ {
			return typeKey{typ, i}
		}
	}
	return typeKey{typ, -1}
}

// countType counts events of k in [from, to] (Unix seconds); all when !windowed.
func (a *Aggregates) countType(k typeKey, windowed bool, from, to int64) int {
	if k.typ == profile.Purchase {
		if !windowed {
			return a.Purchases
		}
		return countIn(a.idx.orderTimes, from, to)
	}
	var t *typeTimes
	if k.std >= 0 {
		i := a.idx.slot[k.std]
		if i == 0 {
			return 0
		}
		t = &a.idx.types[i-1]
	} else {
		for i := range a.idx.types {
			if a.idx.types[i].typ == k.typ {
				t = &a.idx.types[i]
				break
			}
		}
		if t == nil {
			return 0
		}
	}
	if !windowed {
		return len(t.times) + t.undated
	}
	return countIn(t.times, from, to)
}

// spendIn sums order amounts in [from, to].
func (a *Aggregates) spendIn(from, to int64) float64 {
	lo, hi := rangeIn(a.idx.orderTimes, from, to)
	s := 0.0
	for _, x := range a.idx.orderAmounts[lo:hi] {
		s += x
	}
	return s
}

func countIn(ts []int64, from, to int64) int {
	lo, hi := rangeIn(ts, from, to)
	return hi - lo
}

// rangeIn returns the index range of ts (sorted) holding values in [from, to].
func rangeIn(ts []int64, from, to int64) (int, int) {
	lo, _ := slices.BinarySearch(ts, from)
	hi, found := slices.BinarySearch(ts, to)
	for found && hi < len(ts) && ts[hi] == to {
		hi++
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

type orderKey struct{ source, id string }

type order struct {
	time      int64     // earliest dated event, Unix seconds; 0 and dated=false when none
	at        time.Time // the same, as the event gave it
	dated     bool
	amount    float64
	converted bool // some amount of the order is in Spend
}

// Compute aggregates the events of one profile as of now. The events may come
// in any order; the slice is not modified. An event with an empty type or an
// amount that is negative, NaN or infinite is an error wrapping
// [ErrInvalidEvent] that names the event; nothing is aggregated then.
func (ag *Aggregator) Compute(now time.Time, events []profile.Event) (*Aggregates, error) {
	return ag.compute(now, events, "")
}

// compute is Compute with the profile named in error messages.
func (ag *Aggregator) compute(now time.Time, events []profile.Event, profileID string) (*Aggregates, error) {
	for i := range events {
		if err := checkEvent(i, &events[i], profileID); err != nil {
			return nil, err
		}
	}
	a := &Aggregates{Now: now, Events: len(events), SpendCurrency: ag.cur}
	if ag.cur == "" {
		a.SpendCurrency = mainCurrency(events)
	}
	nowSec := now.Unix()

	var (
		types    = map[profile.EventType]*typeTimes{}
		channels = map[string]int{}
		devices  = map[string]int{}
		regions  = map[string]int{}
		camps    = map[string]int{}
		curs     = map[string]*CurrencyTotal{}
		orders   = map[orderKey]*order{}
		solo     []*order // purchases without an OrderID
	)
	for i := range events {
		e := &events[i]
		dated := !e.Time.IsZero()
		sec := e.Time.Unix()
		tt := types[e.Type]
		if tt == nil {
			tt = &typeTimes{typ: e.Type}
			types[e.Type] = tt
		}
		if dated {
			tt.times = append(tt.times, sec)
			if a.FirstSeen.IsZero() || e.Time.Before(a.FirstSeen) {
				a.FirstSeen = e.Time
			}
			if a.LastSeen.IsZero() || e.Time.After(a.LastSeen) {
				a.LastSeen = e.Time
			}
			lt := e.Time.In(ag.loc)
			a.Hours[lt.Hour()]++
			a.Weekdays[lt.Weekday()]++
			a.Months[lt.Month()-1]++
		} else {
			tt.undated++
			a.Undated++
		}
		if e.Channel != "" {
			channels[string(e.Channel)]++
		}
		if e.Device != "" {
			devices[e.Device]++
		}
		if e.Region != "" {
			regions[e.Region]++
		}
		switch e.Type {
		case profile.Purchase, profile.Return:
			cur := strings.ToUpper(strings.TrimSpace(e.Currency))
			ct := curs[cur]
			if ct == nil {
				ct = &CurrencyTotal{Currency: cur}
				curs[cur] = ct
			}
			amt, ok := ag.convert(e.Amount, cur, a.SpendCurrency)
			if !ok {
				a.Unconverted++
			}
			if e.Type == profile.Return {
				a.Returns++
				ct.Returns++
				ct.Returned += e.Amount
				a.Returned += amt
				break
			}
			ct.Purchases++
			ct.Spend += e.Amount
			var o *order
			if e.OrderID == "" {
				o = &order{}
				solo = append(solo, o)
			} else {
				k := orderKey{e.Record.Source, e.OrderID}
				if o = orders[k]; o == nil {
					o = &order{}
					orders[k] = o
				}
			}
			o.amount += amt
			o.converted = o.converted || ok
			if dated && (!o.dated || e.Time.Before(o.at)) {
				o.time, o.at, o.dated = sec, e.Time, true
			}
		case profile.Complaint:
			a.Complaints++
		case profile.Enquiry:
			a.Enquiries++
		case profile.CampaignResponse:
			a.CampaignResponses++
			if e.Campaign != "" {
				camps[e.Campaign]++
			}
		}
	}

	// Orders: totals, first/last purchase and the per-order index.
	all := slices.Collect(mapValues(orders))
	all = append(all, solo...)
	slices.SortFunc(all, func(x, y *order) int {
		if x.dated != y.dated {
			if x.dated {
				return -1
			}
			return 1
		}
		if c := cmpInt64(x.time, y.time); c != 0 {
			return c
		}
		// Equal times: order by amount so the float sums below do not
		// depend on map iteration order.
		return cmpFloat(x.amount, y.amount)
	})
	a.Purchases = len(all)
	converted := 0
	for _, o := range all {
		a.Spend += o.amount
		if o.converted {
			converted++
		}
		if o.dated {
			a.idx.orderTimes = append(a.idx.orderTimes, o.time)
			a.idx.orderAmounts = append(a.idx.orderAmounts, o.amount)
		}
	}
	if converted > 0 {
		a.AvgOrderValue = a.Spend / float64(converted)
	}
	for _, o := range all {
		if !o.dated {
			continue
		}
		if a.FirstPurchase.IsZero() || o.at.Before(a.FirstPurchase) {
			a.FirstPurchase = o.at
		}
		if a.LastPurchase.IsZero() || o.at.After(a.LastPurchase) {
			a.LastPurchase = o.at
		}
	}

	// Per-type index, sorted by type name for determinism.
	for _, tt := range types {
		slices.Sort(tt.times)
		a.idx.types = append(a.idx.types, *tt)
		a.EventTypes = append(a.EventTypes, Tally{string(tt.typ), len(tt.times) + tt.undated})
	}
	slices.SortFunc(a.idx.types, func(x, y typeTimes) int { return strings.Compare(string(x.typ), string(y.typ)) })
	for i := range a.idx.types {
		if k := keyOf(a.idx.types[i].typ); k.std >= 0 {
			a.idx.slot[k.std] = int32(i + 1)
		}
	}
	sortCounts(a.EventTypes)
	a.Channels = counts(channels)
	if len(a.Channels) > 0 {
		a.PreferredChannel = profile.Channel(a.Channels[0].Name)
	}
	a.Devices = counts(devices)
	a.Regions = counts(regions)
	a.Campaigns = counts(camps)
	for _, ct := range curs {
		a.Currencies = append(a.Currencies, *ct)
	}
	slices.SortFunc(a.Currencies, func(x, y CurrencyTotal) int { return strings.Compare(x.Currency, y.Currency) })

	// Rolling windows.
	if len(ag.windows) > 0 {
		var allTimes []int64
		for _, tt := range a.idx.types {
			allTimes = append(allTimes, tt.times...)
		}
		slices.Sort(allTimes)
		a.Windows = make([]WindowStats, len(ag.windows))
		for i, w := range ag.windows {
			from := w.startUnix(now)
			a.Windows[i] = WindowStats{
				Window:     w,
				Events:     countIn(allTimes, from, nowSec),
				Purchases:  a.countType(keyOf(profile.Purchase), true, from, nowSec),
				Spend:      a.spendIn(from, nowSec),
				Returns:    a.countType(keyOf(profile.Return), true, from, nowSec),
				Complaints: a.countType(keyOf(profile.Complaint), true, from, nowSec),
				Enquiries:  a.countType(keyOf(profile.Enquiry), true, from, nowSec),
			}
		}
	}
	return a, nil
}

func checkEvent(i int, e *profile.Event, profileID string) error {
	where := func() string {
		s := fmt.Sprintf("event %d (record %s", i, e.Record)
		if profileID != "" {
			s = fmt.Sprintf("profile %q: %s", profileID, s)
		}
		if e.ID != "" {
			s += fmt.Sprintf(", id %q", e.ID)
		}
		return s + ")"
	}
	if e.Type == "" {
		return fmt.Errorf("%w: %s: empty type", ErrInvalidEvent, where())
	}
	if e.Amount < 0 || math.IsNaN(e.Amount) || math.IsInf(e.Amount, 0) {
		return fmt.Errorf("%w: %s: amount %v is not a finite non-negative number", ErrInvalidEvent, where(), e.Amount)
	}
	return nil
}

// mainCurrency returns the currency most purchase and return events name,
// ties to the alphabetically first, so that it does not depend on the
// events' order; "" when none names one.
func mainCurrency(events []profile.Event) string {
	var n map[string]int
	for i := range events {
		e := &events[i]
		if e.Type != profile.Purchase && e.Type != profile.Return {
			continue
		}
		cur := strings.ToUpper(strings.TrimSpace(e.Currency))
		if cur == "" {
			continue
		}
		if n == nil {
			n = map[string]int{}
		}
		n[cur]++
	}
	best := ""
	for c, k := range n {
		if best == "" || k > n[best] || k == n[best] && c < best {
			best = c
		}
	}
	return best
}

// convert returns amt in the currency to, and false when amt is in another
// currency that no rate converts. An amount without a currency is taken to
// be in to.
func (ag *Aggregator) convert(amt float64, cur, to string) (float64, bool) {
	if cur == "" || cur == to {
		return amt, true
	}
	if r, ok := ag.rates[cur]; ok {
		return amt * r, true
	}
	return 0, false
}

func counts(m map[string]int) []Tally {
	if len(m) == 0 {
		return nil
	}
	cs := make([]Tally, 0, len(m))
	for k, n := range m {
		cs = append(cs, Tally{k, n})
	}
	sortCounts(cs)
	return cs
}

// sortCounts orders by count descending, then name ascending.
func sortCounts(cs []Tally) {
	slices.SortFunc(cs, func(x, y Tally) int {
		if x.N != y.N {
			return y.N - x.N
		}
		return strings.Compare(x.Name, y.Name)
	})
}

func cmpInt64(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func mapValues[K comparable, V any](m map[K]V) func(func(V) bool) {
	return func(yield func(V) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}
