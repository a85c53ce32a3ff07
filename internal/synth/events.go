package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/unifyhq/unify/profile"
)

// Events. Each hangs off one of the person's records, the way the system
// behind that record would log it: purchases and returns off web-shop
// accounts and loyalty cards, complaints and enquiries off support tickets,
// visits off web devices, campaign responses off newsletter and CRM
// contacts. Times follow daily and weekly rhythms per channel and a yearly
// retail season; amounts are log-normal in the local currency.

// emitted is what events need to know about a written record.
type emitted struct {
	si     int
	kind   Kind
	key    string
	t, end time.Time
	device string
	login  bool
}

var kindEventWeight = [...]float64{KindCRM: 1, KindWebshop: 5, KindSupport: 1.5, KindPOS: 4, KindNewsletter: 1.5, KindWeb: 3}

// Hour-of-day weights by channel group, local time.
var (
	hoursWeb = newWeighted([]float64{1, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2.2, 2.6, 2.8, 3, 3.2, 3.1, 3, 3, 3.1, 3.4,
		3.8, 4.3, 4.6, 4.4, 3.4, 2})
	hoursStore = newWeighted([]float64{0, 0, 0, 0, 0, 0, 0, 0.2, 1, 2, 2.8, 3.4, 3.6, 3.4, 3.1, 3.1, 3.4, 3.8, 3.6,
		2.8, 1.8, 0.8, 0.1, 0})
	hoursOffice = newWeighted([]float64{0, 0, 0, 0, 0, 0, 0, 0.3, 2, 3.5, 3.8, 3.6, 2.8, 3.2, 3.6, 3.4, 3, 2.4, 1.2,
		0.5, 0.3, 0.2, 0, 0})
	hoursEmail = newWeighted([]float64{0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.8, 3, 3.6, 3.2, 2.6, 2.4, 2.2, 2, 2, 2.1,
		2.3, 2.6, 2.9, 2.8, 2.2, 1.3, 0.6})
)

