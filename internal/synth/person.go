package synth

import (
	"math"
	"math/rand/v2"
	"time"
)

// The truth about people: who they are, where they live over time, how to
// reach them. Records are views of these at some moment, through some
// source's schema and mess.

type address struct {
	city    *city
	book    *addressBook
	street  int
	kind    int
	number  int
	suffix  string // 12a, 12 bis
	unit    int    // flat/apartment number, 0 if none
	unitTag byte   // letter for US-style units (4B), 0 if none
	floor   int    // Spanish floor (3º), 0 if none
	jp      [3]int // Japanese chome, banchi, go
	post    string
}

type addrSpan struct {
	from     time.Time
	addr     address
	landline phone
}

type household struct {
	id      string
	c       *country
	spans   []addrSpan
	shared  string // family email account, "" if none
	members []*person
}

// spanAt returns the address span in effect at t and whether a later one
// exists (the person has since moved).
func (h *household) spanAt(t time.Time) (*addrSpan, bool) {
	i := 0
	for i+1 < len(h.spans) && !h.spans[i+1].from.After(t) {
		i++
	}
	return &h.spans[i], i+1 < len(h.spans)
}

type person struct {
	id        string
	hh        *household
	cult      *culture
	female    bool
	given     givenName
	middle    nameForm
	family    familyName // birth family name; use famForm for the gendered form
	family2   familyName // second (maternal) surname, Spanish and Portuguese
	married   familyName // family name taken at marriage; zero if none
	marriedAt time.Time
	suffix    string // "Jr" or "Sr"
	english   string // adopted English given name, "" if none
	dob       time.Time
	roman     int // preferred romanization index

	mobile, oldMobile phone
	mobileAt          time.Time // when mobile replaced oldMobile
	email, oldEmail   string
	emailAt           time.Time
	work              string
	sharedWith        string    // another member's email this person sometimes uses
	since, until      time.Time // first contact; end of activity (churn), or Now
}

func (p *person) famForm(f familyName) nameForm {
	if p.female {
		return f.fem
	}
	return f.masc
}

// familyAt is the family name in use at t and whether it is a birth name
// later replaced by marriage.
func (p *person) familyAt(t time.Time) (nameForm, bool) {
	if !p.married.masc.isZero() {
		if t.Before(p.marriedAt) {
			return p.famForm(p.family), true
		}
		return p.famForm(p.married), false
	}
	return p.famForm(p.family), false
}

func (g *generator) pickCountry() *country { return g.countries[g.countriesW.pick(g.r)] }

// age buckets of adult customers: share, from, to (years).
var ageBuckets = [][3]float64{{20, 18, 30}, {27, 30, 45}, {27, 45, 60}, {19, 60, 75}, {7, 75, 90}}
var ageW = newWeighted([]float64{20, 27, 27, 19, 7})

func (g *generator) adultDOB() time.Time {
	b := ageBuckets[ageW.pick(g.r)]
	age := b[1] + g.r.Float64()*(b[2]-b[1])
	return g.dateYearsBefore(age)
}

