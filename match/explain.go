package match

import (
	"fmt"
	"math"
	"strings"
	"unique"

	"github.com/unifyhq/unify/profile"
)

// Explanation says why a pair scored as it did: the prior, and for every
// comparison its level, m and u, term-frequency adjustment, Bayes factor
// and log2 weight. The prior weight plus the terms' weights is the final
// match weight, and the probability follows from it. A deterministic rule,
// when one decides, is named and overrides the sum.
type Explanation struct {
	A profile.Ref `json:"a"`
	B profile.Ref `json:"b"`
	// Prior is the probability that two random records match; PriorWeight
	// is its log2 odds, the starting point of the sum.
	Prior       float64 `json:"prior"`
	PriorWeight float64 `json:"prior_weight"`
	Terms       []Term  `json:"terms"`
	// Weight is PriorWeight plus every term's Weight (log2 odds).
	Weight float64 `json:"weight"`
	// Probability is the posterior match probability, 1/(1+2^-Weight), or
	// 0 or 1 when a rule decided.
	Probability float64 `json:"probability"`
	Threshold   float64 `json:"threshold"`
	Match       bool    `json:"match"`
	// Rule names the deterministic rule that decided the pair, if any.
	Rule     string `json:"rule,omitempty"`
	Decision string `json:"decision,omitempty"`
}

// Term is one comparison's contribution to a pair's score.
type Term struct {
	Comparison string `json:"comparison"`
	// Level is the level index, -1 when a value is missing, or -2 when a
	// finer comparison of the same pair already weighs this fact.
	Level int    `json:"level"`
	Label string `json:"label"`
	// A and B are the compared values, for display.
	A string  `json:"a,omitempty"`
	B string  `json:"b,omitempty"`
	M float64 `json:"m,omitempty"`
	U float64 `json:"u,omitempty"`
	// TFValue and TFFrequency are set when the term was adjusted by how
	// common the agreed value is; the adjusted u is TFFrequency.
	TFValue     string  `json:"tf_value,omitempty"`
	TFFrequency float64 `json:"tf_frequency,omitempty"`
	// BayesFactor is m/u (1 for a missing value); Weight is its log2.
	BayesFactor float64 `json:"bayes_factor"`
	Weight      float64 `json:"weight"`
}

// Explain scores a pair and returns every step of the computation.
func (m *Matcher) Explain(a, b *Prepared) Explanation {
	s := m.sc
	e := Explanation{
		A: a.Ref, B: b.Ref,
		Prior:       s.model.Prior,
		PriorWeight: s.priorLogit,
		Threshold:   m.settings.Threshold,
	}
	w := s.priorLogit
	var va, vb string
	family := math.NaN()
	var familyLevel Level
	contact := false
	var ns []levelHit
	sameFamily := false
	for i := range s.comps {
		c := &s.comps[i]
		mc := &s.model.Comparisons[i]
		l := c.Compare(a, b)
		t := Term{Comparison: c.Name, Level: int(l), BayesFactor: 1}
		t.A, t.B = display(c, a), display(c, b)
		if l < 0 {
			t.Label = "missing"
			if l == Covered {
				t.Label = "covered_by_finer_part"
			}
			e.Terms = append(e.Terms, t)
			continue
		}
		t.Label = c.Levels[l]
		if s.hhContact != nil && s.hhContact[i]&(1<<l) != 0 {
			contact = true
		}
		t.M, t.U = mc.Levels[l].M, mc.Levels[l].U
		t.Weight = s.log2BF[i][l]
		if c.TFValue != nil && l == c.TFLevel && mc.TFLevel >= 0 {
			if v := c.TFValue(a); v != "" && v == c.TFValue(b) {
				t.Weight = s.tfLog2BF(i, v)
				t.TFValue = v
				f, ok := mc.TF[v]
				if !ok {
					f = mc.TFDefault
				}
				t.TFFrequency = f
				switch i {
				case s.jointA:
					va = v
				case s.jointB:
					vb = v
				}
			}
		}
		if i == s.hhFamily && !math.IsNaN(s.hhLog2BF[l]) {
			family, familyLevel = t.Weight, l
		}
		if i == s.nsFamily && l == 0 {
			sameFamily = true
		}
		if s.nsLog2BF != nil && s.nsLog2BF[i] != nil && !math.IsNaN(s.nsLog2BF[i][l]) && len(ns) < maxNamesakeTerms {
			ns = append(ns, levelHit{i, l, t.Weight})
		}
		t.BayesFactor = math.Exp2(t.Weight)
		w += t.Weight
		e.Terms = append(e.Terms, t)
	}
	if sameFamily {
		for _, h := range ns {
			if corr := s.namesakeCorrection(h); corr != 0 {
				mc := &s.model.Comparisons[h.i]
				e.Terms = append(e.Terms, Term{
					Comparison: mc.Name + "+same_full_name", Level: int(h.l),
					Label: "namesakes", M: mc.Levels[h.l].M, U: mc.Levels[h.l].UNamesake,
					BayesFactor: math.Exp2(corr), Weight: corr,
				})
				w += corr
			}
		}
	}
	if va != "" && vb != "" {
		if corr := s.jointCorrection(va, vb); corr != 0 {
			e.Terms = append(e.Terms, Term{
				Comparison: s.model.JointTF.A + "+" + s.model.JointTF.B, Level: 0,
				Label: "often_together", A: va + " " + vb, B: va + " " + vb,
				BayesFactor: math.Exp2(corr), Weight: corr,
			})
			w += corr
			family += corr
		}
	}
	if corr, ok := s.householdCorrection(family, familyLevel, contact); ok {
		h := s.model.Household
		u := h.U
		if familyLevel > 0 {
			u = h.LevelU[familyLevel]
		}
		e.Terms = append(e.Terms, Term{
			Comparison: h.Family + "+shared_contact", Level: int(familyLevel),
			Label: "household", M: s.model.Comparisons[s.hhFamily].Levels[familyLevel].M, U: u,
			BayesFactor: math.Exp2(corr), Weight: corr,
		})
		w += corr
	}
	e.Weight = w
	e.Probability = probability(w)
	if r := decide(m.settings.Rules, a, b); r >= 0 {
		e.Rule = m.settings.Rules[r].Name
		e.Decision = m.settings.Rules[r].Decision.String()
		if m.settings.Rules[r].Decision == Match {
			e.Probability = 1
		} else {
			e.Probability = 0
		}
	}
	e.Match = e.Probability >= e.Threshold
	return e
}

