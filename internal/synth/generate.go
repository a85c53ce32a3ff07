package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/unifyhq/unify/profile"
)

// keyGen hands out a source's record keys (or event or order IDs): a keyed
// permutation of a counter, formatted in the source kind's style.
type keyGen struct {
	style keyStyle
	p     perm
	n     uint64
	src   string
	r     *rand.Rand
}

type keyStyle uint8

const (
	keyDigits9  keyStyle = iota // CRM customer number: 048213377
	keyBase36                   // web shop user: u3k9x0a2m
	keyTicket                   // TCK-04821337
	keyLoyalty                  // 12-digit card number with Luhn check digit
	keyHex12                    // newsletter subscriber: 9f3a0c11b2e4
	keyUUID                     // web device: UUID version 4 shape
	keyEvent                    // ev_9f3a0c11b2e4
	keyOrderWeb                 // WS0482133770
	keyReceipt                  // R048213377012
)

var keySpace = [...]uint64{
	keyDigits9: 1_000_000_000, keyBase36: 2_821_109_907_456, keyTicket: 100_000_000, keyLoyalty: 10_000_000_000,
	keyHex12: 1 << 48, keyUUID: 1 << 48, keyEvent: 1 << 48, keyOrderWeb: 10_000_000_000, keyReceipt: 1_000_000_000_000,
}

func newKeyGen(style keyStyle, seed uint64, name string, r *rand.Rand) keyGen {
	return keyGen{style: style, p: newPerm(keySpace[style], seed^hashString(name)), src: name, r: r}
}

func (k *keyGen) next(b []byte) ([]byte, error) {
	if k.n >= k.p.n {
		return b, fmt.Errorf("%w: %q after %d keys", ErrKeysExhausted, k.src, k.n)
	}
	v := k.p.at(k.n)
	k.n++
	switch k.style {
	case keyDigits9:
		return appendDigits(b, v, 9), nil
	case keyBase36:
		b = append(b, 'u')
		s := strconv.AppendUint(nil, v, 36)
		for range 8 - len(s) {
			b = append(b, '0')
		}
		return append(b, s...), nil
	case keyTicket:
		b = append(b, "TCK-"...)
		return appendDigits(b, v, 8), nil
	case keyLoyalty:
		b = append(b, '6')
		b = appendDigits(b, v, 10)
		return append(b, luhn(b)), nil
	case keyHex12, keyEvent:
		if k.style == keyEvent {
			b = append(b, "ev_"...)
		}
		return appendHex(b, v, 12), nil
	case keyUUID:
		hi, lo := k.r.Uint64(), k.r.Uint64()
		b = appendHex(b, v>>16, 8)
		b = append(b, '-')
		b = appendHex(b, v&0xffff, 4)
		b = append(b, "-4"...)
		b = appendHex(b, hi&0xfff, 3)
		b = append(b, '-')
		b = appendHex(b, 0x8000|(hi>>12)&0x3fff, 4)
		b = append(b, '-')
		return appendHex(b, lo&0xffffffffffff, 12), nil
	case keyOrderWeb:
		b = append(b, "WS"...)
		return appendDigits(b, v, 10), nil
	default:
		b = append(b, 'R')
		return appendDigits(b, v, 12), nil
	}
}

func appendHex(b []byte, v uint64, width int) []byte {
	const hex = "0123456789abcdef"
	for i := width - 1; i >= 0; i-- {
		b = append(b, hex[(v>>(4*uint(i)))&0xf])
	}
	return b
}

