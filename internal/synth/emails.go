package synth

import (
	"strconv"
	"strings"
)

// Email addresses. Personal addresses are built from the person's name in
// the patterns people choose (first.last, flast, firstlast85, a nickname or
// a handle with digits) at the country's usual providers; work addresses
// use the employer's domain. Addresses are kept distinct across people with
// a fixed-size Bloom filter, except where sharing is the point (household
// accounts), as real providers refuse a taken address.

var (
	handleAdj  = strings.Fields("blue happy sunny silver lucky crazy little big dark wild cool golden red green quiet fast lazy brave tiny")
	handleNoun = strings.Fields("fox bear tiger star moon rider wolf cat dragon bird runner dancer fish rose storm sky panda koala")
	companyA   = strings.Fields("north blue bright summit river iron silver green red peak core next prime apex lumen nova terra vertex zen orbit harbor cedar atlas delta")
	companyB   = strings.Fields("soft works labs logistics health systems foods partners media group tech energy capital retail motors bank insurance consulting")
)

var localPatternW = newWeighted([]float64{20, 12, 10, 5, 3, 8, 8, 5, 4, 3, 2, 6, 4, 6, 2})

// emailName returns ASCII forms of the given and family names for email
// local parts, from the person's usual romanization.
func emailName(p *person, fam nameForm) (given, family string) {
	gv := p.given.roman[0]
	if p.roman < len(p.given.roman) {
		gv = p.given.roman[p.roman]
	}
	if p.english != "" && p.cult.script != latin {
		gv = p.english
	}
	return asciiLocal(gv), asciiLocal(fam.roman[0])
}

func (g *generator) personalEmail(p *person, fam nameForm, c *country) string {
	r := g.r
	gv, fv := emailName(p, fam)
	if gv == "" {
		gv = "user"
	}
	if fv == "" {
		fv = "mail"
	}
	y := p.dob.Year()
	yy := strconv.Itoa(y % 100)
	if len(yy) == 1 {
		yy = "0" + yy
	}
	var local string
	switch localPatternW.pick(r) {
	case 0:
		local = gv + "." + fv
	case 1:
		local = gv + fv
	case 2:
		local = gv[:1] + fv
	case 3:
		local = gv + "_" + fv
	case 4:
		local = gv + fv[:1]
	case 5:
		local = gv + "." + fv + yy
	case 6:
		local = gv + fv + strconv.Itoa(y)
	case 7:
		local = gv + yy
	case 8:
		local = gv[:1] + "." + fv
	case 9:
		local = fv + "." + gv
	case 10:
		local = fv + gv[:1]
	case 11:
		local = gv + strconv.Itoa(1+r.IntN(999))
	case 12:
		if len(p.given.nicks) > 0 {
			local = asciiLocal(pickStr(r, p.given.nicks)) + strconv.Itoa(10+r.IntN(90))
		} else {
			local = gv + "." + fv
		}
	case 13:
		local = pickStr(r, handleAdj) + pickStr(r, handleNoun) + strconv.Itoa(1+r.IntN(99))
	default:
		if !p.middle.isZero() {
			if m := asciiLocal(p.middle.roman[0]); m != "" {
				local = gv + "." + m[:1] + "." + fv
				break
			}
		}
		local = gv + "." + fv
	}
	domain := c.domains[c.domainsW.pick(r)]
	return g.unique(local, domain)
}

// unique returns local@domain, or a variant with digits when the address
// may already belong to someone else.
func (g *generator) unique(local, domain string) string {
	if len(local) > 40 {
		local = local[:40]
	}
	e := local + "@" + domain
	for try := 0; g.emails.add(e); try++ {
		switch {
		case try < 3:
			e = local + strconv.Itoa(g.r.IntN(100)) + "@" + domain
		case try < 6:
			e = local + strconv.Itoa(100+g.r.IntN(9900)) + "@" + domain
		default:
			e = local + "." + strconv.FormatUint(g.people, 36) + "x@" + domain
			g.emails.add(e)
			return e
		}
	}
	return e
}

func (g *generator) workEmail(p *person, fam nameForm, c *country) string {
	r := g.r
	gv, fv := emailName(p, fam)
	if gv == "" || fv == "" {
		return ""
	}
	i := zipfIndex(r, len(companyA)*len(companyB), 2)
	domain := companyA[i%len(companyA)] + companyB[(i/len(companyA))%len(companyB)] + c.workTLD
	var local string
	switch x := r.IntN(10); {
	case x < 7:
		local = gv + "." + fv
	case x < 9:
		local = gv[:1] + fv
	default:
		local = gv
	}
	return g.unique(local, domain)
}

// familyEmail makes a household account: thesmiths@, smithfamily@, ...
func (g *generator) familyEmail(h *household, p *person) string {
	_, fv := emailName(p, p.famForm(p.family))
	if fv == "" {
		fv = "home"
	}
	var local string
	switch g.r.IntN(4) {
	case 0:
		local = "the" + fv + "s"
	case 1:
		local = fv + "family"
	case 2:
		local = fv + ".family"
	default:
		local = fv + "home" + strconv.Itoa(g.r.IntN(100))
	}
	return g.unique(local, h.c.domains[h.c.domainsW.pick(g.r)])
}