// display returns a short view of the values a comparison reads.
func display(c *Comparison, p *Prepared) string {
	switch c.Name {
	case string(profile.FieldGivenName):
		return p.given
	case string(profile.FieldFamilyName):
		return p.family
	case string(profile.FieldBirthDate):
		return p.dob().String()
	case string(profile.FieldEmail):
		vs := make([]string, len(p.emails))
		for i, e := range p.emails {
			vs[i] = e.addr
		}
		return strings.Join(vs, ", ")
	case string(profile.FieldPhone):
		vs := make([]string, len(p.phones))
		for i, ph := range p.phones {
			vs[i] = ph.e164
		}
		return strings.Join(vs, ", ")
	case string(profile.FieldGender):
		if p.gender == (unique.Handle[string]{}) {
			return ""
		}
		return p.gender.Value()
	}
	if f := profile.Field(c.Name); f.IsAddressPart() {
		var vs []string
		for _, a := range p.addrs {
			var v string
			switch f {
			case profile.FieldHouseNumber:
				v = a.house
			case profile.FieldStreet:
				v = a.street
			case profile.FieldAddressLine2:
				v = a.line2
			case profile.FieldLocality:
				v = a.locality
			case profile.FieldRegion:
				v = a.region
			case profile.FieldPostcode:
				v = a.postcode
			case profile.FieldCountry:
				v = a.country
			}
			if v != "" {
				vs = append(vs, v)
			}
		}
		return strings.Join(vs, ", ")
	}
	if typ, ok := profile.Field(c.Name).IDType(); ok {
		var vs []string
		for _, id := range p.ids {
			if id.Type == typ {
				vs = append(vs, id.Value)
			}
		}
		return strings.Join(vs, ", ")
	}
	if c.TFValue != nil {
		// The value the comparison weighs by frequency: what
		// StringComparison compares, and the whole name of the full-name
		// comparison.
		return c.TFValue(p)
	}
	return ""
}

// String renders the explanation as a text waterfall: one line per term
// with its running total, then the result.
func (e Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v vs %v\n", e.A, e.B)
	fmt.Fprintf(&b, "  %-16s %-26s %-36s %+8.2f  %8.2f\n", "prior", fmt.Sprintf("1 in %.0f", 1/e.Prior), "", e.PriorWeight, e.PriorWeight)
	run := e.PriorWeight
	for _, t := range e.Terms {
		run += t.Weight
		vals := ""
		if t.A != "" || t.B != "" {
			vals = fmt.Sprintf("%q vs %q", clip(t.A, 15), clip(t.B, 15))
		}
		label := t.Label
		if t.TFValue != "" {
			label += " (tf)"
		}
		fmt.Fprintf(&b, "  %-16s %-26s %-36s %+8.2f  %8.2f %s\n", clip(t.Comparison, 16), clip(label, 26), vals, t.Weight, run, bar(t.Weight))
	}
	verdict := "no match"
	if e.Match {
		verdict = "MATCH"
	}
	fmt.Fprintf(&b, "  weight %.2f  probability %.6f  threshold %.2f  %s", e.Weight, e.Probability, e.Threshold, verdict)
	if e.Rule != "" {
		fmt.Fprintf(&b, "  (rule %q: %s)", e.Rule, e.Decision)
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// bar draws a weight as a row of blocks, + to the right, - as dashes.
func bar(w float64) string {
	n := int(math.Round(math.Abs(w)))
	n = min(n, 20)
	if w >= 0 {
		return strings.Repeat("█", n)
	}
	return strings.Repeat("░", n)
}