// luhn returns the check digit that makes digits pass the Luhn test, as
// payment and loyalty card numbers do.
func luhn(digits []byte) byte {
	sum := 0
	double := true
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

var kindKeyStyle = [...]keyStyle{KindCRM: keyDigits9, KindWebshop: keyBase36, KindSupport: keyTicket,
	KindPOS: keyLoyalty, KindNewsletter: keyHex12, KindWeb: keyUUID}

type planItem struct {
	si  int
	t   time.Time
	dup bool
}

type generator struct {
	cfg  *Config
	r    *rand.Rand
	sink Sink

	countries  []*country
	countriesW weighted
	sourcesW   []float64
	nSourcesW  weighted
	num        *numbering
	emails     *bloom
	keys       []keyGen
	eventIDs   []keyGen
	orderIDs   []keyGen
	vals       [][]string

	people, households uint64
	ring               [512]namesake
	ringN              int
	namesakeCity       *city

	eventRate float64 // events per active year, see meanActiveYears
	stats     Stats
	done      bool
	plan      []planItem
	scratchW  []float64
	emitted   []emitted
	rec       Record
	ev        profile.Event
	buf       []byte
}

func newGenerator(cfg *Config, sink Sink) *generator {
	r := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	g := &generator{cfg: cfg, r: r, sink: sink}
	weights := cfg.Countries
	if weights == nil {
		weights = defaultCountryWeights
	}
	var cw []float64
	for _, c := range countries { // fixed order, so map iteration cannot leak in
		if w := weights[c.code]; w > 0 {
			g.countries = append(g.countries, c)
			cw = append(cw, w)
		}
	}
	g.countriesW = newWeighted(cw)
	for _, s := range cfg.Sources {
		g.sourcesW = append(g.sourcesW, s.Weight)
		g.keys = append(g.keys, newKeyGen(kindKeyStyle[s.Kind], cfg.Seed, "key/"+s.Name, r))
		g.eventIDs = append(g.eventIDs, newKeyGen(keyEvent, cfg.Seed, "event/"+s.Name, r))
		ost := keyOrderWeb
		if s.Kind == KindPOS {
			ost = keyReceipt
		}
		g.orderIDs = append(g.orderIDs, newKeyGen(ost, cfg.Seed, "order/"+s.Name, r))
		g.vals = append(g.vals, make([]string, len(kindColumns[s.Kind])))
	}
	g.nSourcesW = newWeighted(cfg.SourcesPerPerson)
	g.eventRate = cfg.EventsPerPerson / meanActiveYears(cfg.Now, cfg.Years)
	g.num = newNumbering(cfg.Seed)
	// Size the email filter for the addresses expected: about 1.5 per
	// person (personal, some work and older ones), and with the defaults
	// about 0.42 people per record. An undersized filter only adds digits
	// to a few more addresses.
	expect := 1.6 * float64(cfg.People)
	if byRecords := 0.7 * float64(cfg.Records); cfg.People == 0 || cfg.Records > 0 && byRecords < expect {
		expect = byRecords
	}
	g.emails = newBloom(int(expect) + 1000)
	g.stats.SourceRecords = make([]int, len(cfg.Sources))
	g.stats.FlagRecords = make([]int, len(flagNames))
	return g
}

// Generate produces people, their source records and events, and sends them
// to sink as they are made. It stops when cfg.People people or cfg.Records
// records have been written, when ctx is done, or when the sink fails, and
// returns what it wrote so far.
//
// Memory stays flat whatever the size: people are generated one household at
// a time and forgotten once written. The only state that grows with the
// requested size is a Bloom filter of email addresses (about 4 bytes per
// expected person, allocated up front).
func Generate(ctx context.Context, cfg Config, sink Sink) (Stats, error) {
	if err := cfg.validate(); err != nil {
		return Stats{}, err
	}
	if sink == nil {
		return Stats{}, fmt.Errorf("%w: nil Sink", ErrConfig)
	}
	cfg.Sources = append([]Source(nil), cfg.Sources...)
	g := newGenerator(&cfg, sink)
	for !g.done {
		if g.households%64 == 0 {
			if err := ctx.Err(); err != nil {
				return g.stats, err
			}
		}
		h := g.newHousehold()
		counted := false
		for _, p := range h.members {
			if cfg.People > 0 && g.stats.People >= cfg.People {
				g.done = true
				break
			}
			if !counted {
				g.stats.Households++
				counted = true
			}
			if err := g.emitPerson(p); err != nil {
				return g.stats, err
			}
			if g.done {
				break
			}
		}
	}
	return g.stats, nil
}

// emitPerson writes one person's records, then their events.
func (g *generator) emitPerson(p *person) error {
	r, cfg := g.r, g.cfg
	g.stats.People++
	k := 1 + g.nSourcesW.pick(r)
	w := append(g.scratchW[:0], g.sourcesW...)
	g.scratchW = w
	if p.email == "" && p.work == "" && p.hh.shared == "" {
		for i := range cfg.Sources {
			if cfg.Sources[i].Kind == KindNewsletter {
				w[i] = 0 // nobody subscribes without an address
			}
		}
	}
	g.plan = g.plan[:0]
	for range k {
		total := 0.0
		for _, x := range w {
			total += x
		}
		if total <= 0 {
			break
		}
		x := r.Float64() * total
		si := 0
		for si < len(w)-1 && (x >= w[si] || w[si] == 0) {
			x -= w[si]
			si++
		}
		w[si] = 0
		copies := 1 + geometric(r, cfg.Sources[si].Duplicates, 50)
		for range copies {
			g.plan = append(g.plan, planItem{si: si, t: g.randTime(p.since, p.until)})
		}
	}
	if len(g.plan) == 0 {
		// Every source excluded (say, only a newsletter and no email): use
		// the first source with weight so that every person has a record.
		for si := range cfg.Sources {
			if cfg.Sources[si].Weight > 0 && cfg.Sources[si].Kind != KindNewsletter {
				g.plan = append(g.plan, planItem{si: si, t: g.randTime(p.since, p.until)})
				break
			}
		}
		if len(g.plan) == 0 {
			g.plan = append(g.plan, planItem{si: 0, t: g.randTime(p.since, p.until)})
		}
	}
	// The first contact creates the first record (for customers acquired
	// within the history; older ones were there before it began).
	if len(g.plan) > 0 && p.since.After(cfg.Now.AddDate(-cfg.Years, 0, 0)) {
		first := 0
		for i := range g.plan {
			if g.plan[i].t.Before(g.plan[first].t) {
				first = i
			}
		}
		g.plan[first].t = p.since
	}
	// Chronological order; later copies in the same source are duplicates.
	for i := 1; i < len(g.plan); i++ {
		for j := i; j > 0 && g.plan[j].t.Before(g.plan[j-1].t); j-- {
			g.plan[j], g.plan[j-1] = g.plan[j-1], g.plan[j]
		}
	}
	for i := range g.plan {
		for j := range i {
			if g.plan[j].si == g.plan[i].si {
				g.plan[i].dup = true
				break
			}
		}
	}
	g.emitted = g.emitted[:0]
	for _, it := range g.plan {
		if cfg.Records > 0 && g.stats.Records >= cfg.Records {
			g.done = true
			break
		}
		if err := g.emitRecord(p, it); err != nil {
			return err
		}
		if cfg.Records > 0 && g.stats.Records >= cfg.Records {
			g.done = true
		}
	}
	return g.personEvents(p)
}

func (g *generator) emitRecord(p *person, it planItem) error {
	r, cfg := g.r, g.cfg
	src := &cfg.Sources[it.si]
	c := rec{g: g, p: p, src: src, kind: src.Kind, t: it.t, mult: src.Mess,
		miss: cfg.Mess.Missing * src.Missing, vals: g.vals[it.si]}
	if it.dup {
		c.flags |= FlagDuplicate
	}
	if c.chance(cfg.Mess.Case) {
		c.caps = 1
		if r.IntN(10) < 3 {
			c.caps = 2
		}
	} else if src.Kind == KindPOS && cfg.Mess.Case > 0 && chance(r, 0.4) {
		c.caps = 1 // many tills print upper case only
	}
	// Accents are lost more often abroad (foreign keyboards and systems:
	// a Polish name in a British CRM) and on store tills.
	home := p.hh.c.cultures[0] == p.cult
	boost := 1.0
	if !home {
		boost *= 2.3
	}
	if src.Kind == KindPOS {
		boost *= 1.6
	}
	if c.chance(cfg.Mess.Diacritics * boost) {
		c.doFold = true
		switch {
		case p.cult.code == "de" && r.IntN(2) == 0:
			c.foldAlt = germanFold
		case p.cult.code == "nordic" && r.IntN(10) < 4:
			c.foldAlt = nordicFold
		}
	}
	if p.cult.script != latin {
		f := 0.12
		switch src.Kind {
		case KindSupport, KindCRM:
			f = 0.07
		case KindPOS:
			f = 0.03
		}
		if home {
			f = 0.85
		}
		c.native = chance(r, f)
	}
	kb, err := g.keys[it.si].next(g.buf[:0])
	if err != nil {
		return err
	}
	key := string(kb)
	c.render(key)
	if src.Kind == KindWeb {
		g.emitted = append(g.emitted, emitted{si: it.si, kind: src.Kind, key: key, t: it.t,
			end: parseWebTime(c.vals[5], it.t), device: c.vals[2], login: c.vals[1] != ""})
	} else {
		g.emitted = append(g.emitted, emitted{si: it.si, kind: src.Kind, key: key, t: it.t})
	}
	g.rec = Record{Source: src.Name, Key: key, Values: c.vals, Person: p.id, Household: p.hh.id, Flags: c.flags}
	g.stats.Records++
	g.stats.SourceRecords[it.si]++
	for i := range g.stats.FlagRecords {
		if c.flags&(1<<i) != 0 {
			g.stats.FlagRecords[i]++
		}
	}
	return g.sink.Record(&g.rec)
}

func parseWebTime(s string, def time.Time) time.Time {
	t, err := time.Parse(layoutWeb, s)
	if err != nil {
		return def
	}
	return t
}