func (g *generator) dateYearsBefore(years float64) time.Time {
	d := g.cfg.Now.AddDate(0, 0, -int(years*365.25))
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

func yearsBetween(a, b time.Time) float64 { return b.Sub(a).Hours() / (24 * 365.25) }

// randTime is uniform in [a, b).
func (g *generator) randTime(a, b time.Time) time.Time {
	d := b.Sub(a)
	if d <= 0 {
		return a
	}
	return a.Add(time.Duration(g.r.Int64N(int64(d))))
}

func (g *generator) newAddress(c *country, ct *city) address {
	r := g.r
	if ct == nil {
		ct = c.cities[c.citiesW.pick(r)]
	}
	a := address{city: ct, book: c.book.bookOf(ct)}
	a.street = a.book.namesW.pick(r)
	a.kind = a.book.kindsW.pick(r)
	switch a.book.style {
	case styleUS:
		a.number = logUniform(r.Float64(), 1, 9999)
		if chance(r, 0.2) {
			a.unit = 1 + r.IntN(40)
			if chance(r, 0.4) {
				a.unitTag = byte('A' + r.IntN(6))
			}
		}
	case styleGB:
		a.number = logUniform(r.Float64(), 1, 250)
		if chance(r, 0.06) {
			a.suffix = string(rune('a' + r.IntN(3)))
		}
		if chance(r, 0.2) {
			a.unit = 1 + r.IntN(30)
		}
	case styleAU:
		a.number = logUniform(r.Float64(), 1, 400)
		if chance(r, 0.25) {
			a.unit = 1 + r.IntN(40)
		}
	case styleDE:
		a.number = logUniform(r.Float64(), 1, 180)
		if chance(r, 0.08) {
			a.suffix = string(rune('a' + r.IntN(3)))
		}
	case styleFR:
		a.number = logUniform(r.Float64(), 1, 220)
		if chance(r, 0.04) {
			a.suffix = []string{"bis", "ter"}[r.IntN(2)]
		}
	case styleES:
		a.number = logUniform(r.Float64(), 1, 220)
		if chance(r, 0.7) {
			a.floor = 1 + r.IntN(9)
			a.unitTag = byte('A' + r.IntN(4))
		}
	case styleIT:
		a.number = logUniform(r.Float64(), 1, 200)
	case stylePL:
		a.number = logUniform(r.Float64(), 1, 160)
		if chance(r, 0.6) {
			a.unit = 1 + r.IntN(80)
		}
	case styleSE:
		a.number = logUniform(r.Float64(), 1, 90)
		if chance(r, 0.45) {
			a.unit = 1001 + 100*r.IntN(6) + r.IntN(4)
		}
	case styleJP:
		a.jp = [3]int{1 + r.IntN(9), 1 + r.IntN(30), 1 + r.IntN(20)}
		if chance(r, 0.5) {
			a.unit = 100*(1+r.IntN(12)) + 1 + r.IntN(9)
		}
	}
	a.post = string(postcode(r, ct.postcodes[r.IntN(len(ct.postcodes))], nil))
	return a
}

// logUniform maps u in [0,1) to [lo, hi] with small values more likely, as
// house numbers are.
func logUniform(u float64, lo, hi int) int {
	v := float64(lo) * math.Pow(float64(hi+1)/float64(lo), u)
	return min(max(int(v), lo), hi)
}

// newHousehold draws a household: its country, members and address history.
func (g *generator) newHousehold() *household {
	r := g.r
	g.households++
	h := &household{id: prefixed("H", g.households, 8)}
	size := 1
	if chance(r, g.cfg.HouseholdRate) {
		size = 2 + sizeW.pick(r)
	}

	head := g.newAdult(h)
	// Addresses: one at the start of the history, then moves.
	start := g.cfg.Now.AddDate(-g.cfg.Years-2, 0, 0)
	ct := h.c.cities[h.c.citiesW.pick(r)]
	if g.namesakeCity != nil {
		ct = g.namesakeCity
	}
	h.spans = append(h.spans, addrSpan{from: start, addr: g.newAddress(h.c, ct)})
	if chance(r, g.cfg.MoveRate) {
		moves := 1
		if chance(r, 0.25) {
			moves = 2
		}
		hist := g.cfg.Now.AddDate(-g.cfg.Years, 0, 0)
		times := make([]time.Time, moves)
		for i := range times {
			times[i] = g.randTime(hist, g.cfg.Now)
		}
		if moves == 2 && times[1].Before(times[0]) {
			times[0], times[1] = times[1], times[0]
		}
		for _, t := range times {
			var nct *city
			if chance(r, 0.6) {
				nct = h.spans[len(h.spans)-1].addr.city // moved within the city
			}
			h.spans = append(h.spans, addrSpan{from: t, addr: g.newAddress(h.c, nct)})
		}
	}
	if chance(r, h.c.landlineRate) {
		for i := range h.spans {
			h.spans[i].landline = g.num.landline(h.spans[i].addr.city)
		}
	}

	if size >= 2 {
		g.addPartner(h, head)
	}
	for len(h.members) < size {
		g.addRelative(h, head)
	}
	for _, m := range h.members {
		g.finishPerson(m)
	}
	if size >= 2 {
		adults := 0
		for _, m := range h.members {
			if yearsBetween(m.dob, g.cfg.Now) >= 18 {
				adults++
			}
		}
		if adults >= 2 && chance(r, g.cfg.SharedEmailRate) {
			a, b := h.members[0], h.members[1]
			if chance(r, 0.5) {
				h.shared = g.familyEmail(h, a)
			} else if a.email != "" {
				b.sharedWith = a.email
			}
		}
	}
	return h
}

var sizeW = newWeighted([]float64{55, 22, 16, 7}) // sizes 2, 3, 4, 5

func pad(n uint64, width int) string {
	var b [24]byte
	return string(appendDigits(b[:0], n, width))
}

// prefixed returns prefix followed by n padded to width digits.
func prefixed(prefix string, n uint64, width int) string {
	var b [32]byte
	return string(appendDigits(append(b[:0], prefix...), n, width))
}

func (g *generator) newPersonID() string {
	g.people++
	return prefixed("P", g.people, 8)
}

// newAdult creates the head of a new household, sometimes a namesake of a
// recent stranger.
func (g *generator) newAdult(h *household) *person {
	r := g.r
	p := &person{id: g.newPersonID(), hh: h}
	g.namesakeCity = nil
	if g.ringN > 0 && chance(r, g.cfg.NamesakeRate) {
		e := g.ring[r.IntN(min(g.ringN, len(g.ring)))]
		h.c = e.c
		p.cult, p.female, p.given, p.family = e.cult, e.female, e.given, e.family
		if chance(r, 0.5) {
			p.dob = time.Date(e.dob.Year(), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
			g.namesakeCity = e.city
		} else {
			p.dob = g.adultDOB()
		}
	} else {
		h.c = g.pickCountry()
		p.cult = h.c.cultures[h.c.culturesW.pick(r)]
		p.female = r.IntN(2) == 0
		p.given = p.cult.pickGiven(r, p.female)
		p.family = p.cult.pickFamily(r)
		p.dob = g.adultDOB()
	}
	g.initPerson(p)
	h.members = append(h.members, p)
	return p
}

// initPerson draws what every person has beyond name and birth date.
func (g *generator) initPerson(p *person) {
	r := g.r
	c := p.cult
	if p.family2.masc.isZero() && c.twoSurnames {
		p.family2 = c.pickFamily(r)
	}
	if chance(r, c.middleRate) {
		p.middle = c.pickMiddle(r, p.female)
		if p.middle.native == p.given.native {
			p.middle = nameForm{}
		}
	}
	if n := len(p.given.roman); n > 1 && chance(r, 0.25) {
		p.roman = 1 + r.IntN(n-1)
	}
	if (c.code == "zh" || c.code == "ko" || c.code == "ja" || c.code == "vi") &&
		(p.hh.c.code == "US" || p.hh.c.code == "GB" || p.hh.c.code == "CA" || p.hh.c.code == "AU") &&
		chance(r, g.cfg.EnglishNameRate) {
		en := cultures["en"]
		p.english = en.pickGiven(r, p.female).native
	}
}

func (g *generator) addPartner(h *household, head *person) {
	r := g.r
	p := &person{id: g.newPersonID(), hh: h}
	p.female = !head.female
	if chance(r, 0.06) {
		p.female = head.female
	}
	p.cult = head.cult
	if chance(r, 0.15) {
		p.cult = h.c.cultures[h.c.culturesW.pick(r)]
	}
	p.given = g.distinctGiven(p.cult, p.female, h.members)
	p.family = p.cult.pickFamily(r)
	age := yearsBetween(head.dob, g.cfg.Now) + r.NormFloat64()*3
	p.dob = g.dateYearsBefore(max(age, 18.2) + r.Float64())
	g.initPerson(p)
	h.members = append(h.members, p)
	if chance(r, 0.75) { // married
		younger := p.dob
		if head.dob.After(younger) {
			younger = head.dob
		}
		from := younger.AddDate(20, 0, 0)
		if from.Before(g.cfg.Now) {
			at := g.randTime(from, g.cfg.Now)
			wife, husband := p, head
			if head.female && !p.female {
				wife, husband = head, p
			}
			if wife.female && !husband.female && chance(r, g.cfg.NameChangeRate*wife.cult.nameChange) {
				wife.married = husband.family
				wife.marriedAt = at
			}
		}
	}
}

// addRelative adds an adult child (possibly a twin or a junior), or when the
// parents are too young for adult children, a sibling or a lodger.
func (g *generator) addRelative(h *household, head *person) {
	r := g.r
	var mother, father *person
	for _, m := range h.members[:min(2, len(h.members))] {
		if m.female && mother == nil {
			mother = m
		} else if !m.female && father == nil {
			father = m
		}
	}
	parent := head
	if mother != nil {
		parent = mother
	}
	// The oldest plausible child was born when the parent was 20-38.
	birth := parent.dob.AddDate(20+r.IntN(19), 0, r.IntN(365))
	if birth.Before(g.cfg.Now.AddDate(-16, 0, 0)) {
		// Twin of the previous child?
		last := h.members[len(h.members)-1]
		if len(h.members) > 2 && last.dob.After(parent.dob.AddDate(15, 0, 0)) && chance(r, g.cfg.TwinRate) {
			birth = last.dob
		}
		p := &person{id: g.newPersonID(), hh: h, cult: head.cult, female: r.IntN(2) == 0,
			dob: time.Date(birth.Year(), birth.Month(), birth.Day(), 0, 0, 0, 0, time.UTC)}
		dad := father
		if dad == nil {
			dad = head
		}
		p.family = dad.family
		if head.cult.twoSurnames && mother != nil {
			if head.cult.code == "pt" {
				// Portuguese: the mother's surname, then the father's (the
				// main one).
				p.family, p.family2 = mother.family, dad.family2
				if dad.family2.masc.isZero() {
					p.family2 = dad.family
				}
			} else {
				// Spanish: the father's first surname, then the mother's.
				p.family, p.family2 = dad.family, mother.family
			}
		}
		p.given = g.distinctGiven(p.cult, p.female, h.members)
		g.initPerson(p)
		if !p.female && father != nil && father.suffix == "" && chance(r, g.cfg.JuniorRate*head.cult.junior) {
			p.given, p.middle, p.roman = father.given, father.middle, father.roman
			p.suffix = "Jr"
			father.suffix = "Sr"
		}
		h.members = append(h.members, p)
		return
	}
	// A sibling of the head (same birth family name) or an unrelated lodger.
	p := &person{id: g.newPersonID(), hh: h, female: r.IntN(2) == 0}
	if chance(r, 0.5) {
		p.cult, p.family, p.family2 = head.cult, head.family, head.family2
		age := yearsBetween(head.dob, g.cfg.Now) + r.NormFloat64()*6
		p.dob = g.dateYearsBefore(max(age, 18.5) + r.Float64())
	} else {
		p.cult = h.c.cultures[h.c.culturesW.pick(r)]
		p.family = p.cult.pickFamily(r)
		p.dob = g.adultDOB()
	}
	p.given = g.distinctGiven(p.cult, p.female, h.members)
	g.initPerson(p)
	h.members = append(h.members, p)
}

// distinctGiven draws a given name no member of the household has; parents
// do not give two children (or a child and themselves) the same name.
func (g *generator) distinctGiven(c *culture, female bool, members []*person) givenName {
	for range 20 {
		n := c.pickGiven(g.r, female)
		taken := false
		for _, m := range members {
			if m.given.native == n.native {
				taken = true
				break
			}
		}
		if !taken {
			return n
		}
	}
	return c.pickGiven(g.r, female) // a tiny name table: give up on distinctness
}

// finishPerson draws contact details once the household is complete.
func (g *generator) finishPerson(p *person) {
	r := g.r
	now := g.cfg.Now
	hist := now.AddDate(-g.cfg.Years, 0, 0)
	age := yearsBetween(p.dob, now)
	p.since, p.until = activeSpan(r, now, g.cfg.Years)
	if adult := p.dob.AddDate(16, 0, 0); adult.After(p.since) {
		p.since = adult
		if p.since.After(now) {
			p.since = now.AddDate(0, 0, -1)
		}
		if p.until.Before(p.since) {
			p.until = p.since.Add(time.Duration(r.IntN(int(now.Sub(p.since)/time.Hour)+1)) * time.Hour)
		}
	}
	city := p.hh.spans[0].addr.city
	if chance(r, 0.95) || age < 70 {
		p.mobile = g.num.mobile(p.hh.c, city)
		if chance(r, 0.1) {
			p.oldMobile = p.mobile
			p.mobile = g.num.mobile(p.hh.c, city)
			p.mobileAt = g.randTime(hist, now)
		}
	}
	noEmail := 0.04
	if age > 70 {
		noEmail = 0.35
	}
	if !chance(r, noEmail) {
		fam := p.famForm(p.family)
		if !p.married.masc.isZero() && p.marriedAt.Before(hist) && chance(r, 0.6) {
			fam = p.famForm(p.married) // the address was made after the marriage
		}
		p.email = g.personalEmail(p, fam, p.hh.c)
		if chance(r, 0.15) {
			p.oldEmail = p.email
			fam2 := fam
			if !p.married.masc.isZero() {
				fam2 = p.famForm(p.married)
			}
			p.email = g.personalEmail(p, fam2, p.hh.c)
			p.emailAt = g.randTime(hist, now)
		}
	}
	if age >= 22 && age < 67 && chance(r, g.cfg.WorkEmailRate) {
		fam, _ := p.familyAt(now)
		p.work = g.workEmail(p, fam, p.hh.c)
	}
	g.remember(p)
}

// namesake is what the ring remembers of recent household heads.
type namesake struct {
	c      *country
	city   *city
	cult   *culture
	female bool
	given  givenName
	family familyName
	dob    time.Time
}

func (g *generator) remember(p *person) {
	if p != p.hh.members[0] {
		return
	}
	g.ring[g.ringN%len(g.ring)] = namesake{c: p.hh.c, city: p.hh.spans[0].addr.city, cult: p.cult,
		female: p.female, given: p.given, family: p.family, dob: p.dob}
	g.ringN++
}

// activeSpan draws when a customer is active within the history: acquisition
// is uniform over twice the history (half the base predates the data, as in
// a business in steady state rather than one founded when the history
// starts); two in three customers lapse 30 days plus an exponential time
// (mean three years) after acquisition. Customers who lapsed before the
// history still show a little activity inside it, or they would not be in
// the data. Records and events fall in [since, until].
func activeSpan(r *rand.Rand, now time.Time, years int) (since, until time.Time) {
	const year = 365.25 * 24 * float64(time.Hour)
	hist := now.AddDate(-years, 0, 0)
	acquired := hist.Add(time.Duration(float64(years) * year * (2*r.Float64() - 1)))
	if acquired.After(now.AddDate(0, 0, -7)) {
		acquired = now.AddDate(0, 0, -7)
	}
	until = now
	if r.Float64() < 0.65 {
		if u := acquired.Add(30*24*time.Hour + time.Duration(r.ExpFloat64()*3*year)); u.Before(now) {
			until = u
		}
	}
	since = acquired
	if since.Before(hist) {
		since = hist
		if until.Before(hist.AddDate(0, 1, 0)) {
			until = hist.Add(30*24*time.Hour + time.Duration(r.ExpFloat64()*year))
			if until.After(now) {
				until = now
			}
		}
	}
	return since, until
}