// Day-of-week factors, Sunday first (time.Weekday order).
var (
	dowWeb    = [7]float64{1.2, 1, 1, 1, 1, 1.05, 1.15}
	dowStore  = [7]float64{0.6, 0.8, 0.85, 0.9, 0.95, 1.1, 1.5}
	dowOffice = [7]float64{0.3, 1.2, 1.1, 1.05, 1, 0.95, 0.4}
	dowEmail  = [7]float64{0.85, 1.1, 1.05, 1, 1, 0.95, 0.8}
	// Retail season for purchases, January first.
	monthShop = [12]float64{0.85, 0.8, 0.9, 0.95, 1, 0.95, 0.95, 0.95, 0.95, 1, 1.3, 1.5}
	monthFlat = [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
)

var campaignThemes = [12]string{"new-year-sale", "valentines", "spring-sale", "easter", "spring-sale",
	"summer-sale", "summer-sale", "back-to-school", "autumn-collection", "halloween", "black-friday", "holiday-gifts"}

type rhythm struct {
	hours *weighted
	dow   *[7]float64
	month *[12]float64
}

func rhythmFor(ch profile.Channel, typ profile.EventType) rhythm {
	m := &monthFlat
	if typ == profile.Purchase || typ == profile.Return {
		m = &monthShop
	}
	switch ch {
	case profile.ChannelStore:
		return rhythm{&hoursStore, &dowStore, m}
	case profile.ChannelPhone, profile.ChannelChat:
		return rhythm{&hoursOffice, &dowOffice, m}
	case profile.ChannelEmail, profile.ChannelSMS:
		return rhythm{&hoursEmail, &dowEmail, m}
	}
	return rhythm{&hoursWeb, &dowWeb, m}
}

// eventTime draws a local time in [from, to] following the rhythm.
func (g *generator) eventTime(from, to time.Time, rh rhythm, loc *time.Location) time.Time {
	r := g.r
	span := to.Sub(from)
	if span < 48*time.Hour {
		return from.Add(time.Duration(r.Int64N(int64(span) + 1))).In(loc)
	}
	var day time.Time
	for range 16 {
		day = from.Add(time.Duration(r.Int64N(int64(span)))).In(loc)
		f := rh.dow[day.Weekday()] * rh.month[day.Month()-1]
		if r.Float64()*1.5*1.5 < f {
			break
		}
	}
	h := rh.hours.pick(r)
	t := time.Date(day.Year(), day.Month(), day.Day(), h, r.IntN(60), r.IntN(60), 0, loc)
	if t.Before(from) {
		t = from.In(loc)
	}
	if t.After(to) {
		t = to.In(loc)
	}
	return t
}

// personEvents writes the events of one person, hung off the records
// already written for them.
func (g *generator) personEvents(p *person) error {
	if len(g.emitted) == 0 {
		return nil
	}
	r := g.r
	loc := p.hh.spans[0].addr.city.tz
	// Account creation is logged once per web-shop account and subscription.
	for i := range g.emitted {
		e := &g.emitted[i]
		if e.kind == KindWebshop || e.kind == KindNewsletter {
			ch := profile.ChannelWeb
			if e.kind == KindNewsletter {
				ch = profile.ChannelEmail
			}
			if err := g.event(p, e, profile.Signup, ch, e.t.In(loc), ""); err != nil {
				return err
			}
		}
	}
	if g.cfg.EventsPerPerson == 0 {
		return nil
	}
	// Events arrive at a rate over the active lifetime, so long-standing
	// customers have more of them; the rate is set so that the mean per
	// person is EventsPerPerson. Activity is log-normal with mean 1: most
	// people are occasional customers, a few are very active.
	sigma := g.cfg.EventsSpread
	act := math.Exp(sigma*r.NormFloat64() - sigma*sigma/2)
	life := max(yearsBetween(p.since, p.until), 1.0/52)
	n := poisson(r, g.eventRate*life*act)
	for range n {
		// When: uniform over the active span with the retail season (a
		// marketing calendar moves more than purchases); where: a record
		// that existed then (web devices only while seen), by how much
		// activity its kind of system logs. A time when no record existed
		// (a customer from before the history whose first record came
		// later) is drawn again.
		var at time.Time
		total := 0.0
		for try := 0; try < 16 && total == 0; try++ {
			at = g.randTime(p.since, p.until)
			if try < 8 && r.Float64()*1.5 >= monthShop[at.Month()-1] {
				continue
			}
			for i := range g.emitted {
				if live(&g.emitted[i], at) {
					total += kindEventWeight[g.emitted[i].kind]
				}
			}
		}
		if total == 0 {
			continue
		}
		x := r.Float64() * total
		var e *emitted
		for i := range g.emitted {
			if live(&g.emitted[i], at) {
				e = &g.emitted[i]
				x -= kindEventWeight[e.kind]
				if x < 0 {
					break
				}
			}
		}
		if err := g.recordEvent(p, e, at, loc); err != nil {
			return err
		}
	}
	return nil
}

func live(e *emitted, t time.Time) bool {
	return !t.Before(e.t) && (e.kind != KindWeb || !t.After(e.end))
}

func (g *generator) recordEvent(p *person, e *emitted, at time.Time, loc *time.Location) error {
	r := g.r
	var typ profile.EventType
	var ch profile.Channel
	device := ""
	switch e.kind {
	case KindWebshop:
		switch x := r.IntN(100); {
		case x < 45:
			typ = profile.Purchase
		case x < 80:
			typ = profile.Visit
		case x < 90:
			typ = profile.Login
		case x < 95:
			typ = profile.CampaignResponse
		default:
			typ = profile.Enquiry
		}
		ch = profile.ChannelWeb
		if r.IntN(100) < 35 {
			ch = profile.ChannelApp
		}
		if typ == profile.Enquiry {
			ch = profile.ChannelChat
		}
	case KindPOS:
		typ, ch = profile.Purchase, profile.ChannelStore
		if r.IntN(100) < 12 {
			typ = profile.Enquiry
		}
	case KindWeb:
		typ, ch, device = profile.Visit, profile.ChannelWeb, e.device
		if e.login && r.IntN(100) < 15 {
			typ = profile.Login
		}
	case KindSupport:
		typ = profile.Enquiry
		if r.IntN(100) < 45 {
			typ = profile.Complaint
		}
		switch x := r.IntN(100); {
		case x < 40:
			ch = profile.ChannelPhone
		case x < 75:
			ch = profile.ChannelEmail
		default:
			ch = profile.ChannelChat
		}
	case KindNewsletter:
		typ, ch = profile.CampaignResponse, profile.ChannelEmail
	default: // CRM
		if r.IntN(100) < 60 {
			typ = profile.CampaignResponse
			switch x := r.IntN(100); {
			case x < 50:
				ch = profile.ChannelEmail
			case x < 80:
				ch = profile.ChannelSMS
			default:
				ch = profile.ChannelSocial
			}
		} else {
			typ, ch = profile.Enquiry, profile.ChannelPhone
		}
	}
	switch ch {
	case profile.ChannelApp:
		device = "android"
		if hashString(p.id)&1 == 0 {
			device = "ios"
		}
	case profile.ChannelWeb:
		if device == "" {
			device = deviceTypes[deviceTypeW.pick(r)]
		}
	}
	// The exact moment follows the channel's weekly and daily rhythm within
	// a week around at, never before the record existed or after the
	// person's activity (or the device's last visit) ended.
	from, to := at.Add(-84*time.Hour), at.Add(84*time.Hour)
	if from.Before(e.t) {
		from = e.t
	}
	end := p.until
	if e.kind == KindWeb && e.end.Before(end) {
		end = e.end
	}
	if to.After(end) {
		to = end
	}
	if to.Before(from) {
		to = from
	}
	t := g.eventTime(from, to, rhythmFor(ch, typ), loc)
	campaign := ""
	if typ == profile.CampaignResponse {
		if r.IntN(10) < 3 {
			campaign = []string{"newsletter-weekly", "win-back", "welcome-series", "loyalty-points"}[r.IntN(4)]
		} else {
			campaign = strconv.Itoa(t.Year()) + "-" + campaignThemes[t.Month()-1]
		}
	}
	if err := g.event(p, e, typ, ch, t, campaign, device); err != nil {
		return err
	}
	if typ != profile.Purchase || !chance(r, 0.08) {
		return nil
	}
	// A return of (part of) the order, 1-30 days later.
	rt := t.Add(time.Duration(1+r.IntN(30)) * 24 * time.Hour).Add(time.Duration(r.IntN(36000)) * time.Second)
	if rt.After(g.cfg.Now) {
		return nil
	}
	return g.event(p, e, profile.Return, ch, rt, "", device)
}

func roundMoney(x float64, minor int) float64 {
	if minor == 0 {
		return math.Max(10, math.Round(x/10)*10)
	}
	return math.Max(0.01, math.Round(x*100)/100)
}

// event fills g.ev and sends it. Purchases get a new order ID and amount;
// returns reuse the previous purchase's order and take a share of it.
func (g *generator) event(p *person, e *emitted, typ profile.EventType, ch profile.Channel, t time.Time,
	campaign string, device ...string) error {
	ev := &g.ev
	prevOrder, prevAmount := ev.OrderID, ev.Amount
	*ev = profile.Event{Record: profile.Ref{Source: g.cfg.Sources[e.si].Name, Key: e.key}, Type: typ, Time: t,
		Channel: ch, Campaign: campaign}
	if len(device) > 0 {
		ev.Device = device[0]
	}
	id, err := g.eventIDs[e.si].next(g.buf[:0])
	if err != nil {
		return err
	}
	ev.ID = string(id)
	span, _ := p.hh.spanAt(t)
	ev.Region = span.addr.city.regionCode
	c := p.hh.c
	switch typ {
	case profile.Purchase:
		oid, err := g.orderIDs[e.si].next(g.buf[:0])
		if err != nil {
			return err
		}
		ev.OrderID = string(oid)
		base := 45.0
		if e.kind == KindPOS {
			base = 25
		}
		ev.Amount = roundMoney(base*math.Exp(0.8*g.r.NormFloat64())*c.fx, c.minor)
		ev.Currency = c.currency
	case profile.Return:
		ev.OrderID = prevOrder
		ev.Amount = prevAmount
		if g.r.IntN(10) < 3 {
			ev.Amount = roundMoney(prevAmount*(0.2+0.6*g.r.Float64()), c.minor)
		}
		ev.Currency = c.currency
	}
	g.stats.Events++
	return g.sink.Event(ev)
}

// meanActiveYears is the expected active lifetime under activeSpan,
// estimated from a fixed-seed sample (so it is deterministic) to calibrate
// the event rate.
func meanActiveYears(now time.Time, years int) float64 {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 20000
	sum := 0.0
	for range n {
		s, u := activeSpan(r, now, years)
		sum += max(yearsBetween(s, u), 1.0/52)
	}
	return sum / n
}
